"""Claim benchmark: a report's cross-checked facts, conflicts and updates scored against a gold
file of the shape of ../shared/gold/seeds.json or concorde.json.

    python bench/claims.py --gold ../shared/gold/concorde.json [--gold ...] \
        [--report FILE.json] [--mode default|single|both] [--json]

Without --report the input is built as the gold file says (its ``input`` object: records taken
from ``source_file``, in the order of ``doc_ids``; without one, the folder beside the gold named
like it, ../shared/seeds for seeds.json), the real CLI is run on it with the shipped defaults
(``single`` adds a config with ``group: {mode: single}``) and the report is scored. ``--config
FILE`` lays a newsweave config file under each mode's, e.g. ``run: {encoder: minilm-int8}``;
``--save DIR`` keeps each report as DIR/<gold>-<mode>.json (to compare two configs' reports).

Figures (``score()``; ``run()`` adds the run's seconds):
- ``multi_source_precision``: of the report facts with ``independent_sources >= 2``, the share
  that one gold consensus fact backs in every supporting article;
- ``consensus_recall``: gold consensus facts that some report fact supports in
  min(2, evidence docs) of their documents; ``indep_exact``: of those, the share whose
  best-matching fact gives gold's ``independent_sources``;
- ``high_conflicts_found``: gold conflicts of severity ``high`` that a report conflict (or a
  story ``updates`` series, where the report has them) cites in two documents that gold gives
  different values.
A report span "hits" a gold span in an article when their character ranges intersect or the
report span lies inside a sentence of the article that the gold span touches.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODES = ("default", "single")

# ---------------------------------------------------------------------------------------------
# Locating gold strings in a report article
# ---------------------------------------------------------------------------------------------

# AP writes quotes as '' ... '' and NYT as `` ... ''; curly and straight quotes are one mark here.
_TOKEN = re.compile(r"``|''|\s+|.", re.S)
_MARK = {"‘": "'", "’": "'", "`": "'", "“": '"', "”": '"', "„": '"'}


def _normalise(text: str) -> tuple[str, list[int], list[int]]:
    """Fold case, quote marks and whitespace runs, keeping each folded character's source range.

    Returns:
        (folded text, start offset, end offset) where the offsets are per folded character.
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        folded = " " if tok.isspace() else '"' if len(tok) == 2 else _MARK.get(tok, tok).casefold()
        for ch in folded:
            chars.append(ch)
            starts.append(m.start())
            ends.append(m.end())
    return "".join(chars), starts, ends


