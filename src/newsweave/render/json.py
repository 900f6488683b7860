"""The report as JSON, following spec/report-v1.md.

``write_json`` streams it: each article, story and problem is converted and written on its own,
so a run's peak memory is its report's objects, not also a dict tree and a string of the whole
(the JSON of 10,000 articles is about 400 MB). ``render_json`` returns the same text.
"""

from __future__ import annotations

import io
import json as _json
from typing import TextIO

from ..model import Report, replace, to_dict

# the report's long lists, written an element at a time
_STREAMED = ("articles", "problems", "stories")


def report_dict(report: Report) -> dict:
    data = to_dict(report)
    data.pop("inputs", None)
    data["inputs"] = report.inputs  # an added field: how many inputs the run saw
    return data


def _dumps(value) -> str:
    return _json.dumps(value, ensure_ascii=False, indent=2)


def write_json(report: Report, fh: TextIO) -> None:
    """Write ``json.dumps(report_dict(report), ensure_ascii=False, indent=2)`` and a newline to
    ``fh``, the long lists an element at a time (same text, a fraction of the memory)."""
    skeleton = report_dict(replace(report, **{k: () for k in _STREAMED}))
    fh.write("{\n")
    for n, (key, value) in enumerate(skeleton.items()):
        fh.write(f"  {_dumps(key)}: ")
        items = getattr(report, key) if key in _STREAMED else ()
        if items:
            fh.write("[\n")
            for i, obj in enumerate(items):
                fh.write("    " + _dumps(to_dict(obj)).replace("\n", "\n    "))
                fh.write(",\n" if i < len(items) - 1 else "\n")
            fh.write("  ]")
        else:
            fh.write(_dumps(value).replace("\n", "\n  "))
        fh.write(",\n" if n < len(skeleton) - 1 else "\n")
    fh.write("}\n")


def render_json(report: Report) -> str:
    buf = io.StringIO()
    write_json(report, buf)
    return buf.getvalue()
