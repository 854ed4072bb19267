"""The app as a user feels it: the real Streamlit server on 127.0.0.1 in Debian's chromium (Playwright).

Run: ``.venv/bin/python benchmarks/bench_browser.py`` (all parts) or pick parts with
``--only visit,slider,uncertainty,memory,concurrency``. Starts its own server on a free localhost
port (or ``--url http://127.0.0.1:PORT`` for a running one; only 127.0.0.1/localhost is accepted)
and prints medians:

* visit: a first visit (a new session on a running server) until the headline and key figures
  show, until every Overview chart has drawn, and until the uncertainty range under the key
  figures (its Monte Carlo comes last) shows;
* slider: one key press on a slider until the central figures (key figures) are drawn changed;
* uncertainty: opening the Uncertainty tab of a new scenario 0.5 s or 3 s after the Overview has
  drawn (its range ran the tab's Monte Carlo) until the probability statement and the fan charts
  are drawn;
  then a new seed (2,000 draws not run yet) until the probability statement changes;

* memory: the server's resident memory (RSS) after a warm-up and after an hour-equivalent of
  slider moves (``--moves``, default 720: one move every 5 s for an hour), with sessions coming
  and going, then after the sessions closed;
* concurrency: N simultaneous browser sessions (``--users 4,8,16``) each moving a slider
  ``--moves-per-user`` times; prints page-load and rerun percentiles.

Browser times are the page's own (see ``TIMING_JS``): from the navigation's start (a visit), the
key press or the click, to the first frame drawn after the change, as a user sees it.

Every loop is bounded; nothing is asserted (targets are in the README's app section).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
print = functools.partial(print, flush=True)  # noqa: A001  (progress shows when piped)
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHARTS_DRAWN as TAB_CHARTS_DRAWN  # noqa: E402
from browser import CHROMIUM_ARGS, DESKTOP, HEADLINE, OVERVIEW_CHARTS, chromium_path, streamlit_server  # noqa: E402

METRICS = "document.querySelectorAll(\"[class*='st-key-key_figure_'] h3\").length >= 4"
#: Every Overview chart drawn (tests/browser.py: each keyed chart has its plot, a map its countries).
CHARTS_DRAWN = f"({TAB_CHARTS_DRAWN})({OVERVIEW_CHARTS})"
FIRST_METRIC = "(document.querySelector('.st-key-key_figure_0 h3') || {}).innerText"
#: The Overview's uncertainty range has arrived (it replaces a "drawing scenarios" line).
RANGE_SHOWN = "(document.querySelector('.st-key-mc_range') || {innerText: ''}).innerText.includes('percentile')"
#: An app without the range (an older copy run with --app): nothing to wait for.
NO_RANGE = "!document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Uncertainty range')"
SLIDER = "[data-testid='stSlider']:has-text('Substitution and circumvention') input[type='range']"


#: In-page timing, installed before the page's own scripts. For each milestone it records the
#: browser's time (``performance.now()``, from the navigation's start) of the first animation frame
#: after the milestone's condition held in the DOM: when the user can first see it. The test
#: driver's own polling (``wait_for_function``) runs on the page's main thread too, so it only
#: notices a change after the long tasks that follow it (plotly.js loading, charts drawing): it
#: reads hundreds of milliseconds late, and is printed beside the in-page figure for comparison.
TIMING_JS = r"""
(() => {
  const shown = window.__shown = {};
  const conds = {
    shell: () => document.querySelector("[data-testid='stSidebar'] h2"),
    head: () => document.querySelector("h4") && (%(METRICS)s),
    charts: () => %(CHARTS_DRAWN)s,
    range: () => %(RANGE_SHOWN)s,
    uncertainty: () => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4 &&
      [...document.querySelectorAll('[data-testid=stMarkdownContainer]')].some(e => e.innerText.includes('P(')),
  };
  let figure = null;
  window.__reset = (names) => names.forEach(n => delete shown[n]);
  const check = () => {
    const now = performance.now();
    for (const [name, cond] of Object.entries(conds)) {
      if (!(name in shown) && !shown['_pending_' + name]) {
        let ok = false;
        try { ok = !!cond(); } catch (e) {}
        if (ok) { shown['_pending_' + name] = now; requestAnimationFrame(() => { shown[name] = performance.now(); delete shown['_pending_' + name]; }); }
      }
    }
    const el = document.querySelector('.st-key-key_figure_0 h3');
    const v = el && el.innerText;
    if (v && v !== figure) {
      if (figure !== null) requestAnimationFrame(() => { shown.figure_changed = performance.now(); });
      figure = v;
    }
  };
  document.addEventListener('keydown', () => { shown.key = performance.now(); delete shown.figure_changed; }, true);
  document.addEventListener('pointerdown', () => { shown.click = performance.now(); }, true);
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(check).observe(document.body, {subtree: true, childList: true, characterData: true});
  });
})();
"""


def timed_context(browser):
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.add_init_script(TIMING_JS % {"METRICS": METRICS, "CHARTS_DRAWN": CHARTS_DRAWN, "RANGE_SHOWN": RANGE_SHOWN})
    return ctx


def shown(page, name: str, timeout: int = 120_000) -> float:
    """Wait until the milestone has been drawn; its in-page time (ms from the navigation's start)."""
    page.wait_for_function(f"'{name}' in window.__shown", timeout=timeout, polling=50)
    return page.evaluate(f"window.__shown['{name}']")


def ms(t0: float) -> float:
    return 1000 * (time.perf_counter() - t0)


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q / 100 * (len(v) - 1))))]


