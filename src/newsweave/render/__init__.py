"""Render: the report as JSON, Markdown or one self-contained HTML file."""

from __future__ import annotations

from ..model import Report
from .html import render_html
from .json import render_json, report_dict
from .markdown import render_markdown

FORMATS = {"json": render_json, "md": render_markdown, "html": render_html}


def render(report: Report, fmt: str) -> str:
    return FORMATS[fmt](report)


__all__ = ["FORMATS", "render", "render_html", "render_json", "render_markdown", "report_dict"]
