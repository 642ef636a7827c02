"""End to end: the dashboard served by ``ckm-sim dashboard`` in a real headless Chromium.

Debian's ``chromium`` package, driven by Playwright with its executable path set (Playwright's
own browser download is impossible here). Outside CI the test skips when no Chromium is
installed; in CI (``CI=true``) a missing Chromium is a failure: .ci/run installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ckm_sim.dashboard.browser import find_chromium, launch, wait_until_ready
from ckm_sim.dashboard.server import dashboard_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def system_chromium() -> None:
    """Skip (fail in CI) with the reason when there is no system Chromium."""
    if find_chromium() is not None:
        return
    reason = "no system Chromium (/usr/bin/chromium): apt-get install chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; .ci/run should have installed it")
    pytest.skip(reason)


@pytest.fixture
def browser_page(tmp_path: Path):
    system_chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with (
        dashboard_server(tmp_path / "server.log") as url,
        sync_api.sync_playwright() as playwright,
    ):
        context = launch(playwright, tmp_path / "chromium-profile")  # a fresh user-data-dir
        try:
            page = context.new_page()
            failed: list[str] = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.on(
                "response",
                lambda response: failed.append(response.url) if response.status >= 400 else None,
            )
            page.goto(url)
            yield page, failed
        finally:
            context.close()


def text_of(page, figure: str) -> str:
    return page.locator(f'[data-figure="{figure}"]').first.inner_text()


def test_slider_reset_step_change_figures_and_charts(browser_page, tmp_path: Path):
    page, failed = browser_page
    wait_until_ready(page)
    step = page.get_by_role("button", name="Step", exact=True)
    charts = page.locator(".ckm-charts canvas").first
    page.wait_for_timeout(500)
    assert text_of(page, "period").startswith("Period 0")
    assert "IT 0.50" in text_of(page, "settings")
    charts_before = charts.screenshot()
    figures_before = {f: text_of(page, f) for f in ("active_customers", "retention_rate")}

    # move the IT systems slider from 0.50 up with the keyboard, then Reset applies it
    slider = page.locator(".v-input", has_text="IT systems").locator('[role="slider"]')
    value_before = slider.get_attribute("aria-valuenow")
    slider.focus()
    for _ in range(8):
        slider.press("ArrowRight")
    assert slider.get_attribute("aria-valuenow") != value_before
    page.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('[data-figure=\"settings\"]').innerText.includes('IT 0.90')",
        timeout=15_000,
    )

    for _ in range(3):
        step.click()
    page.wait_for_function(
        "() => document.querySelector('[data-figure=\"period\"]').innerText.startsWith('Period 3')",
        timeout=15_000,
    )
    page.wait_for_timeout(500)  # let the browser draw the new option
    figures_after = {f: text_of(page, f) for f in figures_before}
    assert figures_after != figures_before  # retention is "–"-free now and customers moved
    assert charts.screenshot() != charts_before

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert not [u for u in failed if "/_solara/" in u], f"assets failed to load: {failed}"