def line(name: str, values: list[float], unit: str = "ms") -> None:
    print(f"  {name:<62} median {statistics.median(values):8.0f} {unit}   (n={len(values)}, "
          f"min {min(values):.0f}, max {max(values):.0f})")


def wait_metric_change(page, before: str, timeout: int = 60_000) -> None:
    page.wait_for_function(f"{FIRST_METRIC} && {FIRST_METRIC} !== {before!r}", timeout=timeout, polling=16)


def visit(browser, url: str, repeat: int) -> None:
    names = ["shell", "head", "charts", "range"]
    seen = {n: [] for n in names}
    polled = {"head": [], "charts": []}
    for i in range(repeat + 1):
        ctx = timed_context(browser)
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(f"{url}/?hp=jpmorgan-high&rp=eu-meta-ai-delay&leakage_pct={i}")  # a new scenario each time
        page.wait_for_function(METRICS, timeout=120_000, polling=16)
        t_head = ms(t0)
        page.wait_for_function(CHARTS_DRAWN, timeout=120_000, polling=50)
        t_charts = ms(t0)
        has_range = not page.evaluate(NO_RANGE)
        times = {n: shown(page, n) for n in names if n != "range" or has_range}
        ctx.close()
        if i:  # the first visit also warms the server (imports, caches of the data tables)
            for n, t in times.items():
                seen[n].append(t)
            polled["head"].append(t_head)
            polled["charts"].append(t_charts)
    print("first visit (new session on a running server; drawn on screen, from the navigation's start):")
    line("Streamlit's page loaded and the sidebar drawn", seen["shell"])
    line("headline and key figures shown", seen["head"])
    line("all Overview charts drawn", seen["charts"])
    if seen["range"]:
        line("uncertainty range shown (Monte Carlo of a new scenario)", seen["range"])
    print("  as the test driver's polling saw them (it waits behind the page's long tasks):")
    line("  headline and key figures", polled["head"])
    line("  all Overview charts", polled["charts"])


def slider(browser, url: str, repeat: int) -> None:
    ctx = timed_context(browser)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
    page.wait_for_timeout(1000)
    figures, polled, charts = [], [], []
    s = page.locator(SLIDER)
    for i in range(repeat):
        before = page.evaluate(FIRST_METRIC)
        s.focus()
        t0 = time.perf_counter()
        s.press("ArrowLeft")
        wait_metric_change(page, before)
        polled.append(ms(t0))
        page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000,
                               polling=16)
        charts.append(ms(t0))
        figures.append(shown(page, "figure_changed") - page.evaluate("window.__shown.key"))
        page.wait_for_timeout(300)
    ctx.close()
    print("slider change (one key press, a new value each time; from the key press):")
    line("central figures (key figures) drawn with their new values", figures)
    line("  as the test driver's polling saw them", polled)
    line("rerun finished (every Overview chart sent; driver's polling)", charts)


