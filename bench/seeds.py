"""Seed acceptance benchmark: the whole pipeline on ../shared/seeds, scored against the
hand-checked gold (../shared/gold/seeds.json).

    python bench/seeds.py [--shared ../shared] [--json]

Prints every figure the issues name: cleaning, entities, quotes, numbers, times, copies and
source groups, consensus facts, conflicts, timeline, event record. ``run()`` returns them as a
dict for the CI gate (tests/test_bench_gates.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _fold(t: str) -> str:
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(t.casefold().split())


def _qnorm(t: str) -> str:
    return _fold(t).strip(" ,.\"'")


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def _locate(text: str, span: str) -> tuple[int, int] | None:
    i = text.find(span)
    if i < 0:
        i = _fold(text).find(_fold(span)) if len(_fold(text)) == len(text) else -1
    return (i, i + len(span)) if i >= 0 else None


def _same_person(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    fa, fb = _fold(a), _fold(b)
    if fa == fb:
        return True
    ta = [t for t in re.split(r"[\s\-]+", fa) if t not in {"al", "el", "the"}]
    tb = [t for t in re.split(r"[\s\-]+", fb) if t not in {"al", "el", "the"}]
    if ta and tb and ta[-1] == tb[-1]:
        return True
    # organisations: acronym inside the other's expansion ("UNAMI" / "United Nations ... (UNAMI)")
    ua, ub = a.replace(".", ""), b.replace(".", "")
    return (ua.isupper() and ua in b) or (ub.isupper() and ub in a) or \
        bool(set(ta) & set(tb) & {"pmo", "unami", "office"})


def run(shared: Path = ROOT.parent / "shared") -> dict:
    from newsweave import Pipeline

    gold = json.loads((shared / "gold" / "seeds.json").read_text("utf-8"))
    t0 = time.perf_counter()
    pipe = Pipeline()
    pipe.warm_up()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = pipe.run([str(shared / "seeds")])
    t_run = time.perf_counter() - t0
    arts = {a.id: a for a in report.articles}
    story = report.stories[0]
    out: dict = {"seconds_load": round(t_load, 2), "seconds_run": round(t_run, 2)}

    # --- cleaning ---------------------------------------------------------------------------
    bp_total = bp_ok = 0
    for name, doc in gold["documents"].items():
        a = arts[_stem(name)]
        for line in doc["boilerplate_lines"]:
            bp_total += 1
            bp_ok += line not in a.text and any(r.text.strip() == line for r in a.removed)
    out["boilerplate_removed"] = f"{bp_ok}/{bp_total}"
    lost = [(n, sp) for f in gold["consensus_facts"] for n, sp in f["evidence"].items()
            if sp not in arts[_stem(n)].text]
    out["story_text_lost"] = len(lost)

    # --- entities -----------------------------------------------------------------------------
    ents = story.entities
    alias_sets = [(e.id, {_fold(x) for x in e.aliases}) for e in ents]
    multi = [g for g in gold["entities"] if len(g["aliases"]) >= 2]
    named = [g for g in multi if not g.get("generic") and g["type"] != "EVENT"]

    def grouped(g):
        found = {_fold(a) for a in g["aliases"]}
        owners = {eid for eid, al in alias_sets for a in found if a in al}
        hit = {a for a in found if any(a in al for _, al in alias_sets)}
        return len(owners) == 1 and len(hit) >= 2, owners, hit

    ok_named = sum(grouped(g)[0] for g in named)
    mixed = 0
    for eid, al in alias_sets:
        owners = {g["canonical"] for g in gold["entities"] for a in g["aliases"] if _fold(a) in al}
        mixed += len(owners) > 1
    out["entities_named_multi_alias_grouped"] = f"{ok_named}/{len(named)}"
    out["entities_all_multi_alias_grouped"] = f"{sum(grouped(g)[0] for g in multi)}/{len(multi)}"
    out["entities_mixing_two_gold"] = mixed

    # --- quotes -------------------------------------------------------------------------------
    found = spk = rep_ok = rep_total = 0
    for g in gold["quotes"]:
        aid = _stem(g["doc"])
        gq = _qnorm(g["text"])
        cands = [q for q in story.quotes if q.article == aid and
                 (_qnorm(q.text) == gq or (len(gq) > 15 and (gq in _qnorm(q.text) or _qnorm(q.text) in gq)
                                           and min(len(gq), len(_qnorm(q.text))) > 0.6 * max(len(gq), len(_qnorm(q.text)))))]
        if cands:
            found += 1
            spk += _same_person(cands[0].speaker, g["speaker"])
            if g.get("reported_by"):
                rep_total += 1
                rep_ok += _same_person(cands[0].reported_by, g["reported_by"])
    n = len(gold["quotes"])
    out["quote_recall"] = round(found / n, 3)
    out["quote_speaker_accuracy"] = round(spk / max(found, 1), 3)
    out["quote_reported_by"] = f"{rep_ok}/{rep_total}"

    # --- numbers ------------------------------------------------------------------------------
    hit = 0
    misses = []
    for g in gold["numeric_claims"]:
        ok = False
        for d in g["docs"]:
            aid = _stem(d)
            loc = _locate(arts[aid].text, g["text"])
            for m in story.numbers:
                if m.article == aid and loc and m.start < loc[1] and loc[0] < m.end and \
                        abs(float(m.value) - float(g["value"])) < 1e-3:
                    ok = True
        hit += ok
        if not ok:
            misses.append(g["text"])
    out["number_recall"] = round(hit / len(gold["numeric_claims"]), 3)
    out["number_misses"] = misses

    # --- times --------------------------------------------------------------------------------
    tg = [t for t in gold["time_expressions"] if t.get("role") != "publication_metadata"]
    matched = correct = 0
    for g in tg:
        aid = _stem(g["doc"])
        loc = _locate(arts[aid].text, g["text"])
        cands = [t for t in story.times if t.article == aid and loc and t.start < loc[1] and loc[0] < t.end]
        if cands:
            matched += 1
            correct += any(c.value == g["normalized"] for c in cands)
    out["time_recall"] = round(matched / len(tg), 3)
    out["time_value_accuracy"] = round(correct / max(matched, 1), 3)

    # --- reuse and source groups --------------------------------------------------------------
    copies = sorted(tuple(r.articles) for r in story.reuse if r.kind == "copy")
    out["copy_pairs"] = [list(p) for p in copies]
    groups = sorted(sorted(g) for g in story.source_groups)
    out["source_groups"] = groups
    cover = []
    strong = next(r for r in gold["reuse"] if r.get("counts_as_one_source") and len(r["docs"]) == 2
                  and set(map(_stem, r["docs"])) == {"000_c144dc5d5d1e91ea", "004_8f38f12bd4cc9d8f"})
    link = next((r for r in story.reuse if set(r.articles) == set(map(_stem, strong["docs"]))), None)
    for p in strong["passages"]:
        for d in strong["docs"]:
            aid = _stem(d)
            loc = _locate(arts[aid].text, p)
            covered = 0
            if link and loc:
                spans = [sp for ps in link.passages for sp in ps.spans if sp.article == aid]
                chars = set()
                for sp in spans:
                    chars |= set(range(max(sp.start, loc[0]), min(sp.end, loc[1])))
                covered = len(chars) / (loc[1] - loc[0])
            cover.append(round(covered, 3))
    out["copy_passage_coverage"] = cover

    # --- facts --------------------------------------------------------------------------------
    found_f = same_indep = 0
    for g in gold["consensus_facts"]:
        # The fact that covers the most of gold's evidence; among those, the one whose articles
        # are closest to gold's (a fact may legitimately also hold a broader sentence).
        best, best_key = None, (0, 0)
        gold_docs = {_stem(d) for d in g["evidence"]}
        for f in story.facts:
            n_docs = 0
            for d, sp in g["evidence"].items():
                aid = _stem(d)
                loc = _locate(arts[aid].text, sp)
                if loc and any(s.article == aid and s.start < loc[1] and loc[0] < s.end for s in f.support):
                    n_docs += 1
            key = (n_docs, -len({s.article for s in f.support} ^ gold_docs))
            if n_docs and key > best_key:
                best, best_key = f, key
        best_n = best_key[0]
        if best is not None and best_n >= min(2, len(g["evidence"])):
            found_f += 1
            same_indep += best.independent_sources == g["independent_sources"]
    nf = len(gold["consensus_facts"])
    out["consensus_fact_recall"] = round(found_f / nf, 3)
    out["consensus_indep_sources_exact"] = round(same_indep / max(found_f, 1), 3)

    # --- conflicts ----------------------------------------------------------------------------
    conf_res = {}
    for g in gold["conflicts"]:
        if g["severity"] not in {"high", "medium"}:
            continue
        best = 0
        for c in story.conflicts:
            n_cited = 0
            for gc in g["claims"]:
                aid = _stem(gc["doc"])
                loc = _locate(arts[aid].text, gc["claim"])
                if loc and any(cl.article == aid and cl.start < loc[1] and loc[0] < cl.end for cl in c.claims):
                    n_cited += 1
            best = max(best, n_cited)
        conf_res[g["topic"]] = f"{best}/{len(g['claims'])} gold claims cited"
    out["conflicts"] = conf_res
    out["conflict_topics"] = [c.topic for c in story.conflicts]

    # --- timeline -----------------------------------------------------------------------------
    tl_ok = 0
    for g in gold["timeline"]:
        docs = {_stem(d) for d in g["docs"]}
        if any(t.date == g["date"] and any(c.article in docs for c in t.citations) for t in story.timeline):
            tl_ok += 1
    out["timeline_dates_covered"] = f"{tl_ok}/{len(gold['timeline'])}"
    e = story.event
    out["event"] = None if e is None else {
        "type": e.type, "date": e.date, "location": e.location, "targets": list(e.targets),
        "killed": e.killed, "injured": e.injured, "claimed_by": e.claimed_by}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    res = run(args.shared)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
        return
    for k, v in res.items():
        print(f"{k:40s} {v}")


if __name__ == "__main__":
    main()
