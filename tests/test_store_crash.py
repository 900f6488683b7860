"""Crash safety of `newsweave ingest`: killed with SIGKILL at random points (seeded), the store
still opens, passes `PRAGMA integrity_check`, and re-running the same ingest ends exactly where a
clean run ends (articles, stories, facts, copy links, and which story holds which article).

The corpus is a resampled multi-event stream (bench/scale.py) in three files, ingested with
``group.mode: light`` and a grouping chunk of 60 articles, so a kill can land while reading,
while storing, between grouping transactions or inside one. The slow variant runs 20 trials.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "bench"))


def _corpus(tmp: Path, n: int) -> list[str]:
    if not (SHARED / "data").exists():
        pytest.skip(f"needs {SHARED / 'data'} (the shared corpora beside the project root)")
    import scale

    batches = scale.build_stream(n, chunk=n, seed=7, out=tmp / "corpus", file_size=n // 3 + 1)
    return [str(p) for batch in batches for p in batch]


def _cmd(db: Path, cfg: Path, files: list[str]) -> list[str]:
    return [sys.executable, "-m", "newsweave.cli", "ingest", *files, "--db", str(db),
            "--config", str(cfg), "-q"]


def _env() -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _snapshot(db: Path) -> dict:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "stories", "facts", "copy_links", "story_articles")}
        placed = dict(con.execute("SELECT article_id, story_id FROM story_articles"))
        links = sorted(con.execute("SELECT story_id, a, b, kind FROM copy_links"))
    return {"counts": counts, "placed": placed, "links": links}


def _trials(tmp_path: Path, n_articles: int, trials: int, seed: int) -> None:
    from newsweave.nlp.static import StaticEmbedder

    StaticEmbedder().warm_up()  # a fresh machine distils the static model once, not in a trial
    files = _corpus(tmp_path, n_articles)
    cfg = tmp_path / "light.yaml"
    cfg.write_text("group:\n  mode: light\nstore:\n  group_chunk: 60\n", "utf-8")
    clean_db = tmp_path / "clean.db"
    t0 = time.monotonic()
    subprocess.run(_cmd(clean_db, cfg, files), env=_env(), check=True, timeout=600)
    clean_s = time.monotonic() - t0
    clean = _snapshot(clean_db)
    assert clean["counts"]["articles"] == n_articles and clean["counts"]["stories"] > 1
    rng = random.Random(seed)
    for trial in range(trials):
        db = tmp_path / f"crash-{trial}.db"
        proc = subprocess.Popen(_cmd(db, cfg, files), env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, clean_s))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        if db.exists():  # the store opens and is sound after the kill
            with sqlite3.connect(db) as con:
                assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", trial
        subprocess.run(_cmd(db, cfg, files), env=_env(), check=True, timeout=600)
        again = _snapshot(db)
        assert again["counts"] == clean["counts"], (trial, again["counts"], clean["counts"])
        assert again["placed"] == clean["placed"], trial
        assert again["links"] == clean["links"], trial


def test_killed_ingest_resumes_to_the_clean_result_fast(tmp_path):
    _trials(tmp_path, n_articles=150, trials=2, seed=1)


@pytest.mark.slow
def test_killed_ingest_resumes_to_the_clean_result(tmp_path):
    _trials(tmp_path, n_articles=600, trials=20, seed=2026)