#: How long the user reads the Overview before opening the Uncertainty tab (s): soon after it drew,
#: or after a few seconds (the app loads plotly.js, which the tab's charts need, once the Overview's
#: charts have drawn and the browser is idle: app.PLOTLY_WARM_UP).
READ_FIRST_S = (0.5, 3.0)


def uncertainty(browser, url: str, repeat: int) -> None:
    cached, fresh = {s: [] for s in READ_FIRST_S}, []
    for i in range(repeat * len(READ_FIRST_S)):
        read_s = READ_FIRST_S[i % len(READ_FIRST_S)]
        ctx = timed_context(browser)
        page = ctx.new_page()
        page.goto(f"{url}/?hp=jpmorgan-high&rp=eu-meta-ai-delay&leakage_pct={50 + i}")  # not cached
        # The user opens the tab after reading the Overview (its range used the same Monte Carlo).
        page.wait_for_function(f"{CHARTS_DRAWN} && ({RANGE_SHOWN} || {NO_RANGE})", timeout=120_000, polling=50)
        page.wait_for_timeout(1000 * read_s)
        page.evaluate("window.__reset(['uncertainty'])")
        page.get_by_role("tab", name="Uncertainty", exact=True).click()
        cached[read_s].append(shown(page, "uncertainty") - page.evaluate("window.__shown.click"))
        if i % len(READ_FIRST_S):
            ctx.close()
            continue
        # A new seed: 2,000 draws the server has not run yet.
        statement = page.locator("[data-testid='stMarkdownContainer']:has-text('P(')").first.inner_text()
        seed = page.get_by_label("Seed")
        seed.fill(str(100 + i))
        t0 = time.perf_counter()
        seed.press("Enter")
        page.wait_for_function(
            "(() => { const e = [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
            f".find(e => e.innerText.includes('P(')); return e && e.innerText !== {statement!r}; }})()",
            timeout=120_000, polling=16)
        fresh.append(ms(t0))
        ctx.close()
    print("Uncertainty tab (default 2,000 draws, a new scenario each time):")
    for read_s, times in cached.items():
        line(f"opened {read_s:g} s after the Overview drew: probability and fan charts drawn", times)
    line("a new seed (2,000 new draws): probability updated (driver's polling)", fresh)


def rss_mb(pid: int) -> float:
    import psutil

    p = psutil.Process(pid)
    return sum(c.memory_info().rss for c in [p, *p.children(recursive=True)]) / 2**20


