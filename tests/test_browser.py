"""The real Streamlit server in Debian's chromium, driven by Playwright (no network).

One server and one browser per module; each test opens its own context (a new session).
Screenshots go to the git-ignored ``test-artifacts/``.
"""

import re

import pytest

from browser import (ARTIFACTS, CHROMIUM_ARGS, HEADLINE, DESKTOP, KEY_FIGURES, PHONE, PHONE_CONTEXT, Watch, WebSocketHold, chromium_path,
                     open_tab, page_problems, streamlit_server, wait_drawn, wait_idle)

playwright = pytest.importorskip("playwright.sync_api")


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


@pytest.fixture
def session(browser):
    """A fresh context (a new Streamlit session) with console/network watching; checked at the end."""
    ARTIFACTS.mkdir(exist_ok=True)
    contexts = []
    watch = Watch()

    def new(viewport=DESKTOP, **kw):
        ctx = browser.new_context(viewport=viewport, accept_downloads=True, **kw)
        contexts.append(ctx)
        page = ctx.new_page()
        watch.attach(page)
        return page

    yield new
    for ctx in contexts:
        ctx.close()
    watch.check()


def headline_text(page) -> str:
    return page.locator(HEADLINE).first.inner_text()


def stable_headline(page, quiet_ms: int = 1000) -> str:
    """The headline once it and the URL have not changed for ``quiet_ms`` (all reruns done)."""
    last = (headline_text(page), page.url)
    for _ in range(40):
        page.wait_for_timeout(quiet_ms)
        now = (headline_text(page), page.url)
        if now == last:
            return now[0]
        last = now
    return last[0]


def range_text(page) -> str:
    """The Overview's uncertainty range once its Monte Carlo has answered (it follows the key figures)."""
    page.wait_for_function("(document.querySelector('.st-key-mc_range') || {innerText: ''}).innerText"
                           ".includes('percentile')", timeout=60_000)
    return page.locator(".st-key-mc_range").inner_text()


def share_link(page) -> str:
    """The query of the link in the sidebar's share popover (opened, read, closed again)."""
    button = page.locator("[data-testid='stSidebar'] [data-testid='stPopover'] button").first
    button.click()
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']").first
    code.wait_for(timeout=30_000)
    text = code.inner_text().replace("\n", "")
    page.keyboard.press("Escape")
    code.wait_for(state="hidden", timeout=30_000)
    return text.split("?", 1)[1]


def test_app_in_a_real_browser(server, session):
    page = session()
    page.goto(server)
    wait_drawn(page)
    page.screenshot(path=str(ARTIFACTS / "app-default.png"), full_page=True)
    before = headline_text(page)
    assert "EU27 loses" in before

    # The uncertainty range follows under the key figures, above the first chart.
    first_range = range_text(page)
    assert re.search(r"5th–95th percentile\): EU27 cumulative loss \$[\d.]+ bn to \$[\d.]+ bn .*; loss in \d{4} "
                     r"\$[\d.]+ bn to \$[\d.]+ bn", first_range), first_range
    assert "P(EU27 cumulative loss" in first_range and "2,000 draws" in first_range
    boxes = page.evaluate("""() => {
        const box = s => document.querySelector(s).getBoundingClientRect();
        return {figures: box('.st-key-key_figure_0').bottom, range: box('.st-key-mc_range'),
                chart: box("[class*='st-key-chart_']").top};
    }""")
    assert boxes["figures"] - 1 <= boxes["range"]["top"] and boxes["range"]["bottom"] <= boxes["chart"] + 1, boxes

    # Move the substitution slider down with the keyboard, as a user would.
    slider = page.locator("[data-testid='stSlider']", has_text="Substitution and circumvention").locator(
        "input[type='range']")
    slider.focus()
    for _ in range(20):
        slider.press("ArrowLeft")
    # Wait for the reruns to settle: the URL carries the new value and nothing changes any more.
    page.wait_for_function("window.location.search.includes('substitution_pct=')", timeout=30_000)
    wait_drawn(page)
    after = stable_headline(page)
    share_url = page.url
    assert after != before

    # The share URL in a fresh browser context restores exactly the same results.
    page2 = session()
    page2.goto(share_url)
    wait_drawn(page2)
    assert stable_headline(page2) == after
    metrics = page.locator(KEY_FIGURES).all_inner_texts()
    assert len(metrics) == 4 and page2.locator(KEY_FIGURES).all_inner_texts() == metrics
    # one range per scenario: the moved scenario's, the same in the new session
    moved_range = range_text(page)
    assert moved_range != first_range and range_text(page2) == moved_range
    # ... and the copy-link box (in a popover at the sidebar's top) shows that URL's query.
    assert share_link(page2) == share_url.split("?", 1)[1]
    # and the link box of the session that moved the slider follows its URL (a slider move reruns it)
    assert share_link(page) == share_url.split("?", 1)[1]

    # A data table is built when its expander opens (closed ones cost nothing).
    data = page.locator("[data-testid='stExpander']", has_text="Data: ").first
    assert data.locator("[data-testid='stDataFrame']").count() == 0
    data.locator("summary").click()
    data.locator("[data-testid='stDataFrame']").wait_for(timeout=30_000)
    wait_idle(page)


