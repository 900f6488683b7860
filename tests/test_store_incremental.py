"""Incremental ingest (store/grouping.py): new articles join the stored stories, story ids of
earlier runs never change, merges are logged, and only touched stories are rewritten."""

from __future__ import annotations

import hashlib
import json

import pytest

from newsweave.config import load_config
from newsweave.group.stories_light import LightGrouper
from newsweave.model import Article
from newsweave.nlp import split_sentences
from newsweave.pipeline import Pipeline
from newsweave.store import Store, ingest

from .test_stories import QUAKE_JAPAN, QUAKE_PERU


def _records(arts):
    return [{"id": a.id, "text": a.text, "title": a.title, "source": a.source,
             "published": a.published} for a in arts]


def _write(path, arts):
    path.write_text("\n".join(json.dumps(r) for r in _records(arts)) + "\n", "utf-8")
    return str(path)


@pytest.fixture(scope="module", params=["light", "events"])
def pipeline(request, tmp_path_factory):
    cfg = tmp_path_factory.mktemp("cfg") / "c.yaml"
    cfg.write_text(f"group:\n  mode: {request.param}\n", "utf-8")
    p = Pipeline(config=load_config(str(cfg)))
    p.warm_up()
    return p


def test_second_ingest_joins_stored_stories_and_keeps_ids(tmp_path, pipeline):
    first = _write(tmp_path / "a.jsonl", QUAKE_PERU[:2] + QUAKE_JAPAN[:1])
    second = _write(tmp_path / "b.jsonl", QUAKE_PERU[2:] + QUAKE_JAPAN[1:])
    with Store(tmp_path / "s.db") as st:
        ingest(st, [first], pipeline)
        before = {s["id"]: set(st.story(s["id"])["articles"]) for s in st.stories()}
        assert len(before) == 2
        res = ingest(st, [second], pipeline)
        assert res.grouped == 2 and len(res.added) == 2
        after = {s["id"]: set(st.story(s["id"])["articles"]) for s in st.stories()}
        assert set(after) == set(before)  # no story renamed, none added
        for sid, arts in before.items():
            assert arts < after[sid]
        peru = next(s for s, a in after.items() if "peru-1" in a)
        assert after[peru] == {"peru-1", "peru-2", "peru-3"}
        kinds = [r[0] for r in st.db.execute("SELECT kind FROM story_events ORDER BY rowid")]
        assert kinds.count("new") == 2 and kinds.count("join") == 3
        assert st.pending_ids() == []
        # the same files again: nothing new, nothing regrouped
        again = ingest(st, [first, second], pipeline)
        assert again.grouped == 0 and len(again.unchanged) == 5


def test_pending_articles_are_grouped_by_the_next_ingest(tmp_path, pipeline):
    """Articles stored by a run that died before grouping them are not lost."""
    path = _write(tmp_path / "a.jsonl", QUAKE_PERU)
    with Store(tmp_path / "s.db") as st:
        arts, _, _ = pipeline.articles([path])
        st.add_articles(arts)  # stored, never grouped
        assert len(st.pending_ids()) == 3
        res = ingest(st, [path], pipeline)
        assert res.grouped == 3 and st.count("stories") == 1 and st.pending_ids() == []



def test_an_ingest_in_small_batches_stores_what_one_batch_stores(tmp_path, pipeline):
    """``store.ingest_batch``: inputs are read, processed and stored a batch at a time (memory
    bounded by the batch), then grouped from the store: the same stories, counts and problems."""
    arts = QUAKE_PERU + QUAKE_JAPAN
    path = _write(tmp_path / "a.jsonl", arts)
    (tmp_path / "empty.txt").write_text("")

    def stored(db, batch):
        with Store(db) as st:
            res = ingest(st, [path, str(tmp_path / "empty.txt")], pipeline, batch=batch)
            stories = [st.story(r["id"]) for r in st.stories(limit=100)]
        return res, json.dumps(stories, sort_keys=True)

    one, whole = stored(tmp_path / "one.db", 100)
    two, batched = stored(tmp_path / "two.db", 2)
    assert whole == batched and '"facts"' in whole
    assert (two.inputs, two.added, two.grouped) == (one.inputs, one.added, one.grouped) == (
        len(arts) + 1, tuple(a.id for a in arts), len(arts))
    assert [p.kind for p in two.problems] == [p.kind for p in one.problems] == ["empty"]

def _art(aid, text, day):
    return Article(id=aid, input=aid, text=text, published=f"2024-03-{day:02d}",
                   sentences=split_sentences(text),
                   content_hash=hashlib.sha1(text.encode()).hexdigest())


