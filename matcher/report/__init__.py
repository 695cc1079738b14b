"""Output: the gap report as one pydantic model (``model.py``: JSON and its schema) and, rendered from that model,
Markdown and HTML (``render.py`` with ``templates/``)."""

from matcher.report.model import GapReport, report_model, report_schema, report_to_dict, upgrade_stored
from matcher.report.render import render_html, render_markdown

__all__ = [
    "GapReport",
    "render_html",
    "render_markdown",
    "report_model",
    "report_schema",
    "report_to_dict",
    "upgrade_stored",
]
