"""Cited summaries: unit tests on invented articles, the LLM plug-in against a fake local server,
the corpus stage, and the quality gate on DUC 2004 (5 clusters) and the seed story."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from newsweave.model import Article, Conflict, ConflictClaim, Fact, Span, Story
from newsweave.nlp import split_sentences
from newsweave.summarize import LLMRewriter, LLMSettings, Summarize, Summarizer
from newsweave.summarize.candidates import candidates, trim_opener
from newsweave.summarize.concepts import word_count

from .conftest import ROOT, SHARED

# Quality gate minimums, a little below what bench/duc.py measured (bench/RESULTS.md,
# "Summaries"): DUC 2004 clusters 1-5 gave R-1 39.30 / R-2 11.55 (mean over references); the
# seed story gave every multi-source sentence two independent sources, every citation sharing
# half its words with its sentence one way or the other, two disputes, and R-2 18.1 against the
# gold reference summary.
GATE_DUC_R1 = 38.0
GATE_DUC_R2 = 10.5
GATE_SEEDS_MULTI = 0.5
GATE_SEEDS_SUPPORTED = 0.8
GATE_SEEDS_R2 = 15.0

# -- invented articles ------------------------------------------------------------------------

TEXTS = {
    "a1": (
        "Floods swept through the river town of Marlow on Monday, killing twelve people and "
        "forcing four thousand residents from their homes.\n\n"
        "However, the old stone bridge over the river Lem was closed on Tuesday after inspectors "
        "found deep cracks in two of its arches.\n\n"
        "“We will rebuild every street in the lower town. Nobody will be left behind,” the mayor "
        "of Marlow said at a crowded meeting in the town hall.\n\n"
        "He said the cost would run into millions and that the regional government had promised "
        "to help with the bill.\n\n"
        "Rescue teams from three neighbouring counties worked through the night with boats to "
        "reach families trapped on the upper floors of their houses."
    ),
    "a2": (
        "Twelve people were killed and four thousand residents were forced from their homes when "
        "floods swept through the town of Marlow on Monday.\n\n"
        "The regional weather service said more rain fell on Marlow in two days than usually "
        "falls there in three months.\n\n"
        "“Nobody expected the water to rise so fast, and the warnings came far too late for the "
        "families living near the river.\n\n"
        "Engineers warned that the embankment north of the town could fail if the river rose "
        "again before the weekend.\n\n"
        "Three drones were used by the rescue teams to find people stranded on roofs in the "
        "flooded lower town."
    ),
    "a3": (
        "Volunteers in Marlow handed out food and blankets on Wednesday at the sports centre, "
        "where hundreds of people who lost their homes spent the night.\n\n"
        "An armed drone was not involved, but a single drone was used by the rescue teams to "
        "search the flooded lower town for people stranded on roofs.\n\n"
        "The regional government said it would release emergency funds for repairs to roads, "
        "schools and the damaged water treatment plant in Marlow."
    ),
}


def article(aid: str, text: str, published: str | None = None) -> Article:
    return Article(id=aid, input=aid, text=text, sentences=split_sentences(text),
                   published=published)


ARTICLES = [article("a1", TEXTS["a1"], "2024-03-04"), article("a2", TEXTS["a2"], "2024-03-04"),
            article("a3", TEXTS["a3"], "2024-03-06")]
BY_ID = {a.id: a for a in ARTICLES}


@pytest.fixture(scope="module")
def summarizer() -> Summarizer:
    s = Summarizer()
    s.warm_up()
    return s


def check_exact(summary) -> None:
    for sent in summary:
        assert sent.citations, sent
        for c in sent.citations:
            assert BY_ID[c.article].text[c.start:c.end] == c.text, c


@pytest.mark.parametrize("words", [20, 40, 60, 100])
def test_budget_respected(summarizer, words):
    summary = summarizer.summarize(ARTICLES, words=words)
    assert summary
    assert sum(word_count(s.text) for s in summary) <= words


def test_citations_are_exact_spans(summarizer):
    summary = summarizer.summarize(ARTICLES, words=120)
    check_exact(summary)


def test_every_article_stating_a_sentence_is_cited(summarizer):
    summary = summarizer.summarize(ARTICLES, words=60)
    flood = [s for s in summary if "twelve" in s.text.lower()]
    assert flood, [s.text for s in summary]
    assert {c.article for c in flood[0].citations} >= {"a1", "a2"}
    assert "a3" not in {c.article for c in flood[0].citations}


def test_fact_support_is_cited(summarizer):
    # a fact aligning the two flood leads: both are cited, and only one of them is chosen
    s1 = BY_ID["a1"].sentences[0]
    s2 = BY_ID["a2"].sentences[0]
    fact = Fact("floods killed twelve", "consensus", 2,
                (BY_ID["a1"].span(s1.start, s1.end), BY_ID["a2"].span(s2.start, s2.end)))
    summary = summarizer.summarize(ARTICLES, facts=[fact], words=60)
    lead = summary[0]
    assert {c.article for c in lead.citations} >= {"a1", "a2"}
    assert sum("twelve" in s.text.lower() for s in summary) == 1
    check_exact(summary)


def test_opener_trimmed_and_span_still_exact():
    cands = {c.text: c for c in candidates(BY_ID["a1"])}
    bridge = [t for t in cands if "bridge" in t]
    assert bridge == ["The old stone bridge over the river Lem was closed on Tuesday after "
                      "inspectors found deep cracks in two of its arches."]
    c = cands[bridge[0]]
    assert BY_ID["a1"].text[c.start:c.end] == "the old stone bridge over the river Lem was " \
        "closed on Tuesday after inspectors found deep cracks in two of its arches."
    assert BY_ID["a1"].text[c.sentence_start:c.start] == "However, "


@pytest.mark.parametrize("text,cut", [
    ("However, the bridge was closed.", "However, "),
    ("But the rain went on.", "But "),
    ("Meanwhile, rescuers arrived.", "Meanwhile, "),
    ("MUNICH, Germany (AP) _ Prosecutors asked for more time.", "MUNICH, Germany (AP) _ "),
    ("But for the rain, the roads would be open.", ""),
    ("So far no group has claimed responsibility.", ""),
    ("The bridge was closed.", ""),
])
def test_trim_opener(text, cut):
    assert text[:trim_opener(text)] == cut


def test_no_torn_quotes_or_leaning_sentences(summarizer):
    texts = {c.text for a in ARTICLES for c in candidates(a)}
    # starts a quotation that the sentence does not close
    assert not any(t.startswith("“We will rebuild") for t in texts)
    assert not any(t.startswith("Nobody will be left behind") for t in texts)
    assert not any(t.startswith("“Nobody expected") for t in texts)
    # leans on the sentence before it
    assert not any(t.startswith("He said the cost") for t in texts)
    summary = summarizer.summarize(ARTICLES, words=200)
    for s in summary:
        assert s.text.count("“") == s.text.count("”"), s.text
        assert not s.text.startswith(("He ", "“We will", "Nobody will"))


def drone_conflict() -> Conflict:
    a2, a3 = BY_ID["a2"], BY_ID["a3"]
    i = a2.text.index("Three drones")
    j = a3.text.index("a single drone")
    return Conflict("number of drones", (
        ConflictClaim(3, "Three drones", "a2", i, i + len("Three drones")),
        ConflictClaim(1, "a single drone", "a3", j, j + len("a single drone")),
    ), note="figures given: 3, 1")


def test_conflict_rendered_as_conflict(summarizer):
    conflict = drone_conflict()
    summary = summarizer.summarize(ARTICLES, conflicts=[conflict], words=200)
    disputes = [s for s in summary if s.text.startswith("Reports differ")]
    assert len(disputes) == 1, [s.text for s in summary]
    d = disputes[0]
    assert "the number of drones" in d.text
    assert "“Three drones” [a2]" in d.text and "“a single drone” [a3]" in d.text
    assert {(c.article, c.text) for c in d.citations} == {("a2", "Three drones"),
                                                          ("a3", "a single drone")}
    check_exact(summary)
    # the dispute follows the sentence that brought it, never stands first
    assert summary.index(d) > 0
    assert sum(word_count(s.text) for s in summary) <= 200


def test_empty_and_tiny_inputs(summarizer):
    assert summarizer.summarize([], words=100) == ()
    one = article("x", "A short note without much in it. It has two sentences only.")
    out = summarizer.summarize([one], words=100)
    for s in out:
        for c in s.citations:
            assert one.text[c.start:c.end] == c.text


# -- the corpus stage -----------------------------------------------------------------------------


def test_stage_fills_summary_and_builds_in_pipeline(summarizer):
    from newsweave.config import load_config
    from newsweave.pipeline import Pipeline, default_stages
    from newsweave.stage import Corpus

    stages = default_stages(load_config())
    assert any(isinstance(st, Summarize) for st in stages)
    Pipeline(stages)  # needs/adds check out
    story = Story("s1", "Floods in Marlow", tuple(a.id for a in ARTICLES),
                  source_groups=(("a1",), ("a2",), ("a3",)), conflicts=(drone_conflict(),))
    out = Summarize(summarizer, words=80).process(Corpus(tuple(ARTICLES), (story,)))
    summary = out.stories[0].summary
    assert summary and sum(word_count(s.text) for s in summary) <= 80
    check_exact(summary)
    assert Summarize.from_config(load_config()).words == 100


# -- the LLM plug-in against a fake local server -------------------------------------------------


class _FakeLLM(BaseHTTPRequestHandler):
    answer = ""
    seen: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((body, self.headers.get("Authorization")))
        if type(self).answer is None:
            self.send_response(500)
            self.end_headers()
            return
        data = json.dumps({"choices": [{"message": {"role": "assistant",
                                                    "content": type(self).answer}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_llm():
    server = HTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeLLM.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_llm_keeps_supported_sentences_and_drops_invented(summarizer, fake_llm, monkeypatch):
    extractive = summarizer.summarize(ARTICLES, words=60)
    flood = next(s for s in extractive if "twelve" in s.text.lower())
    _FakeLLM.answer = ("1. Floods in Marlow on Monday killed twelve people and forced four thousand "
                       "residents from their homes.\n"
                       "2. The president declared a national day of mourning for the victims.")
    monkeypatch.setenv("NW_TEST_KEY", "secret")
    out = LLMRewriter(LLMSettings(url=fake_llm, model="fake", api_key_env="NW_TEST_KEY")) \
        .rewrite(extractive)
    assert [s.text for s in out] == ["Floods in Marlow on Monday killed twelve people and forced "
                                     "four thousand residents from their homes."]
    assert set(out[0].citations) == set(flood.citations)
    body, auth = _FakeLLM.seen[0]
    assert body["model"] == "fake" and auth == "Bearer secret"
    assert flood.text in body["messages"][1]["content"]


def test_llm_failure_keeps_extractive(summarizer, fake_llm):
    extractive = summarizer.summarize(ARTICLES, words=60)
    _FakeLLM.answer = None  # HTTP 500
    with pytest.warns(UserWarning, match="LLM rewording skipped"):
        out = LLMRewriter(LLMSettings(url=fake_llm, model="fake", api_key_env=None)) \
            .rewrite(extractive)
    assert out == extractive


def test_llm_config_checked():
    from newsweave.errors import ConfigError

    assert LLMSettings.from_config(None) is None
    assert LLMSettings.from_config({"enabled": False}) is None
    with pytest.raises(ConfigError, match="summarize.llm.url must be set"):
        LLMSettings.from_config({"enabled": True, "model": "m"})
    with pytest.raises(ConfigError, match="unknown setting"):
        LLMSettings.from_config({"enabled": True, "url": "http://x", "model": "m", "temprature": 0})
    got = LLMSettings.from_config({"enabled": True, "url": "http://127.0.0.1:1/v1", "model": "m"})
    assert got.model == "m" and got.api_key_env == "OPENAI_API_KEY"


# -- quality gate -----------------------------------------------------------------------------------


def _bench():
    """bench/duc.py as a module (bench/ is not a package)."""
    if "bench_duc" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_duc", ROOT / "bench" / "duc.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules["bench_duc"] = mod  # dataclasses look their module up here
        spec.loader.exec_module(mod)
    return sys.modules["bench_duc"]


def test_gate_duc2004_five_clusters(summarizer):
    path = SHARED / "data" / "duc2004_task2" / "clusters.jsonl"
    if not path.exists():
        pytest.skip(f"needs {path} (the shared DUC 2004 data beside the project root)")
    result = _bench().run_duc2004(limit=5, summarizer=summarizer, baselines=False)
    row = result["rows"]["newsweave"]
    # measured: see bench/RESULTS.md "Summaries"; pinned a little below
    assert row["r1"] >= GATE_DUC_R1, row
    assert row["r2"] >= GATE_DUC_R2, row
    assert row["words"] <= 100


def test_gate_seeds(summarizer, seed_report):
    result = _bench().run_seeds(summarizer=summarizer, report=seed_report)
    assert result["spans_exact"]
    assert result["disputes"] >= 1  # the drone count is disputed and must be said so
    assert result["multi_source_cited_twice"] >= GATE_SEEDS_MULTI, result["lines"]
    assert result["citations_supported_either"] >= GATE_SEEDS_SUPPORTED, result["lines"]
    assert result["r2"] >= GATE_SEEDS_R2, result



def test_citation_never_takes_the_other_side_of_a_conflict():
    from newsweave.summarize.cite import Citer

    texts = {"b1": "Plant manager Marcus Feld escaped unharmed from the burning plant, the company said.",
             "b2": "Plant manager Marcus Feld was hurt in the burning plant, the company said.",
             "b3": "The company said plant manager Marcus Feld escaped unharmed from the burning plant."}
    arts = [article(k, v) for k, v in texts.items()]
    conflict = Conflict("whether Marcus Feld was hurt", (
        ConflictClaim("unharmed", texts["b1"], "b1", 0, len(texts["b1"])),
        ConflictClaim("harmed", texts["b2"], "b2", 0, len(texts["b2"])),
        ConflictClaim("unharmed", texts["b3"], "b3", 0, len(texts["b3"]))))
    summ = Summarizer(cite=False)
    cand = next(c for c in summ.candidates(arts) if c.article == "b1")
    citer = Citer(None)
    without = {sp.article for sp in citer.cite([cand], arts)[0]}
    assert "b2" in without  # the words alone would cite the other side...
    cited = {sp.article for sp in citer.cite([cand], arts, conflicts=[conflict])[0]}
    assert cited == {"b1", "b3"}  # ...the conflict keeps it out


def test_outlet_labels_of_a_dispute_are_not_counted_as_words():
    from newsweave.model import SummarySentence
    from newsweave.summarize.disputes import dispute_words

    s = SummarySentence("Reports differ on X: a [Harbor Times, Coastline Post] / b [Valley Courier].", ())
    assert dispute_words(s) == 7


def test_near_duplicates_found_block_by_block_as_at_once(summarizer, monkeypatch):
    """Near-duplicate candidates are compared a block of rows at a time (no n x n matrix for
    large stories); the blocks must find exactly what one pass finds."""
    from newsweave.summarize import extractive

    cands = summarizer.candidates(ARTICLES)
    facts = [Fact(statement="twelve killed", status="consensus", independent_sources=2,
                  support=tuple(Span(c.article, c.start, c.end, c.text)
                                for c in cands if "killed" in c.text))]
    at_once = summarizer.duplicates(cands, facts)
    monkeypatch.setattr(extractive, "_BLOCK", 2)
    assert summarizer.duplicates(cands, facts) == at_once
    assert any(at_once), "the invented articles repeat sentences: some must be duplicates"


def test_disputes_found_through_the_index_as_through_every_conflict(summarizer):
    """Candidates find the disputes they touch through ``dispute_index`` (once per story): the
    same ones a direct check of every conflict's contested claims finds."""
    from newsweave.summarize.disputes import claim_extent, contested_claims, dispute_index, touched

    conflicts = [drone_conflict()]
    by_id = {a.id: a for a in ARTICLES}
    index = dispute_index(conflicts, by_id, {})
    cands = summarizer.candidates(ARTICLES)

    def direct(c) -> list[int]:
        return [k for k, conflict in enumerate(conflicts)
                if any(cl.article == c.article and c.start < e and s < c.end
                       for cl in contested_claims(conflict, {})
                       for s, e in [claim_extent(cl, by_id.get(cl.article))])]

    found = [touched(index, [c]) for c in cands]
    assert found == [direct(c) for c in cands]
    assert any(found)


def test_the_ilp_is_bounded_by_work_not_by_the_wall_clock(monkeypatch):
    """A summary must not change with the machine's load: HiGHS gets a node limit, and a
    wall-clock limit far above what DUC-sized problems need (bench/RESULTS.md, #23)."""
    import numpy as np
    import scipy.optimize

    from newsweave.summarize import select

    seen = {}
    real = scipy.optimize.milp

    def spy(*args, **kwargs):
        seen.update(kwargs["options"])
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "milp", spy)
    concepts = [frozenset({0}), frozenset({1}), frozenset({2})]
    got = select.ilp(concepts, np.array([1.0, 2.0, 3.0]), np.zeros(3), [5, 5, 5], 10)
    assert got == [1, 2]
    assert seen["node_limit"] == select.ILP_NODES and seen["time_limit"] >= 60