def memory(browser, url: str, pid: int | None, moves: int) -> None:
    if pid is None:
        print("memory: needs the server's pid (run without --url)")
        return

    def session_moves(n: int, start: int) -> None:
        ctx = browser.new_context(viewport=DESKTOP)
        page = ctx.new_page()
        page.goto(f"{url}/?hp=jpmorgan-high&rp=eu-meta-ai-delay&leakage_pct={start % 40}")
        page.wait_for_function(METRICS, timeout=120_000)
        s = page.locator(SLIDER)
        for j in range(n):
            before = page.evaluate(FIRST_METRIC)
            s.focus()
            s.press("ArrowLeft" if (j // 40) % 2 == 0 else "ArrowRight")
            with contextlib.suppress(Exception):
                wait_metric_change(page, before, timeout=20_000)
        ctx.close()

    session_moves(60, 0)  # warm-up: imports, data tables, plotly, caches filling
    time.sleep(2)
    warm = rss_mb(pid)
    t0 = time.perf_counter()
    per_session = 60
    done = 0
    while done < moves:  # sessions come and go, as users do
        n = min(per_session, moves - done)
        session_moves(n, done)
        done += n
    after = rss_mb(pid)
    time.sleep(5)
    idle = rss_mb(pid)
    print(f"memory: {moves} slider moves in {done // per_session + bool(done % per_session)} sessions, "
          f"{time.perf_counter() - t0:.0f} s")
    print(f"  server RSS after warm-up {warm:7.0f} MB")
    print(f"  server RSS after moves   {after:7.0f} MB   ({100 * (after - warm) / warm:+.1f}% vs warm-up)")
    print(f"  server RSS 5 s later     {idle:7.0f} MB")


async def one_user(browser, url: str, k: int, moves: int, loads: list, reruns: list) -> None:
    ctx = await browser.new_context(viewport=DESKTOP)
    page = await ctx.new_page()
    t0 = time.perf_counter()
    await page.goto(f"{url}/?hp=jpmorgan-high&rp=eu-meta-ai-delay&leakage_pct={k}")
    await page.wait_for_function(METRICS, timeout=300_000, polling=50)
    loads.append(ms(t0))
    s = page.locator(SLIDER)
    await s.wait_for(state="attached", timeout=300_000)  # the sidebar is sent after the answer
    for j in range(moves):
        before = await page.evaluate(FIRST_METRIC)
        await s.focus(timeout=300_000)
        t0 = time.perf_counter()
        await s.press("ArrowLeft", timeout=300_000)
        try:
            await page.wait_for_function(f"{FIRST_METRIC} && {FIRST_METRIC} !== {before!r}", timeout=300_000,
                                         polling=50)
            reruns.append(ms(t0))
        except Exception:
            reruns.append(float("inf"))
        await page.wait_for_timeout(1000)  # a user looks at the result before the next move
    await ctx.close()


async def concurrency(url: str, users: list[int], moves: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        print(f"concurrent sessions (each: open the page, then {moves} slider moves 1 s apart):")
        for n in users:
            loads, reruns = [], []
            results = await asyncio.gather(*(one_user(browser, url, k, moves, loads, reruns) for k in range(n)),
                                           return_exceptions=True)
            failed = [r for r in results if isinstance(r, BaseException)]
            if failed:
                print(f"  N={n:2d}: {len(failed)} session(s) failed: {str(failed[0]).splitlines()[0]}")
            if not loads or not reruns:
                continue
            print(f"  N={n:2d}: page load to key figures p50 {pct(loads, 50):6.0f} p90 {pct(loads, 90):6.0f} ms; "
                  f"rerun to new figures p50 {pct(reruns, 50):6.0f} p90 {pct(reruns, 90):6.0f} "
                  f"p99 {pct(reruns, 99):6.0f} max {max(reruns):6.0f} ms")
        await browser.close()


def load_note() -> None:
    import os

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (figures are pessimistic "
          "when it is above the core count)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    ap.add_argument("--app", default="app.py", help="the script the started server runs (e.g. an older copy, to "
                                                  "compare under the same load)")
    ap.add_argument("--only", default="visit,slider,uncertainty,memory,concurrency")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--moves", type=int, default=720)
    ap.add_argument("--users", default="4,8,16")
    ap.add_argument("--moves-per-user", type=int, default=5)
    a = ap.parse_args()
    parts = set(a.only.split(","))
    if a.url and urlparse(a.url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("only a server on 127.0.0.1/localhost")
    from playwright.sync_api import sync_playwright

    load_note()
    print(f"app: {a.url or a.app}")

    with contextlib.ExitStack() as stack:
        if a.url:
            url, pid = a.url.rstrip("/"), None
        else:
            url, proc = stack.enter_context(streamlit_server(app=a.app, with_process=True))
            pid = proc.pid
        if parts & {"visit", "slider", "uncertainty", "memory"}:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                if "visit" in parts:
                    visit(browser, url, a.repeat)
                if "slider" in parts:
                    slider(browser, url, 2 * a.repeat)
                if "uncertainty" in parts:
                    uncertainty(browser, url, a.repeat)
                if "memory" in parts:
                    memory(browser, url, pid, a.moves)
                browser.close()
        if "concurrency" in parts:
            asyncio.run(concurrency(url, [int(x) for x in a.users.split(",")], a.moves_per_user))


if __name__ == "__main__":
    main()
