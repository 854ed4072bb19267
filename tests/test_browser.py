"""The real Streamlit server in Debian's chromium, driven by Playwright (no network)."""

import pytest

from browser import ARTIFACTS, CHROMIUM_ARGS, Watch, chromium_path, streamlit_server

playwright = pytest.importorskip("playwright.sync_api")

HEADLINE = "h4:has-text('With these assumptions')"


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def wait_drawn(page, timeout=60_000):
    """Until the headline, all five charts and the map's countries have drawn."""
    page.wait_for_selector(HEADLINE, timeout=timeout)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 5", timeout=timeout)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length > 100",
                           timeout=timeout)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot g.trace').length >= 20", timeout=timeout)


def headline_text(page) -> str:
    return page.locator(HEADLINE).first.inner_text()


def stable_headline(page, quiet_ms: int = 1500) -> str:
    """The headline once it and the URL have not changed for ``quiet_ms`` (all reruns done)."""
    last = (headline_text(page), page.url)
    for _ in range(40):
        page.wait_for_timeout(quiet_ms)
        now = (headline_text(page), page.url)
        if now == last:
            return now[0]
        last = now
    return last[0]


def test_app_in_a_real_browser(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    watch = Watch()
    ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = ctx.new_page()
    watch.attach(page)
    page.goto(server)
    wait_drawn(page)
    page.screenshot(path=str(ARTIFACTS / "app-default.png"), full_page=True)
    before = headline_text(page)
    assert "EU27 loses" in before

    # Move the access-delay slider with the keyboard, as a user would.
    slider = page.locator("[data-testid='stSlider']", has_text="Access delay").locator("input[type='range']")
    slider.focus()
    for _ in range(20):
        slider.press("ArrowRight")
    # Wait for the reruns to settle: the URL carries the new delay and nothing changes any more.
    page.wait_for_function("window.location.search.includes('delay_years=')", timeout=30_000)
    wait_drawn(page)
    after = stable_headline(page)
    share_url = page.url
    page.wait_for_timeout(1500)
    assert page.url == share_url and headline_text(page) == after
    assert after != before
    delay = float(share_url.split("delay_years=")[1].split("&")[0])
    assert delay > 1.5
    assert "delay_years=" in share_url
    page.screenshot(path=str(ARTIFACTS / "app-after-slider.png"), full_page=True)

    # The share URL in a fresh browser context restores exactly the same results.
    ctx2 = browser.new_context(viewport={"width": 1500, "height": 1100})
    page2 = ctx2.new_page()
    watch.attach(page2)
    page2.goto(share_url)
    wait_drawn(page2)
    assert stable_headline(page2) == after
    metrics = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert page2.locator("[data-testid='stMetricValue']").all_inner_texts() == metrics
    page2.screenshot(path=str(ARTIFACTS / "app-share-url.png"), full_page=True)
    ctx.close()
    ctx2.close()
    watch.check()


def test_html_report_opens_offline_with_charts_drawn(browser, tmp_path):
    from conftest import cli

    out = tmp_path / "r.html"
    cli("report", "--preset", "jpmorgan-high", "--preset", "eu-llama-multimodal", "--draws", "500",
        "--out", str(out), check=True)
    ARTIFACTS.mkdir(exist_ok=True)
    watch = Watch()
    ctx = browser.new_context(viewport={"width": 1300, "height": 1000})
    blocked = []
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
              else (blocked.append(route.request.url), route.abort()))
    page = ctx.new_page()
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    page.goto(out.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 8", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length > 100", timeout=60_000)
    assert "EU27 loses" in page.locator(".headline").inner_text()
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
    ctx.close()
    assert not blocked, f"the report tried to fetch: {blocked[:5]}"
    assert not watch.console_errors, watch.console_errors[:5]
