"""What the facts aligner must encode, and what cheaper signals could spare (#23).

    python bench/facts_cost.py                 # 500-article stream (seed 7), as dask_speed.py
    python bench/facts_cost.py --articles 200

The facts aligner (``crosscheck/facts.py``) is most of the story stages' cost: it encodes every
sentence of a story, and every clause of its long sentences, with MiniLM. This runs the whole
analysis (shipped defaults, ``group.mode: events``) on a stream built by ``bench/scale.py``'s
resampler, records each story's aligner input (units, vectors, the similarity it decided on) and
prints, over the stories of two or more articles:

1. units, distinct texts (what is encoded: identical texts are encoded once per story), and the
   share of word pieces that clauses add;
2. "needed": distinct texts with a partner in another article, of another text, whose
   similarity clears the threshold (an identical text needs no encoding: its cosine is 1). No
   exact shortcut can spare more than the rest;
3. lexical screens: keep a text only when some other article's text shares at least this share
   of content words (the word term of the aligner's similarity); printed, texts kept and needed
   texts lost;
4. the static encoder (``nlp/static.py``, the light path's) in MiniLM's place: the correlation
   of its cosines with MiniLM's over cross-article pairs, then, with its cosines mapped onto
   MiniLM's by quantiles fitted on a random half of the pairs, the precision and recall of its
   threshold decisions against MiniLM's on the other half;
5. clause vectors pooled from their sentence's word pieces (one encoding per sentence) against
   each clause encoded alone: the cosine of the two (mean, 1st and 5th percentile, minimum).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def record(n: int, seed: int) -> list[tuple[list, np.ndarray, np.ndarray]]:
    """Analyse an ``n``-article stream; return each aligned story's (units, vectors, similarity)."""
    from scale import build_stream  # bench/scale.py

    from newsweave.config import load_config
    from newsweave.crosscheck import facts
    from newsweave.pipeline import Pipeline

    seen: list[tuple[list, np.ndarray, np.ndarray]] = []
    plain = facts.FactAligner.similarity

    def similarity(self, units):
        sim = plain(self, units)
        seen.append((list(units), self.embedder.encode([u.text for u in units]), sim))
        return sim

    facts.FactAligner.similarity = similarity
    try:
        pipe = Pipeline(config=load_config(group__mode="events", limits__max_articles=1_000_000))
        with tempfile.TemporaryDirectory() as tmp:
            files = [str(p) for b in build_stream(n, chunk=n, seed=seed, out=Path(tmp)) for p in b]
            raws, _problems, _inputs = pipe.read(files)
            cleaner = pipe.cleaner_for(raws)
            cleaned = [o for o in (pipe.clean_raw(r, cleaner) for r in raws)
                       if hasattr(o, "sentences")]
        t0 = time.perf_counter()
        pipe.run_corpus(pipe.process_articles(cleaned))
        print(f"analysed {len(cleaned)} articles in {time.perf_counter() - t0:.1f} s", flush=True)
    finally:
        facts.FactAligner.similarity = plain
    return seen


def pair_tables(seen, static_vectors):
    """Per story: cross-article pairs of different texts (mask), MiniLM cosine, word share,
    aligner similarity and static cosine."""
    from newsweave.nlp.statements import content_words

    out = []
    for units, vecs, sim in seen:
        texts = np.array([u.text for u in units], dtype=object)
        arts = np.array([u.article for u in units], dtype=object)
        other = (arts[:, None] != arts[None, :]) & (texts[:, None] != texts[None, :])
        words = [content_words(t) for t in texts]
        lex = np.zeros(sim.shape, dtype=np.float32)
        for i, j in zip(*np.nonzero(np.triu(other, 1))):
            lex[i, j] = lex[j, i] = (len(words[i] & words[j])
                                     / max(min(len(words[i]), len(words[j])), 1))
        sv = static_vectors([str(t) for t in texts])
        out.append((texts, other, vecs @ vecs.T, lex, sim, sv @ sv.T))
    return out


def needed_texts(tables, threshold: float) -> list[set[str]]:
    """Per story, the texts with a different text of another article at ``threshold`` or more:
    the only ones whose vectors can change the facts."""
    return [set(t[(other & (sim >= threshold)).any(1)]) for t, other, _c, _l, sim, _s in tables]


def word_screen(tables, floor: float, threshold: float) -> tuple[int, int]:
    """Texts a word-share screen keeps (some other article's different text shares ``floor`` of
    its content words or more), and needed texts it would drop; summed over stories."""
    kept = lost = 0
    for table, needed in zip(tables, needed_texts(tables, threshold)):
        t, other, _c, lex, _s, _sc = table
        keep = set(t[(other & (lex >= floor)).any(1)])
        kept += len(keep)
        lost += len(needed - keep)
    return kept, lost


