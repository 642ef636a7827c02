"""One page for a meeting: ``summary.html``, a self-contained summary of a what-if result.

The page holds the question, the answer in a sentence, the figure (embedded as a base64 PNG),
the confidence intervals and their caveats: one HTML file with its style inline and no link to
anything outside it, so it opens offline, from a mail attachment or a USB stick. Every text is
escaped (:func:`html.escape`); the commands fill a :class:`Summary` from the sentences their
reports already write.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from ckm_sim.io import write_text

#: The file every what-if command writes beside its report.
SUMMARY = "summary.html"
#: Said on every page: what the numbers are, and are not.
MODEL_CAVEAT = (
    "These are results of the simulation model under the scenario's assumptions "
    "(docs/ODD.md), not forecasts of a real firm."
)

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
.question { color: #555; font-size: 1.1rem; margin-top: 0; }
.answer { font-size: 1.25rem; font-weight: 600; background: #eef4fb;
          border-left: 0.3rem solid #2b6cb0; padding: 0.7rem 1rem; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; }
h2 { font-size: 1.1rem; margin-top: 1.5rem; }
.caveats li { color: #7a4b00; }
footer { color: #888; font-size: 0.85rem; margin-top: 2rem; }
</style>
</head>
<body>
<h1>$title</h1>
<p class="question">$question</p>
<p class="answer">$answer</p>
$figure
$details
$caveats
<footer>$footer</footer>
</body>
</html>
""")


@dataclass
class Summary:
    """What the page says: a question, its answer in a sentence, a figure, the estimates with
    their CIs (``details``), what to keep in mind reading them (``caveats``)."""

    title: str
    question: str
    answer: str
    figure: Path | None = None
    details: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    footer: str = "Written by ckm-sim; the full report is report.md in the same folder."


def _items(heading: str, lines: Sequence[str], css: str = "") -> str:
    if not lines:
        return ""
    cls = f' class="{css}"' if css else ""
    items = "\n".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<h2>{html.escape(heading)}</h2>\n<ul{cls}>\n{items}\n</ul>"


def _figure(path: Path | None, alt: str) -> str:
    if path is None or not path.exists():
        return ""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<p><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}"></p>'


def render(summary: Summary) -> str:
    """The page of ``summary``, every text escaped and the figure embedded."""
    return PAGE.substitute(
        title=html.escape(summary.title),
        question=html.escape(summary.question),
        answer=html.escape(summary.answer),
        figure=_figure(summary.figure, summary.title),
        details=_items("Estimates (95% confidence intervals)", summary.details),
        caveats=_items("Caveats", summary.caveats, "caveats"),
        footer=html.escape(summary.footer),
    )


def write_summary(summary: Summary, out: Path) -> Path:
    """Write ``out/summary.html`` (written then renamed, as every result file)."""
    return write_text(out / SUMMARY, render(summary))
