"""The demo cluster (examples/cluster, our own fictional articles): the report shows what
examples/expected.md says a reader should find. Must-contain checks, not a snapshot."""

import pytest

pytestmark = pytest.mark.integration


def _story(report):
    assert len(report.stories) == 1
    return report.stories[0]


def test_publication_dates(example_report):
    got = {a.id[:3]: (a.published, a.published_from) for a in example_report.articles}
    assert got["001"] == ("2024-03-12", "metadata")
    assert got["004"] == ("2024-03-13", "metadata")
    assert got["002"] == ("2024-03-12", "text")
    assert got["006"][1] == "text" and got["006"][0] >= "2024-03-12"


def test_cleaning(example_report):
    arts = {a.id[:3]: a for a in example_report.articles}
    assert arts["002"].dateline == "PORT ALDANE" and arts["006"].dateline == "PORT ALDANE"
    assert arts["005"].title.startswith("Blast at Caldera plant")
    removed = {r.text for a in example_report.articles for r in a.removed}
    for line in ["Share this article", "Subscribe to our newsletter for daily updates.",
                 "Your coast, your news since 1998", "Photo: Coastline Post", "(Image: Northgate/File)"]:
        assert line in removed
    for a in example_report.articles:
        assert "automatically translated" not in a.text and not a.text.startswith("date ")


def test_copy_pair_is_one_source(example_report):
    s = _story(example_report)
    copies = [r for r in s.reuse if r.kind == "copy"]
    assert [tuple(x[:3] for x in r.articles) for r in copies] == [("002", "003")]
    assert len(s.source_groups) == 6


def test_conflicts(example_report):
    topics = {c.topic: c for c in _story(example_report).conflicts}
    assert "number of workers killed" in topics
    assert "number of people injured" in topics
    assert "number of explosions" in topics
    assert any(t.startswith("whether Marcus Feld was hurt") for t in topics)
    killed = topics["number of workers killed"]
    assert {c.value for c in killed.claims} == {2, 3}


def test_relayed_quote(example_report):
    q = [q for q in _story(example_report).quotes if q.text.startswith("The Prime Minister is deeply saddened")]
    assert q and q[0].speaker == "Tomas Brandt" and q[0].reported_by == "Ines Moreau"
    assert q[0].speaker_entity is not None


def test_entities_and_event(example_report):
    s = _story(example_report)
    aliases = {e.name: set(e.aliases) for e in s.entities}
    assert {"Elena Voss", "Voss"} <= aliases["Elena Voss"]
    assert {"Karim al-Rashid", "Al-Rashid"} <= aliases["Karim al-Rashid"]
    assert "VEPA" in aliases["Velorian Environmental Protection Agency"]
    e = s.event
    assert e.date == "2024-03-12" and e.location == "Port Aldane"
    assert e.killed == 2 and e.injured == 14 and e.claimed_by is None


def test_relative_dates(example_report):
    times = {(t.article[:3], t.text): t.value for t in _story(example_report).times}
    assert times[("001", "earlier today")] == "2024-03-12"
    assert times[("003", "yesterday")] == "2024-03-12"
    assert any(v == "2024-03-12" for (a, txt), v in times.items() if a == "004" and txt == "last night")
