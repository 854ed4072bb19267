"""Helpers for the real-browser tests: a Streamlit server on localhost and Debian's chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
#: The viewports the tests use (a laptop and a phone).
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
#: A phone's browser context: touch, and a phone's User-Agent (the app hides the chart toolbar on phones).
PHONE_CONTEXT = {"is_mobile": True, "has_touch": True,
                 "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                               "Chrome/126.0 Mobile Safari/537.36"}
#: The headline sentence at the top of the Overview tab.
HEADLINE = "h4:has-text('With these assumptions')"
#: The key figures' values (plain markdown headings in containers keyed key_figure_0..3).
KEY_FIGURES = "[class*='st-key-key_figure_'] h3"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Debian's chromium is not installed: `make test` installs it with apt-get")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(app: str = "app.py", with_process: bool = False):
    """Start ``streamlit run`` on a free localhost port; yield its base URL (and the process)."""
    port = free_port()
    static_map = ROOT / "static" / "topojson" / "world_110m.json"
    if not static_map.exists():  # `make setup` builds it; a bare pytest run builds it here
        import shutil

        shutil.copyfile(ROOT / "model" / "assets" / "world_110m.json", static_map)
    # As `make app` serves it: two malloc arenas keep the server's memory flat (see the Makefile).
    env = {"MALLOC_ARENA_MAX": "2", **os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL if with_process else subprocess.PIPE,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"streamlit did not start: {out[-2000:]}")
            time.sleep(0.3)
        yield (url, proc) if with_process else url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def is_local(url: str) -> bool:
    p = urlparse(url)
    if p.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return p.hostname in ("127.0.0.1", "localhost", "::1")


#: Console messages that are not the app's errors (each with why). Keep this list short.
BENIGN_CONSOLE = [
    # chromium logs a failed favicon fetch on some pages; Streamlit serves its own favicon.
    re.compile(r"favicon\.ico"),
]


class Watch:
    """Records console errors, page errors and any request that leaves localhost."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.external: list[str] = []

    def attach(self, page) -> None:
        page.on("console", lambda m: self.console_errors.append(m.text)
                if m.type == "error" and not any(b.search(m.text) for b in BENIGN_CONSOLE) else None)
        page.on("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: None if is_local(r.url) else self.external.append(r.url))

    def check(self) -> None:
        assert not self.external, f"requests left localhost: {self.external[:5]}"
        assert not self.console_errors, f"browser console errors: {self.console_errors[:5]}"


# ----------------------------------------------------------------------------- page helpers
def wait_idle(page, quiet_ms: int = 700, timeout_ms: int = 60_000) -> None:
    """Until the app has not been running (Streamlit's status widget) nor changed its URL for ``quiet_ms``."""
    page.wait_for_function(
        """([quiet, start]) => {
            const running = !!document.querySelector('[data-testid="stStatusWidget"]');
            const w = window.__idle || (window.__idle = {url: location.href, since: performance.now()});
            if (running || w.url !== location.href) { w.url = location.href; w.since = performance.now(); }
            return performance.now() - w.since > quiet;
        }""", arg=[quiet_ms, 0], timeout=timeout_ms, polling=100)
    page.evaluate("() => { window.__idle = null; }")


#: A drawn chart: plotly's SVG, or Vega-Lite's marks (a canvas or an SVG; the Overview's charts).
PLOT = ".js-plotly-plot .main-svg, .vega-embed .marks"
#: Every chart of the open tab has drawn: each keyed chart_* element has its plot and a map its
#: countries (at least ``n`` charts).
CHARTS_DRAWN = ("(n) => { const c = [...document.querySelectorAll(\"[class*='st-key-chart_']\")]; "
                f"return c.length >= n && c.every(e => e.querySelector('{PLOT}')) && "
                "(!document.querySelector('.st-key-chart_map') || "
                "document.querySelectorAll('.st-key-chart_map path.choroplethlocation').length > 100); }")
#: The Overview's charts: the loss by year, the group's paths, the waterfall, the gains by region.
OVERVIEW_CHARTS = 4


def wait_drawn(page, timeout: int = 60_000) -> None:
    """Until the headline and the Overview's charts have drawn."""
    page.wait_for_selector(HEADLINE, timeout=timeout)
    page.wait_for_function(CHARTS_DRAWN, arg=OVERVIEW_CHARTS, timeout=timeout)
    wait_idle(page)


#: What shows that a tab has drawn.
TAB_READY = {
    "Overview": HEADLINE,
    "Restriction events": ".st-key-chart_events_timeline .js-plotly-plot .main-svg",
    "Countries & observed data": ".st-key-chart_usage .js-plotly-plot .main-svg",
    "Compare": "button:has-text('Pin this scenario')",
    "Uncertainty": "[data-testid='stMarkdownContainer']:has-text('P(')",
    "Downloads": "[data-testid='stDownloadButton']",
    "Method & sources": "h3:has-text('Data vintages')",
}


def open_tab(page, name: str, timeout: int = 60_000) -> None:
    """Click a tab and wait until its content has drawn and the app is idle."""
    page.get_by_role("tab", name=name, exact=True).click()
    page.wait_for_selector(TAB_READY[name], timeout=timeout)
    if name == "Overview":  # its four Vega-Lite charts
        page.wait_for_function(CHARTS_DRAWN, arg=OVERVIEW_CHARTS, timeout=timeout)
    if name in ("Restriction events", "Countries & observed data", "Compare", "Uncertainty"):
        page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')].length > 0 && "
                               "[...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))",
                               timeout=timeout)
    if name == "Countries & observed data":  # the map, gains per person and usage (the map's countries too)
        page.wait_for_function(CHARTS_DRAWN, arg=3, timeout=timeout)
    wait_idle(page)


