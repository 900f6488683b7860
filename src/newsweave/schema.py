"""The report contract (spec/report-v1.md) as JSON Schema, draft 2020-12.

Fields listed in the contract are required with their types; extra fields are allowed
(``additionalProperties`` is left open) because the contract lets the project add fields.
"""

from __future__ import annotations

from . import kinds
from .model import SCHEMA_ID

_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_ID = {"type": "string", "minLength": 1}
_OFF = {"type": "integer", "minimum": 0}
_NULLSTR = {"type": ["string", "null"]}


def _enum(kind, nullable: bool = False) -> dict:
    """A JSON Schema enum of a ``kinds`` Literal (with null when the field may be empty)."""
    return {"enum": kinds.values(kind) + ([None] if nullable else [])}


def _obj(props: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": props,
            "required": required if required is not None else list(props)}


SPAN = _obj({"article": _ID, "start": _OFF, "end": _OFF, "text": {"type": "string"}})

ARTICLE = _obj({
    "id": _ID, "input": {"type": "string"},
    "source": _NULLSTR, "url": _NULLSTR, "title": _NULLSTR,
    "published": {"anyOf": [_DATE, {"type": "null"}]},
    "published_from": _enum(kinds.PublishedFrom, nullable=True),
    "dateline": _NULLSTR,
    "language": _NULLSTR,
    "text": {"type": "string"},
    "removed": {"type": "array", "items": _obj({
        "text": {"type": "string"},
        "kind": _enum(kinds.RemovedKind),
    })},
    "sentences": {"type": "array", "items": _obj({"start": _OFF, "end": _OFF})},
})

STORY = _obj({
    "id": _ID, "title": {"type": "string"},
    "articles": {"type": "array", "items": _ID},
    "summary": {"type": "array", "items": _obj({
        "text": {"type": "string"}, "citations": {"type": "array", "items": SPAN}})},
    "entities": {"type": "array", "items": _obj({
        "id": _ID, "name": {"type": "string"}, "type": _enum(kinds.EntityType),
        "aliases": {"type": "array", "items": {"type": "string"}},
        "articles": {"type": "array", "items": _ID},
        "mentions": {"type": "integer", "minimum": 0}})},
    "quotes": {"type": "array", "items": _obj({
        "text": {"type": "string"}, "speaker": _NULLSTR, "speaker_entity": _NULLSTR,
        "reported_by": _NULLSTR, "article": _ID, "start": _OFF, "end": _OFF})},
    "numbers": {"type": "array", "items": _obj({
        "value": {"type": "number"}, "subject": {"type": "string"}, "text": {"type": "string"},
        "article": _ID, "start": _OFF, "end": _OFF,
        "role": _enum(kinds.NumberRole, nullable=True)},
        required=["value", "subject", "text", "article", "start", "end"])},
    "times": {"type": "array", "items": _obj({
        "text": {"type": "string"}, "value": {"type": "string"}, "article": _ID,
        "start": _OFF, "end": _OFF, "type": _enum(kinds.TimeType),
        "precision": _enum(kinds.TimePrecision, nullable=True)},
        required=["text", "value", "article", "start", "end"])},
    "reuse": {"type": "array", "items": _obj({
        "articles": {"type": "array", "items": _ID, "minItems": 2, "maxItems": 2},
        "kind": _enum(kinds.ReuseKind),
        "share": {"type": "number", "minimum": 0, "maximum": 1},
        "passages": {"type": "array", "items": _obj({
            "text": {"type": "string"},
            "spans": {"type": "array", "items": SPAN, "minItems": 2, "maxItems": 2}})}})},
    "source_groups": {"type": "array", "items": {"type": "array", "items": _ID}},
    "facts": {"type": "array", "items": _obj({
        "statement": {"type": "string"}, "status": _enum(kinds.FactStatus),
        "independent_sources": {"type": "integer", "minimum": 0},
        "support": {"type": "array", "items": SPAN},
        "upstream_sources": {"type": ["integer", "null"], "minimum": 0},
        "frame": {"anyOf": [{"type": "null"}, _obj({
            "article": _ID, "start": _OFF, "end": _OFF,
            "predicate": _NULLSTR, "actor": _NULLSTR, "target": _NULLSTR,
            "polarity": _enum(kinds.Polarity), "modality": _enum(kinds.Modality),
            "attribution": _NULLSTR,
            "figures": {"type": "array", "items": {"type": "string"}},
            "places": {"type": "array", "items": {"type": "string"}},
            "times": {"type": "array", "items": {"type": "string"}}},
            required=["article", "start", "end", "polarity", "modality"])]}},
        required=["statement", "status", "independent_sources", "support"])},
    "conflicts": {"type": "array", "items": _obj({
        "topic": {"type": "string"},
        "claims": {"type": "array", "items": _obj({
            "value": {"type": ["string", "number"]}, "text": {"type": "string"}, "article": _ID,
            "start": _OFF, "end": _OFF})},
        "note": _NULLSTR})},
    "events": {"type": "array", "items": _obj({
        "title": {"type": "string"}, "articles": {"type": "array", "items": _ID, "minItems": 1},
        "first": _NULLSTR, "last": _NULLSTR}, required=["title", "articles"])},
    "updates": {"type": "array", "items": _obj({
        "what": {"type": "string"},
        "series": {"type": "array", "minItems": 2, "items": _obj({
            "value": {"type": ["string", "number"]}, "text": {"type": "string"},
            "article": _ID, "start": _OFF, "end": _OFF,
            "published": {"anyOf": [_DATE, {"type": "string"}, {"type": "null"}]}})},
        "note": _NULLSTR})},
    "timeline": {"type": "array", "items": _obj({
        "date": _DATE, "text": {"type": "string"}, "citations": {"type": "array", "items": SPAN}})},
    "event": {"anyOf": [{"type": "null"}, _obj({
        "type": {"type": "string"}, "date": {"anyOf": [_DATE, {"type": "null"}]},
        "location": _NULLSTR, "actors": {"type": "array", "items": {"type": "string"}},
        "targets": {"type": "array", "items": {"type": "string"}},
        "killed": {"type": ["integer", "null"]}, "injured": {"type": ["integer", "null"]},
        "claimed_by": _NULLSTR})]},
})