def clause_fidelity(seen, limit: int = 800) -> np.ndarray:
    """Cosines between clause vectors pooled in their sentence and encoded alone."""
    from newsweave.nlp.embed import _minilm

    model = _minilm()
    rows = []
    for units, vecs, _sim in seen:
        index = {u.text: k for k, u in enumerate(units)}
        for u in units:
            if u.sentence or len(rows) >= limit:
                continue
            host = max((v for v in units if v.article == u.article and v is not u
                        and v.start <= u.start and u.end <= v.end),
                       key=lambda v: v.end - v.start, default=None)
            if host is not None:
                rows.append((host.text, u.start - host.start, u.end - host.start,
                             vecs[index[u.text]]))
    hosts = sorted({r[0] for r in rows})
    tokens = dict(zip(hosts, model.encode(hosts, output_value="token_embeddings")))
    out = []
    for text, start, end, alone in rows:
        lead = len(text) - len(text.lstrip())
        enc = model.tokenizer(text.strip(), return_offsets_mapping=True, truncation=True,
                              max_length=model.max_seq_length)
        pick = [k for k, (a, b) in enumerate(enc["offset_mapping"])
                if b > a and a + lead >= start and b + lead <= end]
        if pick:
            v = tokens[text].numpy()[pick].mean(axis=0)
            out.append(float(v @ alone / np.linalg.norm(v)))
    return np.array(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    from newsweave.crosscheck.facts import COS_WEIGHT, THRESHOLD
    from newsweave.nlp.static import StaticEmbedder

    seen = record(args.articles, args.seed)
    tables = pair_tables(seen, StaticEmbedder().encode)
    units = sum(len(u) for u, _v, _s in seen)
    sentence_texts = {u.text for us, _v, _s in seen for u in us if u.sentence}
    clause_texts = {u.text for us, _v, _s in seen for u in us if not u.sentence} - sentence_texts
    from newsweave.nlp.embed import _minilm

    tok = _minilm().tokenizer
    pieces = [sum(len(tok(t)["input_ids"]) for t in group) for group in (sentence_texts,
                                                                         clause_texts)]
    distinct = sum(len(set(t)) for t, *_ in tables)
    needed = sum(len(n) for n in needed_texts(tables, THRESHOLD))
    print(f"stories aligned {len(seen)}; units {units}; distinct texts {distinct}; clauses "
          f"{pieces[1] / sum(pieces):.1%} of word pieces")
    print(f"needed (a different text of another article clears {THRESHOLD}): {needed} "
          f"({needed / distinct:.1%} of distinct texts)")
    for floor in (0.15, 0.2, 0.25, 0.3):
        kept, lost = word_screen(tables, floor, THRESHOLD)
        print(f"screen word share >= {floor}: keeps {kept} ({kept / distinct:.1%}), loses {lost} "
              "needed")
    pick = [np.triu(o, 1) for _t, o, *_ in tables]
    mini = np.concatenate([c[p] for p, (_t, _o, c, *_r) in zip(pick, tables)])
    stat = np.concatenate([sc[p] for p, (*_r, sc) in zip(pick, tables)])
    rest = np.concatenate([(s - COS_WEIGHT * c)[p] for p, (_t, _o, c, _l, s, _sc)
                           in zip(pick, tables)])
    print(f"static vs MiniLM cosine over {len(mini)} cross-article pairs: correlation "
          f"{np.corrcoef(mini, stat)[0, 1]:.3f}")
    order = np.random.default_rng(0).permutation(len(mini))
    fit, test = order[:len(order) // 2], order[len(order) // 2:]
    qs = np.linspace(0, 1, 1001)
    mapped = np.interp(stat[test], np.quantile(stat[fit], qs), np.quantile(mini[fit], qs))
    truth = COS_WEIGHT * mini[test] + rest[test] >= THRESHOLD
    for t in (THRESHOLD - 0.05, THRESHOLD, THRESHOLD + 0.05, THRESHOLD + 0.1):
        pred = COS_WEIGHT * mapped + rest[test] >= t
        hit = int((pred & truth).sum())
        print(f"static (quantile-mapped) threshold {t:.2f}: precision {hit / max(pred.sum(), 1):.3f}"
              f" recall {hit / max(truth.sum(), 1):.3f} against MiniLM's decisions")
    fid = clause_fidelity(seen)
    print(f"clause pooled in its sentence vs alone ({len(fid)} clauses): cosine mean "
          f"{fid.mean():.3f}, p1 {np.percentile(fid, 1):.3f}, p5 {np.percentile(fid, 5):.3f}, "
          f"min {fid.min():.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
