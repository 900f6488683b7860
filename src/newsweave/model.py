"""The data model: every type newsweave passes between stages, frozen.

Stages never mutate these objects; they return new ones with ``dataclasses.replace``.
Every span is a pair of character offsets into ``Article.text`` (the cleaned text),
``end`` exclusive, so ``article.text[start:end]`` is the span's text.

``to_dict`` turns any of these into the JSON shapes of the report contract
(``spec/report-v1.md``, published as JSON Schema by ``newsweave schema``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .kinds import (
    ClaimKind,
    DocumentFormat,
    EntityType,
    FactStatus,
    Modality,
    NumberRole,
    Polarity,
    ProblemKind,
    PublishedFrom,
    RemovedKind,
    ReuseKind,
    TimePrecision,
    TimeType,
)

SCHEMA_ID = "newsweave.report/1"


@dataclass(frozen=True)
class Span:
    """A stretch of one article's cleaned text: ``text == article.text[start:end]``.

    Quotes, mentions, numbers, times, claims and conflict claims carry the same four fields (in
    the order the report contract gives them); ``schema.span_errors`` checks every one of them in
    a report with one rule.
    """

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Removed:
    """A piece of the raw input that cleaning took out of the text, and why."""

    text: str
    kind: RemovedKind
    reason: str = ""
    raw_start: int | None = None  # offset in the decoded raw input, when known


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """Maps a run of cleaned text back to the decoded raw input: text[start:start+length] ==
    raw[raw_start:raw_start+length]."""

    start: int
    raw_start: int
    length: int


@dataclass(frozen=True)
class Document:
    """What every document has, raw or cleaned: its id, where it came from, its text and the
    metadata its container gave (outlet, URL, headline, publication date)."""

    id: str
    input: str
    text: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class RawDocument(Document):
    """What a reader produced, before cleaning: decoded text plus the metadata the container had."""

    author: str | None = None
    encoding: str | None = None
    format: DocumentFormat = "txt"
    text_is_clean: bool = False  # True when a reader (trafilatura) already extracted the body
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article(Document):
    """A cleaned article: the text stages read (every span's offsets index it), with what cleaning
    removed and, once the article stages ran, its sentences and extractions."""

    published_from: PublishedFrom | None = None
    dateline: str | None = None
    language: str | None = None
    author: str | None = None
    removed: tuple[Removed, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    paragraphs: tuple[Sentence, ...] = ()
    segments: tuple[Segment, ...] = ()
    content_hash: str = ""
    warnings: tuple[str, ...] = ()
    # Filled by the extraction stage; reported per story, not per article.
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    numbers: tuple[NumberMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    frames: tuple[Frame, ...] = ()  # one per sentence the parse gives a predicate (private)

    def span(self, start: int, end: int) -> Span:
        return Span(self.id, start, end, self.text[start:end])

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]


@dataclass(frozen=True)
class Problem:
    input: str
    kind: ProblemKind
    message: str


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...]
    articles: tuple[str, ...]
    mentions: int
    nominals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One occurrence of a named entity in an article."""

    article: str
    start: int
    end: int
    text: str
    label: EntityType
    entity: str | None = None


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None
    speaker_entity: str | None
    reported_by: str | None
    article: str
    start: int
    end: int
    cue: str | None = None
    speaker_start: int | None = None  # the mention the speaker was resolved from
    speaker_end: int | None = None
    partial: bool = False


@dataclass(frozen=True)
class NumberMention:
    value: float | int
    subject: str
    text: str
    article: str
    start: int
    end: int
    role: NumberRole | None = None
    unit: str | None = None
    approximate: bool = False  # "at least", "about", "nearly"
    implicit: bool = False  # "an armed drone" counted as 1


@dataclass(frozen=True)
class TimeMention:
    text: str
    value: str
    article: str
    start: int
    end: int
    type: TimeType = "DATE"
    precision: TimePrecision | None = None


@dataclass(frozen=True)
class Claim:
    """A typed statement cross-checking compares: a harm ``state`` or a ``role`` (title)."""

    kind: ClaimKind
    article: str
    start: int
    end: int
    text: str
    subject: str  # as written: "Al-Kadhimi", "the Prime Minister", "he" resolved to a name
    value: str  # unharmed | harmed | "prime minister" ...
    qualifier: str | None = None  # the trigger words, or the title's country ("Iraqi")


@dataclass(frozen=True)
class Frame:
    """A claim's frame, read off the parse of its sentence: who (``actor``) did what
    (``predicate``, a lemma) to whom (``target``), whether it is stated (``polarity``) and how
    firmly (``modality``: "may have", "is expected to", "denied", "allegedly"), and who says it
    (``attribution``: "police said", "according to X"). ``figures``, ``places`` and ``times``
    are filled for facts, from the story's numbers, place names and normalised dates in the
    statement. ``start``/``end`` are the sentence's offsets in its article."""

    article: str
    start: int
    end: int
    predicate: str | None = None
    actor: str | None = None
    target: str | None = None
    polarity: Polarity = "positive"
    modality: Modality = "asserted"
    attribution: str | None = None
    # further claims the sentence coordinates with its predicate ("... was unharmed and had
    # spent the afternoon helping ..."): the text of each conjoined predicate's clause
    conjuncts: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    times: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    text: str
    spans: tuple[Span, Span]


@dataclass(frozen=True)
class Reuse:
    articles: tuple[str, str]
    kind: ReuseKind
    share: float
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Fact:
    statement: str
    status: FactStatus
    independent_sources: int  # source groups: copies merged (the gold annotations' count)
    support: tuple[Span, ...]
    # outlets and agencies: one outlet's articles are one source, an agency's credit or a
    # relayed "Reuters reported" counts as that agency, copies merged (group/wires.py)
    upstream_sources: int | None = None
    frame: Frame | None = None


@dataclass(frozen=True)
class ConflictClaim:
    value: str | float | int
    text: str
    article: str
    start: int
    end: int


@dataclass(frozen=True)
class Conflict:
    topic: str
    claims: tuple[ConflictClaim, ...]
    note: str | None = None


@dataclass(frozen=True)
class UpdatePoint:
    """One value in an update's series: the figure, the span that states it, and when its
    article was published."""

    value: str | float | int
    text: str
    article: str
    start: int
    end: int
    published: str | None = None


@dataclass(frozen=True)
class Update:
    """A figure that changed while the story developed ("death toll: 81 (8 Aug) -> 257 (13 Aug)"):
    the values in publication order. Unlike a conflict, the later reports say the figure moved
    ("rose to", "revised", "now"), so all the values held, each at its time."""

    what: str
    series: tuple[UpdatePoint, ...]
    note: str | None = None


@dataclass(frozen=True)
class TimelineItem:
    date: str
    text: str
    citations: tuple[Span, ...]


@dataclass(frozen=True)
class Event:
    type: str
    date: str | None
    location: str | None
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    killed: int | None = None
    injured: int | None = None
    claimed_by: str | None = None


@dataclass(frozen=True)
class SummarySentence:
    text: str
    citations: tuple[Span, ...]


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    articles: tuple[str, ...]
    summary: tuple[SummarySentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    numbers: tuple[NumberMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    reuse: tuple[Reuse, ...] = ()
    source_groups: tuple[tuple[str, ...], ...] = ()
    facts: tuple[Fact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    timeline: tuple[TimelineItem, ...] = ()
    event: Event | None = None
    updates: tuple[Update, ...] = ()
    events: tuple[SubEvent, ...] = ()  # its developments, in date order (group/developments.py)
    # what failed in this story's stages (reported in ``Report.problems``, not per story)
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class SubEvent:
    """A development inside a story (the first reports, the investigation's findings, the
    grounding weeks later): its articles, a title from them, and its publication date range."""

    title: str
    articles: tuple[str, ...]
    first: str | None = None
    last: str | None = None


@dataclass(frozen=True)
class Report:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    stories: tuple[Story, ...]
    inputs: int = 0  # how many inputs (files, records) the run saw
    schema: str = SCHEMA_ID


# --- serialisation -------------------------------------------------------------------------

# Fields kept out of the JSON: internal bookkeeping that readers of the report don't need.
_PRIVATE = {
    Article: {"paragraphs", "content_hash", "mentions", "quotes", "numbers", "times",
              "claims", "frames"},
    Removed: {"raw_start"},
    Entity: set(),
    Story: {"problems"},
}


def to_dict(obj: Any, private: bool = False) -> Any:
    """Convert a model object (or a tuple/list of them) to plain JSON-ready values.

    ``private=True`` keeps the internal fields too (for the store, which rebuilds the objects
    with ``from_dict``)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        hidden = set() if private else _PRIVATE.get(type(obj), set())
        out = {}
        for f in dataclasses.fields(obj):
            if f.name in hidden:
                continue
            out[f.name] = to_dict(getattr(obj, f.name), private)
        if isinstance(obj, Report) and not private:
            out = {"schema": obj.schema, **{k: v for k, v in out.items() if k != "schema"}}
        return out
    if isinstance(obj, (list, tuple)):
        return [to_dict(x, private) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v, private) for k, v in obj.items()}
    return obj


def from_dict(cls: type, data: Any) -> Any:
    """Rebuild a model object from ``to_dict(obj, private=True)`` output (no pickle: a store
    file is data, never code)."""
    import types
    import typing

    def build(tp, value):
        if value is None:
            return None
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            for a in args:
                if dataclasses.is_dataclass(a) and isinstance(value, dict):
                    return build(a, value)
            return value
        if origin is tuple:
            args = typing.get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(build(args[0], v) for v in value)
            return tuple(build(a, v) for a, v in zip(args, value))
        if dataclasses.is_dataclass(tp):
            hints = typing.get_type_hints(tp)
            names = {f.name for f in dataclasses.fields(tp)}
            return tp(**{k: build(hints[k], v) for k, v in value.items() if k in names})
        return value

    return build(cls, data)

def replace(obj: Any, **changes: Any) -> Any:
    """``dataclasses.replace``, re-exported so stages read as the house style asks."""
    return dataclasses.replace(obj, **changes)


__all__ = [
    "Article", "Claim", "Document", "Conflict", "ConflictClaim", "Entity", "Event", "Fact", "Mention", "NumberMention",
    "Passage", "Problem", "Quote", "RawDocument", "Removed", "Report", "Reuse", "Segment", "Sentence",
    "Span", "Story", "SummarySentence", "TimeMention", "TimelineItem", "Update", "UpdatePoint", "from_dict", "replace", "to_dict",
    "SCHEMA_ID",
]