# Fields added beyond the contract: described, not required (reports of older versions lack them).
STORY["required"] = [k for k in STORY["required"] if k != "updates"]

REPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://newsweave.dev/schema/report-v1.json",
    "title": "newsweave report, version 1",
    **_obj({
        "schema": {"const": SCHEMA_ID},
        "articles": {"type": "array", "items": ARTICLE},
        "problems": {"type": "array", "items": _obj({
            "input": {"type": "string"}, "kind": _enum(kinds.ProblemKind),
            "message": {"type": "string"}})},
        "stories": {"type": "array", "items": STORY},
    }),
}


def validate_report(data: dict) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` breaks the contract, ``ValueError`` if a
    span in it does not slice its article's text (``span_errors``)."""
    import jsonschema

    jsonschema.validate(data, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
    errors = span_errors(data)
    if errors:
        raise ValueError(f"{len(errors)} spans do not match their article's text; first: "
                         f"{errors[0]}")


def span_errors(data: dict) -> list[str]:
    """The one offset check: every object in a report (as JSON data) with ``article``, ``start``,
    ``end`` and ``text`` (citations, quotes, numbers, times, conflict claims, copied passages)
    must satisfy ``articles[article].text[start:end] == text``, and every sentence must lie inside
    its article. Returns a line per span that does not."""
    texts = {a["id"]: a["text"] for a in data.get("articles", ())}
    errors: list[str] = []

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            if {"article", "start", "end", "text"} <= node.keys():
                t = texts.get(node["article"])
                if t is None:
                    errors.append(f"{path}: no article {node['article']!r}")
                elif t[node["start"]:node["end"]] != node["text"]:
                    errors.append(f"{path}: [{node['start']}:{node['end']}] of "
                                  f"{node['article']!r} is not {node['text'][:60]!r}")
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(data.get("stories", ()), "stories")
    for a in data.get("articles", ()):
        for s in a.get("sentences", ()):
            if not 0 <= s["start"] < s["end"] <= len(a["text"]):
                errors.append(f"article {a['id']!r}: sentence [{s['start']}:{s['end']}] "
                              "outside the text")
    return errors
