"""Corpus stages of cross-checking: copies and source groups, facts and conflicts, the timeline
and the event record, per story."""

from __future__ import annotations

from ..group.wires import article_upstreams, upstream_count
from ..model import Fact, Frame, Story, replace
from ..nlp.embed import Embedder
from ..stage import StoryStage
from .conflicts import number_disagreements, quote_conflicts, role_conflicts, state_conflicts
from .event import build_event
from .facts import FactAligner
from .nli import nli_conflicts
from .timeline import build_timeline


# Two sentences with figures are about the same happening above this MiniLM cosine; news
# sentences on one story but different happenings sit mostly below 0.45.
RELATED_COSINE = 0.45


class ReuseLinker(StoryStage):
    """Copied text between a story's articles, and the independent source groups it implies."""

    name = "reuse"
    needs = frozenset({"stories", "sentences"})
    adds = frozenset({"reuse", "source_groups"})

    def __init__(self, detector=None):
        from ..group.reuse import ReuseDetector

        self.detector = detector or ReuseDetector()

    def process_story(self, story: Story, arts) -> Story:
        links = self.detector.detect(arts)
        groups = self.detector.source_groups(arts, links)
        return replace(story, reuse=tuple(links), source_groups=tuple(groups))


def _sides(span, conflicts) -> dict[int, set[str]]:
    """The values ``span`` gives on each conflict whose claims it overlaps."""
    out: dict[int, set[str]] = {}
    for k, c in enumerate(conflicts):
        for cl in c.claims:
            if cl.article == span.article and cl.start < span.end and span.start < cl.end:
                out.setdefault(k, set()).add(str(cl.value))
    return out


def without_opposed(fact: Fact, conflicts, group_of: dict[str, int]) -> Fact:
    """``fact`` less the support that takes another side than its statement on a conflict ("was
    injured" never supports "was unharmed"), its sources and status counted again."""
    own = next((sp for sp in fact.support if sp.text == fact.statement), fact.support[0])
    mine = _sides(own, conflicts)
    if not mine:
        return fact
    keep = tuple(sp for sp in fact.support if sp is own or not any(
        k in mine and not mine[k] & values for k, values in _sides(sp, conflicts).items()))
    if len(keep) == len(fact.support):
        return fact
    indep = len({group_of.get(sp.article, sp.article) for sp in keep})
    return replace(fact, support=keep, independent_sources=indep,
                   status="consensus" if indep >= 2 else "single")


def _in_conflict(fact: Fact, conflicts) -> bool:
    """A fact is disputed when its own support holds claims of a conflict with different values."""
    for c in conflicts:
        values = {cl.value for cl in c.claims
                  for sp in fact.support
                  if sp.article == cl.article and sp.start < cl.end and cl.start < sp.end}
        if len(values) >= 2:
            return True
    return False


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _within(items, span) -> list:
    return [x for x in items if span.start <= x.start and x.end <= span.end]


class _FrameIndex:
    """A story's numbers, dates and sentence frames by article, so that each fact's frame looks
    only at its own article's items (a story of 1,000 articles has tens of thousands of facts)."""

    def __init__(self, story: Story, arts):
        self.numbers: dict[str, list] = {}
        self.times: dict[str, list] = {}
        for n in story.numbers:
            self.numbers.setdefault(n.article, []).append(n)
        for t in story.times:
            self.times.setdefault(t.article, []).append(t)
        self.arts = {a.id: a for a in arts}
        self.frames = {(f.article, f.start, f.end): f for a in arts for f in a.frames}


