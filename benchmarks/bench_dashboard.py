"""Dashboard responsiveness at the classroom size (about 1,000 customers): step + redraw.

Two measurements, printed in milliseconds (median and 90th percentile over the steps):

1. server: the dashboard's Step button pressed in solara's test renderer: the model steps and
   every live view recomputes what it sends (network colours, charts, figures);
2. browser (when the system Chromium is installed): Step clicked in headless Chromium, until the
   page shows the new period and has painted twice: the whole round trip a class sees.

``--screenshot PATH`` also saves the page after the browser steps (docs/img/dashboard.png).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def summary(times_ms: list[float]) -> str:
    ordered = sorted(times_ms)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(ordered):6.1f} ms   p90 {p90:6.1f} ms   (n={len(ordered)})"


def bench_server(steps: int) -> list[float]:
    import ipyvuetify as vw
    import solara

    from ckm_sim.dashboard import app

    @solara.component
    def Shell():
        with solara.AppLayout():
            app.Page()

    _, rc = solara.render(Shell(), handle_error=False)
    button = rc.find(vw.Btn, children=["Step"]).widget
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        button.click()
        times.append(1000 * (time.perf_counter() - start))
    return times


def bench_browser(steps: int, screenshot: Path | None) -> list[float] | None:
    from ckm_sim.dashboard.browser import (
        STEP_AND_REDRAW_JS,
        find_chromium,
        launch,
        wait_until_ready,
    )
    from ckm_sim.dashboard.server import dashboard_server

    if find_chromium() is None:
        print("browser: skipped, no system Chromium (apt-get install chromium)")
        return None
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with dashboard_server(tmp_path / "server.log") as url, sync_playwright() as pw:
            context = launch(pw, tmp_path / "profile", width=1500, height=1850)
            try:
                page = context.new_page()
                page.goto(url)
                wait_until_ready(page)
                page.wait_for_timeout(1000)
                times = [page.evaluate(STEP_AND_REDRAW_JS) for _ in range(steps)]
                if screenshot is not None:
                    page.wait_for_timeout(800)
                    screenshot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(screenshot), full_page=True)
                    print(f"screenshot written to {screenshot}")
            finally:
                context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="steps to time (default 30)")
    parser.add_argument("--screenshot", type=Path, help="save the page after the browser run")
    parser.add_argument("--no-browser", action="store_true", help="server measurement only")
    args = parser.parse_args()
    print(f"classroom size: baseline preset, 1,000 customers + 500 prospects, {args.steps} steps")
    print(f"server  step+redraw: {summary(bench_server(args.steps))}")
    if not args.no_browser:
        times = bench_browser(args.steps, args.screenshot)
        if times:
            print(f"browser step+redraw: {summary(times)}")


if __name__ == "__main__":
    main()