TABS = ["Overview", "Restriction events", "Countries & observed data", "Compare", "Uncertainty", "Downloads",
        "Method & sources"]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_tab_renders_without_errors(server, session, size):
    """Every tab at desktop and phone size: no KaTeX error, no exception, no console error (checked
    by the fixture), nothing wider than the viewport; on a phone the answer comes first."""
    viewport = DESKTOP if size == "desktop" else PHONE
    page = session(viewport, **(PHONE_CONTEXT if size == "phone" else {}))
    page.goto(server)
    wait_drawn(page)
    if size == "phone":
        geometry = page.evaluate("""() => {
            const box = e => e && e.getBoundingClientRect();
            const sb = document.querySelector('[data-testid="stSidebar"]');
            return {head: box(document.querySelector('h4')),
                    metrics: [...document.querySelectorAll('[class*="st-key-key_figure_"]')].map(box),
                    chart: box(document.querySelector("[class*='st-key-chart_']")),
                    sidebar: sb ? sb.getAttribute('aria-expanded') : null,
                    sidebarRight: sb ? sb.getBoundingClientRect().right : 0};
        }""")
        assert geometry["sidebar"] != "true" and geometry["sidebarRight"] <= 1, "sidebar open on a phone"
        head, metrics, chart = geometry["head"], geometry["metrics"], geometry["chart"]
        assert head["top"] < PHONE["height"], "headline not on the first screen"
        assert metrics and all(m["top"] >= head["bottom"] - 1 for m in metrics), "metrics overlap the headline"
        for a, b in zip(metrics, metrics[1:]):  # stacked, not overlapping
            assert b["top"] >= a["bottom"] - 1 or b["left"] >= a["right"] - 1
        assert chart["top"] >= max(m["bottom"] for m in metrics) - 1, "a chart comes before the key figures"
        # no plotly toolbar on a phone (it would sit over the chart); titles are page headings
        assert page.locator(".js-plotly-plot .modebar").count() == 0
        page.screenshot(path=str(ARTIFACTS / "phone-first-screen.png"))
    for tab in TABS:
        open_tab(page, tab)
        if tab == "Countries & observed data" and size == "desktop":  # the map switches to the observed usage
            page.get_by_text("Observed usage", exact=True).click()
            page.locator(".st-key-chart_map").get_by_text("Usage, % of people").first.wait_for(timeout=60_000)
            wait_idle(page)
        if tab == "Restriction events":  # the per-event bars and the timeline draw
            page.wait_for_selector(".st-key-chart_event_losses .js-plotly-plot .main-svg", timeout=60_000)
            page.wait_for_selector(".st-key-chart_events_timeline .js-plotly-plot g.trace", timeout=60_000)
            assert page.locator(".st-key-chart_events_timeline .js-plotly-plot g.trace").count() >= 1
        problems = page_problems(page, viewport["width"])
        slug = re.sub(r"\W+", "-", tab.lower()).strip("-")
        page.screenshot(path=str(ARTIFACTS / f"tab-{slug}-{size}.png"), full_page=True)
        assert not problems, f"{tab} ({size}): {problems}"
    # plotly.js (the other tabs' charts) was fetched once: the app's warm-up after the Overview and
    # Streamlit's own import are one module (app.PLOTLY_WARM_UP)
    fetched = page.evaluate("performance.getEntriesByType('resource').filter(e => /PlotlyChart\\.[^/]*\\.js$/"
                            ".test(e.name)).length")
    assert fetched == 1, fetched