def fact_frame(fact: Fact, index: _FrameIndex) -> Frame | None:
    """The frame of a fact's statement (its sentence's parse), with the figures, places and
    normalised dates the statement gives."""
    own = next((sp for sp in fact.support if sp.text == fact.statement), fact.support[0])
    art = index.arts.get(own.article)
    if art is None:
        return None
    frame = index.frames.get((own.article, own.start, own.end)) or Frame(own.article, own.start,
                                                                            own.end)
    figures = tuple(dict.fromkeys(
        f"{n.value:g} {n.subject}".strip() if isinstance(n.value, float) else
        f"{n.value} {n.subject}".strip()
        for n in _within(index.numbers.get(own.article, ()), own) if not n.implicit))
    places = tuple(dict.fromkeys(m.text for m in _within(art.mentions, own)
                                 if m.label in PLACE_LABELS))
    times = tuple(dict.fromkeys(t.value for t in _within(index.times.get(own.article, ()), own)
                                if t.value[:1].isdigit()))  # dates, not "PRESENT_REF"
    return replace(frame, figures=figures, places=places, times=times)


class CrossChecker(StoryStage):
    """Facts with their independent-source counts, conflicts, timeline and event record."""

    name = "crosscheck"
    needs = frozenset({"stories", "source_groups", "entities", "story_numbers", "story_times",
                       "claims", "frames"})
    adds = frozenset({"facts", "conflicts", "updates", "timeline", "event"})

    def __init__(self, embedder: Embedder | None = None, nli=None, nli_threshold: float = 0.8):
        self.embedder = embedder or Embedder()
        self.aligner = FactAligner(self.embedder)
        self.nli = nli  # an NLIJudge (crosscheck/nli.py), or None for the default path
        self.nli_threshold = nli_threshold

    def warm_up(self) -> None:
        self.embedder.warm_up()

    def process_story(self, story: Story, arts) -> Story:
        return self.check(story, arts)

    def _related(self, arts):
        """(whether two figures' sentences tell of the same happening (MiniLM cosine), a
        figure's sentence)."""
        by_id = {a.id: a for a in arts}
        cache: dict[tuple[str, int], object] = {}

        def sentence(n):
            a = by_id[n.article]
            s = next((s for s in a.sentences if s.start <= n.start < s.end), None)
            return a.text[s.start:s.end] if s else n.text

        def vec(n):
            key = (n.article, n.start)
            if key not in cache:
                cache[key] = self.embedder.encode([sentence(n)])[0]
            return cache[key]

        def related(a, b) -> bool:
            return float(vec(a) @ vec(b)) >= RELATED_COSINE

        return related, sentence

    def check(self, story: Story, arts) -> Story:
        group_of = {aid: k for k, g in enumerate(story.source_groups) for aid in g}
        for a in arts:
            group_of.setdefault(a.id, len(group_of) + 1000)
        facts = self.aligner.align(arts, group_of)
        claims = [c for a in arts for c in a.claims]
        related, sentence = self._related(arts)
        conflicts, updates = number_disagreements(story.numbers, related, sentence,
                                                  {a.id: a.published for a in arts})
        conflicts = (conflicts + state_conflicts(claims, story.entities)
                     + role_conflicts(claims, story.entities) + quote_conflicts(story.quotes))
        if self.nli is not None:
            conflicts += nli_conflicts(facts, self.nli, self.nli_threshold)
        facts = [without_opposed(f, conflicts, group_of) for f in facts]
        facts = [replace(f, status="conflict") if _in_conflict(f, conflicts) else f for f in facts]
        upstream = article_upstreams(arts)
        index = _FrameIndex(story, arts)
        facts = [replace(f, upstream_sources=upstream_count(f.support, upstream, group_of),
                         frame=fact_frame(f, index)) for f in facts]
        facts.sort(key=lambda f: (-f.independent_sources, -len(f.support),
                                  [(sp.article, sp.start) for sp in f.support]))
        timeline = build_timeline(arts, story.times, facts)
        datelines = [a.dateline for a in arts if a.dateline]
        event = build_event(arts, facts, story.entities, story.numbers, timeline,
                            datelines[0] if datelines else None)
        return replace(story, facts=tuple(facts), conflicts=tuple(conflicts),
                       updates=tuple(updates), timeline=timeline, event=event)
