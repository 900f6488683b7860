"""Incremental grouping over the store: new articles join the stored stories, nothing is
re-clustered, and only the stories that changed get their briefs recomputed.

The grouper's state lives in the store (``story_state``: one row per story with its centroid;
``member_state``: per-member features where the grouper needs them; ``grouper_meta``: counters).
``group_pending`` takes the stored articles no story holds yet, in (published, id) order and in
fixed chunks, and for each chunk, in one transaction: the grouper's decisions, the touched stories
rewritten with their recomputed briefs (the corpus stages after grouping, run on those stories
only), the stories merged away removed, the events (``new``, ``join``, ``merge``, ``split``) logged
in ``story_events``, and the new state. A crash anywhere leaves the store at a chunk boundary, and
the next ingest picks up the pending articles where it stopped, in the same chunks, so it ends
where a clean run ends.

Three modes, as ``group.mode``: ``single`` (the store holds one story; its id never changes),
``events`` (``StoryGrouper``, MiniLM; every story's members and their features are kept) and
``light`` (``LightGrouper``, static embeddings; only the stories within the time window of the new
articles are loaded, so an ingest costs the same at 10,000 or 1,000,000 stored articles).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from ..group.stories import StoryEvent, _order
from ..group.titles import central_title
from ..model import Article, Story
from ..pipeline import Corpus, run_corpus_stages
from .db import Store

CHUNK = 5000  # pending articles grouped per transaction (fixed, so a resumed run ends the same)


class _Single:
    """group.mode single: every article joins the store's one story."""

    def __init__(self):
        self.story: str | None = None
        self.members: list[str] = []
        self.history: list[StoryEvent] = []

    def load(self, store: Store, arts: Sequence[Article]) -> None:
        self.story = (store.grouper_meta().get("single.story") or b"").decode() or None
        self.members = store.story_members([self.story]).get(self.story, []) if self.story else []

    def add(self, arts: Sequence[Article]) -> None:
        for a in sorted(arts, key=_order):
            if self.story is None:
                h = a.content_hash or hashlib.sha1(a.text.encode("utf-8")).hexdigest()
                self.story = f"s-{h[:12]}"
                self.history.append(StoryEvent("new", (self.story,), a.id))
            else:
                self.history.append(StoryEvent("join", (self.story,), a.id))
            self.members.append(a.id)

    def members_of(self, sid: str) -> list[str]:
        return list(self.members)

    def resolve(self, sid: str) -> str:
        return sid

    def save(self) -> dict:
        return {"meta": {"single.story": (self.story or "").encode()}}


class _Events:
    """group.mode events: ``StoryGrouper`` restored whole from the store."""

    def __init__(self, stage):
        from ..group.stories import StoryGrouper

        stage.warm_up()
        self.g = StoryGrouper(stage.threshold, stage.window_days, embedder=stage._embedder,
                              backend=stage.backend)
        self.loaded = False

    @property
    def history(self):
        return self.g.history

    def load(self, store: Store, arts: Sequence[Article]) -> None:
        if not self.loaded:
            self.g.load(store.grouper_meta(), store.story_state(everything=True),
                        store.member_state())
            self.g.mark_saved()
            self.loaded = True

    def add(self, arts):
        self.g.add(arts)

    def members_of(self, sid: str) -> list[str]:
        return self.g.stories().get(sid, [])

    def resolve(self, sid: str) -> str:
        return self.g.resolve(sid)

    def save(self) -> dict:
        out = {"meta": self.g.meta(), "state": self.g.state_rows(),
               "members": self.g.member_rows()}
        self.g.mark_saved()
        return out


class _Light:
    """group.mode light: ``LightGrouper``; loads only the stories in the new articles' window."""

    def __init__(self, stage):
        from ..group.stories_light import LightGrouper

        stage.warm_up()
        self.stage = stage
        self.g: LightGrouper | None = None
        self.make = lambda: LightGrouper(stage.threshold, stage.window_days,
                                         embedder=stage._embedder,
                                         merge_threshold=stage.merge_threshold)

    @property
    def history(self):
        return self.g.history

    def load(self, store: Store, arts: Sequence[Article]) -> None:
        # A fresh grouper per chunk with only the stories that chunk can reach: memory stays
        # flat however large the store grows.
        self.g = self.make()
        days = [d for d in (_day(a.published) for a in arts) if d]
        since = None
        if days and len(days) == len(arts) and self.g.window_days is not None:
            since = (min(days) - timedelta(days=int(self.g.window_days) + 1)).isoformat()
        rows = store.story_state(since=since)
        live = [r[0] for r in rows if r[2]]
        self.g.load(store.grouper_meta(), rows, store.story_members(live))

    def add(self, arts):
        self.g.add(arts)

    def members_of(self, sid: str) -> list[str]:
        return self.g.members.get(sid, [])

    def resolve(self, sid: str) -> str:
        return self.g.resolve(sid)

    def save(self) -> dict:
        return {"meta": self.g.meta(), "state": self.g.state_rows()}


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _first_title(arts: Sequence[Article]) -> str:
    """The light path's story title: the earliest article's headline, else its first words
    (``central_title`` fits a TF-IDF per story, too slow for 100,000 articles)."""
    for a in arts:
        if a.title and a.title.strip():
            return " ".join(a.title.split())[:160]
    words = arts[0].text.split()[:20] if arts else []
    return " ".join(words) + ("…" if len(words) == 20 else "") if words else "Untitled story"


