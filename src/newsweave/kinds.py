"""The closed vocabularies of the data model: every ``kind``, ``status``, ``role`` and ``type``
field's allowed values, as ``Literal`` types.

The model annotates its fields with these, the JSON Schema (``schema.py``) turns them into
``enum`` lists, and a test checks every value the code writes against them. Imports nothing of
newsweave, so every layer may use it.
"""

from __future__ import annotations

from typing import Literal, get_args

# Problem.kind: why an input gave no article (the first eleven), a note about a kept article or
# a missing component (``warning``), an input error without a finer kind (``input``).
ProblemKind = Literal["empty", "binary", "parse", "no_text", "duplicate", "missing",
                      "unreadable", "too_large", "timeout", "too_many", "error", "warning",
                      "input"]
RemovedKind = Literal["boilerplate", "metadata", "caption", "dateline", "other"]
PublishedFrom = Literal["metadata", "text", "inferred"]
DocumentFormat = Literal["txt", "html", "jsonl"]
ReuseKind = Literal["copy", "shared_quote", "shared_wire"]
FactStatus = Literal["consensus", "single", "conflict"]
ClaimKind = Literal["state", "role"]  # a harm state ("unharmed") or a title ("prime minister")
# NumberMention.role: what happened to what is counted (extract/numbers.py ROLES)
NumberRole = Literal["killed", "injured", "shot_down", "arrested", "missing", "evacuated",
                     "displaced", "abducted"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]  # TIMEX3 types
TimePrecision = Literal["second", "minute", "hour", "part_of_day", "time", "day", "week",
                        "weekend", "month", "quarter", "half", "season", "year", "decade",
                        "century", "ref", "unknown"]
# Frame.polarity and Frame.modality: whether a claim is stated, and how firmly (extract/frames.py)
Polarity = Literal["positive", "negative"]
Modality = Literal["asserted", "possible", "expected", "alleged", "denied", "feared"]
# Entity.type and Mention.label: the spaCy labels newsweave keeps (extract/entities.py LABELS)
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT",
                     "WORK_OF_ART", "LAW"]


def values(kind) -> list[str]:
    """The allowed values of one of these ``Literal`` types, in declared order."""
    return list(get_args(kind))