def _find_all(hay: str, needle: str) -> list[int]:
    out, i = [], hay.find(needle)
    while needle and i >= 0:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def locate(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every place ``phrase`` occurs in ``text``: exact matches, else whitespace-, case- and
    quote-folded matches mapped back to offsets in ``text``.

    Returns:
        ``(start, end)`` ranges, end exclusive; empty when the phrase is not there.
    """
    exact = [(i, i + len(phrase)) for i in _find_all(text, phrase)]
    if exact:
        return exact
    norm, starts, ends = _normalise(text)
    needle = _normalise(phrase)[0].strip()
    return [(starts[i], ends[i + len(needle) - 1]) for i in _find_all(norm, needle)]


class _Article:
    """One report article: its text, its sentences, and hit tests against gold ranges."""

    def __init__(self, art: dict):
        self.text = art.get("text", "")
        self.sentences = [(s["start"], s["end"]) for s in art.get("sentences", [])]

    def hits(self, start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
        """Whether the span ``start:end`` intersects one of ``ranges``, or lies in a sentence
        that one of them touches (a claim-sized span inside the evidence's sentence)."""
        for gs, ge in ranges:
            if start < ge and gs < end:
                return True
            if any(ss <= start and end <= se and ss < ge and gs < se for ss, se in self.sentences):
                return True
        return False


def _article_id(key: str, ids: set[str]) -> str | None:
    # Gold keys are file names ("000_c1.txt", "APW20000725.0129.txt"); report ids drop the
    # extension (a file's stem, a JSONL record's id).
    if key in ids:
        return key
    stem = key.rsplit(".", 1)[0]
    return stem if stem in ids else None


def _value_key(value) -> str:
    # Gold values are free text with sources and dates in parentheses and asides after ";"
    # ("109 + 4 (1 Sep)", "not hurt (UNAMI)"); those are not part of the value.
    v = re.sub(r"\([^()]*\)", " ", str(value)).split(";")[0]
    return " ".join(v.casefold().split()).strip(" .,")


def _ratio(k: int, n: int) -> float | None:
    return round(k / n, 3) if n else None


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def _gold_ranges(docs: dict[str, _Article], ids: set[str], doc_key: str, phrase: str,
                 unlocated: list[str]) -> tuple[str | None, list[tuple[int, int]]]:
    aid = _article_id(doc_key, ids)
    ranges = locate(docs[aid].text, phrase) if aid else []
    if not ranges:
        unlocated.append(f"{doc_key}: {phrase}")
    return aid, ranges


def _support(fact: dict) -> dict[str, list[tuple[int, int]]]:
    by_art: dict[str, list[tuple[int, int]]] = {}
    for s in fact.get("support", []):
        by_art.setdefault(s["article"], []).append((s["start"], s["end"]))
    return by_art


def _backed(docs, support, evidence) -> set[str]:
    """Articles of ``support`` whose spans hit the gold fact's evidence there."""
    return {a for a, spans in support.items()
            if a in evidence and any(docs[a].hits(s, e, evidence[a]) for s, e in spans)}


def _score_facts(docs, gold_facts, facts) -> dict:
    multi = [f for f in facts if f.get("independent_sources", 0) >= 2]
    right, wrong = 0, []
    for f in multi:
        sup = _support(f)
        best, best_g = set(), None
        for g, ev in gold_facts:
            ok = _backed(docs, sup, ev)
            if len(ok) > len(best):
                best, best_g = ok, g
        if best == set(sup):
            right += 1
        else:
            wrong.append({"statement": f.get("statement"), "offending": sorted(set(sup) - best),
                          "nearest_gold": best_g["fact"] if best_g else None})

    found = exact = 0
    missed, indep_off = [], []
    for g, ev in gold_facts:
        gdocs = set(ev)
        best, best_key = None, (0, 0)
        for f in facts:
            sup = _support(f)
            n = len(_backed(docs, sup, ev))
            # Among facts covering as many gold documents, the one whose articles are closest
            # to gold's (a fact may also carry a broader sentence from another article).
            key = (n, -len(set(sup) ^ gdocs))
            if n and key > best_key:
                best, best_key = f, key
        if best is not None and best_key[0] >= min(2, len(g["evidence"])):
            found += 1
            if best.get("independent_sources") == g["independent_sources"]:
                exact += 1
            else:
                indep_off.append(f"{g['fact']}: report {best.get('independent_sources')}, "
                                 f"gold {g['independent_sources']}")
        else:
            missed.append(g["fact"])
    return {
        "multi_source_facts": len(multi),
        "multi_source_precision": _ratio(right, len(multi)),
        "consensus_recall": _ratio(found, len(gold_facts)),
        "indep_exact": _ratio(exact, found),
        "counts": {"multi_source_right": f"{right}/{len(multi)}",
                   "consensus_found": f"{found}/{len(gold_facts)}",
                   "indep_exact": f"{exact}/{found}"},
        "wrong_facts": wrong, "missed_facts": missed, "indep_mismatches": indep_off,
    }


def _two_values(docs, claims: list[dict], gold_claims) -> list[tuple[str, str]]:
    """The (article, gold value) pairs that report ``claims`` (article/start/end) hit, when they
    hold two different values in two different documents; else empty."""
    hit = sorted({(aid, value) for aid, ranges, value in gold_claims
                  if any(c.get("article") == aid and aid in docs and
                         docs[aid].hits(c["start"], c["end"], ranges) for c in claims)})
    two = any(a1 != a2 and v1 != v2 for (a1, v1), (a2, v2) in combinations(hit, 2))
    return hit if two else []


def _score_conflicts(docs, ids, gold, stories, unlocated) -> dict:
    conflicts = [c for s in stories for c in s.get("conflicts", [])]
    updates = [u for s in stories for u in (s.get("updates") or [])]
    # Where a report entry cites claims and who reports it: conflicts by topic, updates by what.
    cited = [("conflict", c.get("topic"), c.get("claims", [])) for c in conflicts] + \
            [("update", u.get("what"), u.get("series", [])) for u in updates]
    high = [g for g in gold.get("conflicts", []) if g.get("severity") == "high"]
    found, missed = [], []
    for g in high:
        gold_claims = []
        for gc in g["claims"]:
            aid, ranges = _gold_ranges(docs, ids, gc["doc"], gc["claim"], unlocated)
            if ranges:
                gold_claims.append((aid, ranges, _value_key(gc.get("value"))))
        match = next(((kind, name, pairs) for kind, name, claims in cited
                      if (pairs := _two_values(docs, claims, gold_claims))), None)
        if match:
            # Kept so a reader can judge the match: gold values are free text, and two
            # renderings of one reading ("113 in all", "109 + 4") count as different values.
            found.append({"topic": g["topic"], "via": match[0], "report_topic": match[1],
                          "gold_values_hit": [f"{a}: {v}" for a, v in match[2]]})
        else:
            missed.append(g["topic"])
    return {"high_conflicts_found": _ratio(len(found), len(high)),
            "report_conflicts": len(conflicts),
            "report_updates": len(updates) if any("updates" in s for s in stories) else None,
            "high_counts": f"{len(found)}/{len(high)}", "found_high_conflicts": found,
            "missed_high_conflicts": missed}


def score(report: dict, gold: dict) -> dict:
    """Score a report's facts, conflicts and updates against a gold file.

    Args:
        report: the JSON report (``newsweave analyze --format json``), any number of stories;
            all stories' facts and conflicts are scored together.
        gold: a gold dict with ``consensus_facts`` (``fact``, ``evidence`` {doc: span},
            ``independent_sources``) and ``conflicts`` (``topic``, ``severity``, ``claims``
            [{``doc``, ``claim``, ``value``}]).

    Returns:
        The figures named in the module docstring, ``counts`` behind each share, the lists a
        developer reads (``wrong_facts``, ``missed_facts``, ``indep_mismatches``,
        ``missed_high_conflicts``, ``found_high_conflicts`` with the gold values each hit) and
        ``gold_spans_unlocated`` (gold strings not found in the report's cleaned text, which can
        only be scored as misses).
    """
    docs = {a["id"]: _Article(a) for a in report.get("articles", [])}
    ids = set(docs)
    stories = report.get("stories", [])
    unlocated: list[str] = []
    gold_facts = []
    for g in gold.get("consensus_facts", []):
        ev = {}
        for key, phrase in g["evidence"].items():
            aid, ranges = _gold_ranges(docs, ids, key, phrase, unlocated)
            if ranges:
                ev[aid] = ranges
        gold_facts.append((g, ev))
    facts = [f for s in stories for f in s.get("facts", [])]
    out = {"stories": len(stories), "facts": len(facts)}
    out.update(_score_facts(docs, gold_facts, facts))
    conf = _score_conflicts(docs, ids, gold, stories, unlocated)
    out["counts"]["high_conflicts_found"] = conf.pop("high_counts")
    out.update(conf)
    out["gold_spans_unlocated"] = unlocated
    return out


# ---------------------------------------------------------------------------------------------
# Building the input and running the CLI
# ---------------------------------------------------------------------------------------------


def _source_docs(path: Path, topic: str | None) -> dict[str, dict]:
    # A DUC-style topics file (one topic per line with its "documents") or one document a line.
    docs = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if "documents" in rec:
                if topic is None or rec.get("topic_id") == topic:
                    docs.update({d["doc_id"]: d for d in rec["documents"]})
            else:
                docs[rec.get("doc_id") or rec["id"]] = rec
    return docs


def build_input(gold_path: Path, gold: dict, folder: Path) -> list[Path]:
    """Write the analyzer's input for ``gold`` under ``folder``.

    Args:
        gold_path: the gold file; its folder's parent is the shared folder.
        gold: its contents. With an ``input`` object, one JSONL record per ``doc_ids`` entry
            ({id, published, source, title, text}, ``source`` from the gold document's
            ``outlet``); without one, the folder beside the shared gold named like the file.
        folder: where a JSONL file is written.

    Returns:
        The paths to pass to ``newsweave analyze``.
    """
    shared = gold_path.resolve().parent.parent
    spec = gold.get("input")
    if spec is None:
        src = shared / gold_path.stem
        if not src.is_dir():
            raise SystemExit(f"{gold_path} has no `input` object and {src} is not a folder")
        return [src]
    source = shared.parent / spec["source_file"]
    records = _source_docs(source, spec.get("topic_id"))
    meta = {k.rsplit(".", 1)[0]: v for k, v in gold.get("documents", {}).items()}
    out = folder / f"{gold_path.stem}.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for doc_id in spec["doc_ids"]:
            if doc_id not in records:
                raise SystemExit(f"{doc_id} (in {gold_path} input.doc_ids) is not in {source}")
            d, m = records[doc_id], meta.get(doc_id, {})
            rec = {"id": doc_id, "published": (d.get("date") or "")[:10] or m.get("publication_date"),
                   "source": m.get("outlet"), "title": d.get("headline"), "text": d["text"]}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return [out]


def _newsweave() -> str:
    beside = Path(sys.executable).parent / "newsweave"
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "newsweave")


def analyze(inputs: list[Path], mode: str, folder: Path, config: Path | None = None) -> dict:
    """Run ``newsweave analyze`` on ``inputs`` with the shipped defaults, or ``config`` laid over
    them (``single``: one story), and return the JSON report."""
    out = folder / f"report-{mode}.json"
    cmd = [_newsweave(), "analyze", *map(str, inputs), "--format", "json", "-o", str(out), "-q"]
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: expected one of {MODES}")
    user = yaml.safe_load(config.read_text("utf-8")) or {} if config else {}
    if mode == "single":
        user = {**user, "group": {**(user.get("group") or {}), "mode": "single"}}
    if user:
        cfg = folder / f"{mode}.yaml"
        cfg.write_text(yaml.safe_dump(user), encoding="utf-8")
        cmd += ["--config", str(cfg)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return json.loads(out.read_text("utf-8"))


def gold_report(gold_path: Path | str, mode: str = "default", config: Path | None = None,
                save: Path | None = None) -> tuple[dict, dict, float]:
    """Build the gold file's input and analyze it with the real CLI in ``mode`` (``config``: a
    newsweave config file laid under the mode's).

    Returns:
        (the gold, the JSON report, the CLI's wall time in seconds); ``save``: a folder to keep
        the report in, as <gold>-<mode>.json.
    """
    gold_path = Path(gold_path)
    gold = json.loads(gold_path.read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="bench-gold-") as tmp:
        inputs = build_input(gold_path, gold, Path(tmp))
        t0 = time.perf_counter()
        report = analyze(inputs, mode, Path(tmp), config)
        seconds = round(time.perf_counter() - t0, 1)
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{gold_path.stem}-{mode}.json").write_bytes(
                (Path(tmp) / f"report-{mode}.json").read_bytes())
    return gold, report, seconds


def run(gold_path: Path | str, mode: str = "default", config: Path | None = None,
        save: Path | None = None) -> dict:
    """Analyze the gold file's input in ``mode`` (with ``config`` and ``save``, see
    ``gold_report``) and score the report: ``score()``'s figures plus ``seconds`` (the CLI's wall
    time)."""
    gold, report, seconds = gold_report(gold_path, mode, config, save)
    return {**score(report, gold), "seconds": seconds}


# ---------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------

_ROWS = [("stories", None), ("facts", None), ("multi_source_facts", None),
         ("multi_source_precision", "multi_source_right"), ("consensus_recall", "consensus_found"),
         ("indep_exact", "indep_exact"), ("high_conflicts_found", "high_conflicts_found"),
         ("report_conflicts", None), ("report_updates", None), ("seconds", None)]


def _cell(res: dict, key: str, count: str | None) -> str:
    v = res.get(key)
    text = "-" if v is None else str(v)
    return f"{text} ({res['counts'][count]})" if count else text


def print_table(results: dict[str, dict]) -> None:
    """Print one column per "gold:mode", then each column's misses."""
    cols = list(results)
    width = max(24, *(len(c) + 2 for c in cols))
    print(f"{'figure':24s}" + "".join(f"{c:>{width}s}" for c in cols))
    for key, count in _ROWS:
        if any(key in r for r in results.values()):
            print(f"{key:24s}" + "".join(f"{_cell(results[c], key, count):>{width}s}" for c in cols))
    for col, res in results.items():
        print(f"\n== {col}")
        for w in res["wrong_facts"]:
            print(f"  wrong fact: {w['statement']!r}\n      offending {w['offending']}; "
                  f"nearest gold: {w['nearest_gold']!r}")
        for m in res["missed_facts"]:
            print(f"  missed fact: {m}")
        for m in res["indep_mismatches"]:
            print(f"  independent sources: {m}")
        for m in res["missed_high_conflicts"]:
            print(f"  missed high conflict: {m}")
        for m in res["found_high_conflicts"]:
            print(f"  found high conflict: {m['topic']} <- {m['via']} {m['report_topic']!r}: "
                  f"{'; '.join(m['gold_values_hit'])}")
        for m in res["gold_spans_unlocated"]:
            print(f"  gold span not in report text: {m}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, action="append", required=True,
                    help="gold file (repeat for several)")
    ap.add_argument("--report", type=Path, help="score this report instead of running the CLI")
    ap.add_argument("--mode", choices=[*MODES, "both"], default="default")
    ap.add_argument("--config", type=Path,
                    help="a newsweave config file for every run (the mode's settings over it)")
    ap.add_argument("--save", type=Path, help="keep each report in this folder")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if args.report and len(args.gold) > 1:
        ap.error("--report scores one report: give one --gold")
    results: dict[str, dict] = {}
    for gold_path in args.gold:
        name = gold_path.stem
        if args.report:
            gold = json.loads(gold_path.read_text("utf-8"))
            results[f"{name}:report"] = score(json.loads(args.report.read_text("utf-8")), gold)
            continue
        for mode in MODES if args.mode == "both" else (args.mode,):
            results[f"{name}:{mode}"] = run(gold_path, mode, args.config, args.save)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