def persistent_grouper(stage):
    """The store-backed grouper for a pipeline's grouping stage."""
    from ..group.single import SingleStoryGrouper
    from ..group.stories import StoryGrouping
    from ..group.stories_light import LightStoryGrouping

    if isinstance(stage, LightStoryGrouping):
        return _Light(stage)
    if isinstance(stage, StoryGrouping):
        return _Events(stage)
    if isinstance(stage, SingleStoryGrouper):
        return _Single()
    raise TypeError(f"no store-backed grouping for stage {stage.name!r}")


def group_pending(store: Store, grouping_stage, after: Sequence, chunk: int = CHUNK,
                  progress: Callable[[str, int, int], None] | None = None,
                  timings: dict | None = None, known: dict[str, Article] | None = None,
                  executor=None, story_block: int = 8) -> int:
    """Group the store's pending articles and refresh the stories they touch.

    Args:
        store: the open store.
        grouping_stage: the pipeline's grouping stage (its settings are used).
        after: the corpus stages that follow grouping (briefs: extraction, reuse, facts...).
        chunk: pending articles per transaction.
        timings: if given, seconds per step are added to it (``group``, ``briefs``, ``write``).
        known: articles this process holds already, by stored id (equal to what the store
            would return; the others are loaded).
        executor: where the story stages run (``newsweave.scale``; None: here).
        story_block: articles per block of stories (``run.story_block``).
    Returns:
        how many pending articles were grouped.
    """
    pending = store.pending_ids()
    if not pending:
        return 0
    light = grouping_stage.name == "light_stories"
    grouper = persistent_grouper(grouping_stage)
    reuse = next((st for st in after if hasattr(st, "signatures")), None)
    t = timings if timings is not None else {}
    done = 0
    known = known or {}
    for start in range(0, len(pending), chunk):
        ids = pending[start:start + chunk]
        t0 = time.perf_counter()
        arts = ([known[aid] for aid in ids if aid in known]
                + store.load_articles([aid for aid in ids if aid not in known]))
        grouper.load(store, arts)
        mark = len(grouper.history)
        grouper.add(arts)
        events = grouper.history[mark:]
        t1 = time.perf_counter()
        touched, retired, log = set(), set(), []
        for e in events:
            if e.kind == "merge":
                retired.add(e.stories[1])
                log.append(("merge", e.stories[0], e.stories[1], None))
            elif e.kind == "split":  # stories[1] leaves stories[0], which keeps its id
                log.append(("split", e.stories[0], e.stories[1], None))
                touched.add(e.stories[1])
            else:
                log.append((e.kind, e.stories[0], None, e.article))
            touched.add(e.stories[0])
        touched = {grouper.resolve(s) for s in touched} - retired
        fresh = {a.id: a for a in arts}
        members = {s: grouper.members_of(s) for s in sorted(touched)}
        old = sorted({m for ms in members.values() for m in ms if m not in fresh})
        if light:
            if reuse is not None:
                reuse.signatures = store.minhashes(old)
            old_arts = store.load_thin(old)
        else:
            old_arts = store.load_articles(old)
        by_id = dict(fresh)
        by_id.update((a.id, a) for a in old_arts)
        stories = []
        for sid, ms in members.items():
            arts_s = sorted((by_id[m] for m in ms), key=_order)
            title = _first_title(arts_s) if light else central_title(arts_s)
            stories.append(Story(id=sid, title=title,
                                 articles=tuple(a.id for a in arts_s)))
        corpus = Corpus(tuple(by_id.values()), tuple(stories))
        corpus = run_corpus_stages(after, corpus, executor, story_block, progress)
        t2 = time.perf_counter()
        state = grouper.save()
        store.commit_grouping(corpus.stories, retired=sorted(retired - touched), events=log,
                              state=state.get("state", ()), members=state.get("members", ()),
                              meta=state.get("meta"),
                              minhashes=reuse.take_new() if reuse is not None else None)
        t3 = time.perf_counter()
        for k, v in (("group", t1 - t0), ("briefs", t2 - t1), ("write", t3 - t2)):
            t[k] = t.get(k, 0.0) + v
        done += len(ids)
        if progress:
            progress("stories", done, len(pending))
    return done