def test_custom_group_can_be_chosen_and_typed(server, session):
    """Bug: choosing 'Custom list of countries' blanked the main area with an error before anything
    could be typed."""
    page = session()
    page.goto(server)
    wait_drawn(page)
    page.locator("[data-testid='stSelectbox']", has_text="Restricted group").click()
    page.keyboard.type("Custom")  # the list is virtual: filter it to the option
    page.locator("[role='option']", has_text="Custom list of countries").click()
    box = page.locator("[data-testid='stTextInput'] input")
    box.wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert page.locator(HEADLINE).count() == 1, "the main area went blank"
    box.fill("DEU, FRA")
    box.press("Enter")
    page.wait_for_function("document.querySelector('h4') && document.querySelector('h4').innerText"
                           ".includes('DEU, FRA loses')", timeout=30_000)
    assert "restricted_group=DEU" in page.url


def test_fast_pin_after_a_preset_change_pins_the_new_values(server, session):
    """Bug: a click on 'Pin this scenario' within ~100 ms of a preset change pinned the old preset's
    values under the new name. The browser is made to click before it has the rerun's answer by
    holding the server's messages back (a slow server, reproduced every time)."""
    page = session()
    hold = WebSocketHold(page)
    page.goto(f"{server}/?hp=jpmorgan-high&rp=eu-apple-intelligence-delay")
    wait_drawn(page)
    open_tab(page, "Compare")
    page.locator("[data-testid='stSelectbox']", has_text="Restriction preset").click()
    option = page.locator("[role='option']", has_text=re.compile("Meta AI|eu-meta-ai-delay"))
    with hold:
        option.click()
        page.wait_for_timeout(100)
        page.get_by_role("button", name="Pin this scenario").click()
        page.wait_for_timeout(300)
    wait_idle(page)
    # the link and the pinned scenario hold exactly the new preset (no stale slider value)
    assert page.url.endswith("?hp=jpmorgan-high&rp=eu-meta-ai-delay"), page.url
    pinned = page.locator("[data-testid='stMarkdownContainer']", has_text="Pinned 1").first.inner_text()
    assert "Meta AI" in pinned and "no changes" in pinned, pinned


def test_every_download_in_a_row(server, session):
    """Bug: clicking 'IAMC CSV' then 'Excel' sometimes downloaded nothing (deferred file not found)."""
    page = session()
    page.goto(f"{server}/?hp=jpmorgan-low&rp=italy-chatgpt-ban")
    wait_drawn(page)
    open_tab(page, "Downloads")
    expected = {"Tidy CSV": b"scenario,region,year", "IAMC CSV": b"Model,Scenario,Region",
                "Excel": b"PK\x03\x04", "Scenario JSON": b"{", "HTML report": b"<!DOCTYPE html>"}
    for _ in range(2):  # twice round, each click straight after the previous download
        for name, start in expected.items():
            with page.expect_download(timeout=30_000) as d:
                page.locator("[data-testid='stDownloadButton'] button", has_text=name).click()
            data = open(d.value.path(), "rb").read()
            assert data.startswith(start), (name, data[:40])
            assert len(data) > 200, name


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
    # 6 charts, 3 of uncertainty, 3 beside the observations (usage paths, usage and exposure maps)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 12", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length > 300", timeout=60_000)
    assert "EU27 loses" in page.locator(".headline").inner_text()
    # the table of economies sorts by a click on a header; economies without a value stay last
    table = page.locator("table.sortable")
    assert table.locator("tbody tr").first.get_attribute("class") == "eu"  # EU members first
    usage_col = [h.strip() for h in table.locator("th").all_inner_texts()].index(
        "People using generative AI (%, Microsoft) \u2195")
    table.locator("th").nth(usage_col).click()
    values = [c.get_attribute("data-v") for c in table.locator(f"tbody tr td:nth-child({usage_col + 1})").all()]
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers) and len(numbers) > 100 and all(values[:len(numbers)])
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
    ctx.close()
    assert not blocked, f"the report tried to fetch: {blocked[:5]}"
    assert not watch.console_errors, watch.console_errors[:5]
