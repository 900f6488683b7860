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

import time
from collections.abc import Callable, Sequence

from ..group.protocol import publication_order
from ..model import Article, Problem, Story
from ..pipeline import run_corpus_stages
from ..stage import Corpus, CorpusStage, GroupingStage
from .db import Store

CHUNK = 5000  # pending articles grouped per transaction (fixed, so a resumed run ends the same)


def group_pending(store: Store, grouping_stage: GroupingStage, after: Sequence[CorpusStage],
                  chunk: int = CHUNK,
                  progress: Callable[[str, int, int], None] | None = None,
                  timings: dict | None = None, known: dict[str, Article] | None = None,
                  executor=None, story_block: int = 8,
                  problems: list[Problem] | None = None) -> int:
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
        problems: if given, what failed in the stories' stages is appended to it.
    Returns:
        how many pending articles were grouped.
    """
    pending = store.pending_ids()
    if not pending:
        return 0
    grouper = grouping_stage.incremental()
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
        for st in after:
            st.restore(store, old)
        old_arts = store.load_thin(old) if grouper.thin_members else store.load_articles(old)
        by_id = dict(fresh)
        by_id.update((a.id, a) for a in old_arts)
        stories = []
        for sid, ms in members.items():
            arts_s = sorted((by_id[m] for m in ms), key=publication_order)
            stories.append(Story(id=sid, title=grouper.title(arts_s),
                                 articles=tuple(a.id for a in arts_s)))
        corpus = Corpus(tuple(by_id.values()), tuple(stories))
        corpus = run_corpus_stages(after, corpus, executor, story_block, progress)
        t2 = time.perf_counter()
        if problems is not None:
            problems += [p for s in corpus.stories for p in s.problems]
        kept: dict = {}
        for st in after:
            kept.update(st.take_state())
        state = grouper.save()
        store.commit_grouping(corpus.stories, retired=sorted(retired - touched), events=log,
                              state=state.get("state", ()), members=state.get("members", ()),
                              meta=state.get("meta"), **kept)
        t3 = time.perf_counter()
        for k, v in (("group", t1 - t0), ("briefs", t2 - t1), ("write", t3 - t2)):
            t[k] = t.get(k, 0.0) + v
        done += len(ids)
        if progress:
            progress("stories", done, len(pending))
    return done
