"""Regenerate docs/classroom.md's figures and the dashboard screenshots in docs/img/.

    .venv/bin/python docs/make_classroom_figures.py            # figures and screenshots
    .venv/bin/python docs/make_classroom_figures.py --check    # exit 1 if a figure is stale
    .venv/bin/python docs/make_classroom_figures.py --no-screenshots

Figures come from the dashboard's own defaults and seed (ckm_sim.dashboard.lesson); the
screenshots are the page after "Run to 60" at 1366x768, 1024x768 and 1366x768 at 150 % zoom,
in the system's headless Chromium (skipped with a note when it is not installed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ckm_sim.dashboard import lesson

DOC = Path(__file__).resolve().parent / "classroom.md"
IMG = DOC.parent / "img"
#: Screenshot name -> (screen width, screen height, zoom).
SCREENS: dict[str, tuple[int, int, float]] = {
    "classroom-1366x768.png": (1366, 768, 1.0),
    "classroom-1024x768.png": (1024, 768, 1.0),
    "classroom-1366x768-zoom150.png": (1366, 768, 1.5),
}


def screenshots(target: int = lesson.PERIOD) -> None:
    """The page after Run to ``target`` at each screen of :data:`SCREENS`."""
    from ckm_sim.dashboard.browser import find_chromium, run_to, screen_context, wait_until_ready
    from ckm_sim.dashboard.server import dashboard_server

    if find_chromium() is None:
        print("screenshots skipped: no system Chromium (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as tmp,
        sync_playwright() as pw,
        dashboard_server(Path(tmp) / "server.log") as url,
    ):
        for name, (width, height, zoom) in SCREENS.items():
            context = screen_context(pw, Path(tmp) / name, width, height, zoom)
            try:
                page = context.new_page()
                page.goto(url)
                wait_until_ready(page)
                run_to(page, target)
                page.wait_for_timeout(800)
                page.screenshot(path=str(IMG / name))
                print(f"wrote {IMG / name}")
            finally:
                context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale figures")
    parser.add_argument("--no-screenshots", action="store_true", help="figures only")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    if args.check:
        for key, doc, now in lesson.stale(text):
            print(f"{key}: docs say {doc!r}, the dashboard shows {now!r}")
        return 1 if lesson.stale(text) else 0
    DOC.write_text(lesson.render(text), encoding="utf-8")
    print(f"wrote {DOC} ({len(lesson.MARKER.findall(text))} figures)")
    if not args.no_screenshots:
        screenshots()
    return 0


if __name__ == "__main__":
    sys.exit(main())
