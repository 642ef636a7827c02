"""Driving the dashboard in the system's headless Chromium (the browser test, the benchmark and
the README screenshot): Debian's ``chromium`` under Playwright, never a downloaded browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: Advance the live model one step and resolve, in milliseconds, when the page shows the new
#: period and the browser has painted twice (the charts and network are drawn by then).
STEP_AND_REDRAW_JS = """async () => {
  const period = () => document.querySelector('[data-figure="period"]').innerText;
  const before = period();
  const button = [...document.querySelectorAll('button')]
    .find(b => b.innerText.trim().toLowerCase() === 'step');
  const start = performance.now();
  button.click();
  while (period() === before) { await new Promise(r => setTimeout(r, 2)); }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - start;
}"""


def find_chromium() -> str | None:
    """The system Chromium's path, or None."""
    for candidate in (CHROMIUM, shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _chromium() -> str:
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError(f"no system Chromium at {CHROMIUM}: apt-get install chromium")
    return chromium


def launch_browser(playwright: Any) -> Any:
    """The headless system Chromium as a Playwright browser, for several separate contexts
    (``browser.new_context()``: each its own cookies and storage, like separate machines)."""
    return playwright.chromium.launch(
        executable_path=_chromium(), args=list(CHROMIUM_ARGS), headless=True
    )


def launch(
    playwright: Any, profile: Path, width: int = 1500, height: int = 1300, zoom: float = 1.0
) -> Any:
    """A headless Chromium context with a fresh user-data-dir ``profile`` that looks like a
    ``width`` x ``height`` screen at browser zoom ``zoom`` (CSS viewport divided by the zoom,
    device pixels multiplied by it)."""
    chromium = _chromium()
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium,
        args=list(CHROMIUM_ARGS),
        headless=True,
        viewport={"width": round(width / zoom), "height": round(height / zoom)},
        device_scale_factor=zoom,
    )


def wait_until_ready(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait until Mesa's Step button, the figures and the charts are on the page."""
    page.get_by_role("button", name="Step", exact=True).wait_for(timeout=timeout_ms)
    page.locator('[data-figure="period"]').wait_for(timeout=timeout_ms)
    page.locator(".ckm-charts canvas").first.wait_for(timeout=timeout_ms)


def screen_context(playwright: Any, profile: Path, width: int, height: int, zoom: float) -> Any:
    """A context that looks like a ``width`` x ``height`` screen at browser zoom ``zoom``."""
    return launch(playwright, profile, width, height, zoom)


def period_of(page: Any) -> int:
    """The period the page's clock shows."""
    text = page.locator('[data-figure="period"]').first.inner_text()
    return int(text.split()[1])


def run_to(page: Any, target: int, timeout_ms: int = 120_000) -> None:
    """Type ``target`` into "Run to period", press its button, wait until the clock shows it."""
    box = page.locator(".ckm-target input")
    box.fill(str(target))
    box.press("Enter")
    page.get_by_role("button", name=f"Run to {target}").click()
    page.wait_for_function(
        "t => document.querySelector('[data-figure=\"period\"]').innerText"
        ".startsWith('Period ' + t + ' ')",
        arg=target,
        timeout=timeout_ms,
    )
