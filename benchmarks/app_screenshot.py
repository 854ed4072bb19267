"""Retake ``docs/img/app.png``: the app's first screen at 1440x900 in Debian's chromium (Playwright).

Run: ``.venv/bin/python benchmarks/app_screenshot.py [--out docs/img/app.png]``. Starts the app on a
free 127.0.0.1 port with the default scenario, waits until every Overview chart has drawn and
saves the first screen: the headline, the key figures (the restricted group's loss first) and the
loss each year by lever.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS, DESKTOP, chromium_path, streamlit_server, wait_drawn  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img" / "app.png"))
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=DESKTOP)
        page.goto(url)
        wait_drawn(page)
        page.wait_for_timeout(500)
        page.screenshot(path=a.out)
        browser.close()
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
