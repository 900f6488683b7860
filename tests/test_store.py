"""The SQLite corpus store: idempotent ingest, versions, stories, full-text search."""

import sqlite3

import pytest

from newsweave.model import Article, Fact, Span, Story, replace
from newsweave.store import Store


def _art(aid, text, url=None, published="2024-03-12"):
    import hashlib

    return Article(id=aid, input=f"{aid}.txt", text=text, url=url, published=published,
                   content_hash=hashlib.sha1(text.encode()).hexdigest())


def test_ingest_is_idempotent_and_versions_are_linked(tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as st:
        a, b = _art("a", "Blast hits plant."), _art("b", "Mayor speaks.", url="https://x/b")
        assert st.add_articles([a, b]) == {"added": ["a", "b"], "unchanged": [], "versions": []}
        assert st.add_articles([a, b])["unchanged"] == ["a", "b"]
        assert st.count("articles") == 2
        changed = _art("b", "Mayor speaks again, with more detail.", url="https://x/b")
        assert st.add_articles([changed])["versions"] == ["b@v2"]
        v2 = st.article("b@v2")
        assert v2["version_of"] == "b" and v2["version"] == 2
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_stories_and_search(tmp_path):
    with Store(tmp_path / "c.db") as st:
        a, b = _art("a", "A blast hit the Caldera plant in Port Aldane."), _art("b", "Voss said the quay is closed.")
        st.add_articles([a, b])
        fact = Fact("A blast hit the Caldera plant.", "consensus", 2, (Span("a", 0, 10, a.text[:10]),))
        story = Story(id="s-1", title="Blast at Caldera", articles=("a", "b"), facts=(fact,),
                      source_groups=(("a",), ("b",)))
        st.put_stories([story], events=[("created", "s-1", None, "a")])
        assert st.stories()[0]["id"] == "s-1" and st.stories("sources")[0]["n_sources"] == 2
        assert st.story("s-1")["title"] == "Blast at Caldera"
        hits = st.search("Caldera blast")
        assert {h["kind"] for h in hits} == {"article", "fact"}
        assert st.search('Al-"Kadhimi') == []  # odd user syntax never raises
        st.put_stories([replace(story, title="Blast at Caldera (updated)")])
        assert st.count("stories") == 1 and st.count("facts") == 1


def test_a_failed_batch_leaves_nothing(tmp_path):
    with Store(tmp_path / "c.db") as st:
        good = _art("a", "One.")
        with pytest.raises(Exception):
            st.add_articles([good, "not an article"])
        assert st.count("articles") == 0


def test_articles_round_trip_with_their_extraction(tmp_path, seed_report):
    with Store(tmp_path / "c.db") as st:
        st.add_articles(seed_report.articles)
        back = st.load_articles()
    assert back == sorted(seed_report.articles, key=lambda a: a.id)