def page_problems(page, width: int) -> list[str]:
    """KaTeX errors, Streamlit exceptions, anything wider than the viewport, chart toolbars over titles."""
    return page.evaluate("""(width) => {
        const out = [];
        document.querySelectorAll('.katex-error').forEach(e => out.push('KaTeX error: ' + e.textContent.slice(0, 80)));
        document.querySelectorAll('[data-testid="stException"]').forEach(e => out.push('exception: ' + e.innerText.slice(0, 200)));
        if (document.documentElement.scrollWidth > width + 1) out.push('page wider than viewport: ' + document.documentElement.scrollWidth);
        document.querySelectorAll('.vega-embed').forEach((p, i) => {
            const r = p.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 1) out.push(`Vega-Lite chart ${i} wider than viewport: ${r.right}`);
            // a legend laid out past the chart's edge is clipped, not scrolled (an SVG chart)
            p.querySelectorAll('svg.marks .role-legend').forEach(g => {
                const b = g.getBoundingClientRect();
                if (b.width > 0 && (b.right > r.right + 1 || b.left < r.left - 1))
                    out.push(`Vega-Lite chart ${i}: legend outside the chart (${b.left}-${b.right} vs ${r.left}-${r.right})`);
            });
        });
        document.querySelectorAll('.js-plotly-plot').forEach((p, i) => {
            const r = p.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 1) out.push(`chart ${i} wider than viewport: ${r.right}`);
            const bar = p.querySelector('.modebar'), title = p.querySelector('.gtitle');
            if (bar && title && getComputedStyle(bar).display !== 'none') {
                const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
                if (a.width && b.width && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
                    out.push(`chart ${i}: toolbar over the title`);
            }
        });
        return out;
    }""", width)


class WebSocketHold:
    """Hold the server's websocket messages back while inside ``with hold:`` (a slow server), then
    deliver them in order. Messages from the page to the server pass at once."""

    def __init__(self, page):
        self.holding, self.held, self.ws = False, [], None
        page.route_web_socket(re.compile(r".*/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self.ws = ws
        server.on_message(lambda m: self.held.append(m) if self.holding else ws.send(m))
        ws.on_message(lambda m: server.send(m))

    def __enter__(self):
        self.holding = True
        return self

    def __exit__(self, *exc):
        for m in self.held:
            self.ws.send(m)
        self.held.clear()
        self.holding = False
