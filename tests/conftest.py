"""How `make test` spreads the suite over two processes (pytest-xdist, ``-n 2 --dist loadfile``).

Each test file runs whole on one worker, so its module-scoped fixtures (test_install's virtual
environments, the README session, the served dashboard and games) are built once; and the files
that drive a headless Chromium (marked ``browser``, named ``*_browser.py``) are one unit of work,
run one after another on one worker, so two Chromiums never share the machine's two cores (the
class game's browser test once missed a confirmation that way, see tests/test_game_browser.py's
fill_split).

Why not ``--dist loadgroup`` and an ``xdist_group`` mark: pytest-xdist 3.8 puts a test in its
group by appending ``@group`` to the test's node id, which pytest 9.2 no longer lets it change,
so the marks are silently ignored (pytest-dev/pytest-xdist#1386); and the tests it leaves
ungrouped are spread one by one, each worker building the module-scoped fixtures again. The
scheduler below needs neither: it sees only node ids, hence the file-name rule, which
:func:`pytest_collection_modifyitems` enforces.
"""

from __future__ import annotations

from typing import Any

import pytest

#: The work unit of every browser-driving file, and the suffix of those files' names.
BROWSER_UNIT = "browser"
BROWSER_SUFFIX = "_browser.py"


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its file, or :data:`BROWSER_UNIT` for the files that
    drive a browser."""
    path = nodeid.split("::", 1)[0]
    return BROWSER_UNIT if path.endswith(BROWSER_SUFFIX) else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``--dist loadfile``: xdist's file scheduler with the browser files as one unit."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return BrowserFilesTogether(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a browser test (marked ``browser``) in a file whose name does not say so: the
    scheduler would run it beside another browser."""
    for item in items:
        if item.get_closest_marker("browser") and work_unit(item.nodeid) != BROWSER_UNIT:
            raise pytest.UsageError(
                f"{item.nodeid} drives a browser: its file's name must end in {BROWSER_SUFFIX}"
            )