def test_light_merge_is_logged_and_keeps_the_older_id():
    """Two stories that a bridging batch brings together merge; the older id survives."""
    a = _art("a", "Mayor Lena Ostrova of Kellburg opened the new harbour bridge on Monday.", 4)
    b = _art("b", "Storm Irma flooded the Kellburg harbour district, closing the bridge.", 4)
    g = LightGrouper(threshold=0.95, merge_threshold=0.95)
    g.add([a])
    g.add([b])
    assert len(g.stories()) == 2
    sa, sb = g.resolve(g.history[0].stories[0]), g.history[1].stories[0]
    g.merge_threshold = 0.1  # what a later, bridging batch does to the centroids
    g.add([_art("c", "Kellburg harbour bridge: Mayor Ostrova and the storm Irma floods.", 5)])
    merges = [e for e in g.history if e.kind == "merge"]
    assert merges and all(e.stories[1] != sa for e in merges)  # the oldest id is never retired
    assert g.resolve(sb) == sa and list(g.stories()) == [sa]


def test_light_state_round_trip_equals_one_process():
    """Saving and loading the light grouper's state between two adds changes nothing."""
    arts = QUAKE_PERU + QUAKE_JAPAN
    one = LightGrouper()
    one.add(arts[:3])
    whole = dict(one.add(arts[3:]))
    first = LightGrouper()
    first.add(arts[:3])
    rows, meta = first.state_rows(), first.meta()
    second = LightGrouper()
    second.load(meta, rows, first.stories())
    assert dict(second.add(arts[3:])) == whole


@pytest.mark.parametrize("lsh_from", [300, 2])  # pairwise, and datasketch's MinHashLSH
def test_minhash_links_copies_only(lsh_from):
    from newsweave.group.reuse_minhash import MinHashReuseLinker
    from newsweave.model import Story
    from newsweave.stage import Corpus

    base = QUAKE_PERU[0].text + " " + QUAKE_PERU[1].text
    copy = _art("copy", base.replace("Monday", "Monday night"), 4)
    orig = _art("orig", base, 4)
    other = _art("other", QUAKE_JAPAN[0].text + " " + QUAKE_JAPAN[1].text, 4)
    story = Story(id="s-1", title="t", articles=("copy", "orig", "other"))
    out = MinHashReuseLinker(lsh_from=lsh_from).process(Corpus((copy, orig, other), (story,)))
    links = out.stories[0].reuse
    assert [r.articles for r in links] == [("copy", "orig")] and links[0].kind == "copy"
    assert out.stories[0].source_groups == (("copy", "orig"), ("other",))


def test_events_split_keeps_the_first_articles_id_and_is_logged():
    """A story stretched over two events (here forced: everything joins at a tiny threshold)
    splits in two; the part with the story's first article keeps the id."""
    from newsweave.group.stories import StoryGrouper

    g = StoryGrouper(threshold=0.01, backend="none", split_threshold=0.0)
    g.add(QUAKE_PERU + QUAKE_JAPAN)
    (sid,) = g.stories()
    g.split_threshold = 0.14
    g._split_check({sid})
    split = [e for e in g.history if e.kind == "split"]
    assert len(split) == 1 and split[0].stories[0] == sid
    stories = g.stories()
    assert set(stories[sid]) == {"peru-1", "peru-2", "peru-3"}
    assert set(stories[split[0].stories[1]]) == {"japan-1", "japan-2"}
    assert split[0].stories[1] == "s-" + QUAKE_JAPAN[0].content_hash[:12]


def test_a_merge_across_ingests_is_logged_and_the_older_story_stays(tmp_path):
    """Two stored stories that a later article brings together merge in the store: the older id
    stays, the younger story's row goes, story_events and story_state record it."""
    from newsweave.group.reuse_minhash import MinHashReuseLinker
    from newsweave.group.stories_light import LightStoryGrouping
    from newsweave.nlp import Sentencizer

    def pipe(merge):
        return Pipeline(stages=[Sentencizer(), LightStoryGrouping(threshold=0.95,
                                                                 merge_threshold=merge),
                                MinHashReuseLinker()])

    a = _art("a", "Mayor Lena Ostrova of Kellburg opened the new harbour bridge on Monday.", 4)
    b = _art("b", "Storm Irma flooded the Kellburg harbour district, closing the bridge.", 4)
    c = _art("c", "Kellburg harbour bridge: Mayor Ostrova and the storm Irma floods.", 5)
    with Store(tmp_path / "s.db") as st:
        ingest(st, [_write(tmp_path / "ab.jsonl", [a, b])], pipe(0.95))
        ids = {s["id"] for s in st.stories()}
        assert len(ids) == 2
        ingest(st, [_write(tmp_path / "c.jsonl", [c])], pipe(0.1))
        merges = list(st.db.execute(
            "SELECT story_id, other FROM story_events WHERE kind = 'merge'"))
        assert merges
        (kept,) = [s["id"] for s in st.stories()]
        assert kept in ids and all(tuple(m)[1] != kept for m in merges)
        assert set(st.story(kept)["articles"]) == {"a", "b", "c"}
        gone = (ids - {kept}).pop()
        assert st.db.execute("SELECT merged_into FROM story_state WHERE story_id = ?",
                             (gone,)).fetchone()[0] == kept
