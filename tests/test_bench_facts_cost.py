"""bench/facts_cost.py's counting (#23): which texts the facts aligner needs vectors for, and
what a word-share screen would keep and lose. Synthetic tables; the benchmark's figures are in
bench/RESULTS.md."""

from __future__ import annotations

import numpy as np

from .conftest import bench_module


def _table():
    # units: a0 "x" | b0 "x" (a copy) | a1 "p" | b1 "q" (restates p) | b2 "r" (close, no words)
    texts = np.array(["x", "x", "p", "q", "r"], dtype=object)
    arts = np.array(["a", "b", "a", "b", "b"])
    other = (arts[:, None] != arts[None, :]) & (texts[:, None] != texts[None, :])
    sim = np.full((5, 5), 0.2, dtype=np.float32)
    sim[0, 1] = sim[1, 0] = 1.0          # identical texts: no vector needed
    sim[2, 3] = sim[3, 2] = 0.7          # p and q clear the threshold
    sim[2, 4] = sim[4, 2] = 0.55         # p and r do not
    lex = np.zeros((5, 5), dtype=np.float32)
    lex[2, 3] = lex[3, 2] = 0.1          # p and q share few words: a 0.2 screen drops them
    lex[2, 4] = lex[4, 2] = 0.5
    empty = np.zeros((5, 5), dtype=np.float32)
    return texts, other, empty, lex, sim, empty


def test_needed_texts_leave_out_copies_and_misses():
    fc = bench_module("facts_cost")
    assert fc.needed_texts([_table()], 0.6) == [{"p", "q"}]


def test_word_screen_counts_kept_and_lost():
    fc = bench_module("facts_cost")
    # share >= 0.2 keeps p and r (via each other) and loses q, which p needed
    assert fc.word_screen([_table()], 0.2, 0.6) == (2, 1)
    assert fc.word_screen([_table()], 0.05, 0.6) == (3, 0)
