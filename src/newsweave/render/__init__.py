"""Render: the report as JSON, Markdown or one self-contained HTML file."""

from __future__ import annotations

from typing import TextIO

from ..model import Report
from .html import render_html
from .json import render_json, report_dict, write_json
from .markdown import render_markdown

FORMATS = {"json": render_json, "md": render_markdown, "html": render_html}


def render(report: Report, fmt: str) -> str:
    return FORMATS[fmt](report)


def write(report: Report, fmt: str, fh: TextIO) -> None:
    """``render(report, fmt)`` written to ``fh``; JSON is streamed (``write_json``)."""
    if fmt == "json":
        write_json(report, fh)
    else:
        fh.write(render(report, fmt))


__all__ = ["FORMATS", "render", "render_html", "render_json", "render_markdown", "report_dict",
           "write", "write_json"]
