"""The report as JSON, following spec/report-v1.md."""

from __future__ import annotations

import json as _json

from ..model import Report, to_dict


def report_dict(report: Report) -> dict:
    data = to_dict(report)
    data.pop("inputs", None)
    data["inputs"] = report.inputs  # an added field: how many inputs the run saw
    return data


def render_json(report: Report) -> str:
    return _json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"
