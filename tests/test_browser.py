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
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
        arg=["h4", before], timeout=30_000)
    page.wait_for_timeout(500)
    wait_drawn(page)
    after = headline_text(page)
    assert after != before
    page.wait_for_function("window.location.search.includes('delay_years')", timeout=15_000)
    share_url = page.url
    assert "delay_years=" in share_url
    page.screenshot(path=str(ARTIFACTS / "app-after-slider.png"), full_page=True)

    # The share URL in a fresh browser context restores exactly the same results.
    ctx2 = browser.new_context(viewport={"width": 1500, "height": 1100})
    page2 = ctx2.new_page()
    watch.attach(page2)
    page2.goto(share_url)
    wait_drawn(page2)
    assert headline_text(page2) == after
    metrics = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert page2.locator("[data-testid='stMetricValue']").all_inner_texts() == metrics
    page2.screenshot(path=str(ARTIFACTS / "app-share-url.png"), full_page=True)
    ctx.close()
    ctx2.close()
    watch.check()
