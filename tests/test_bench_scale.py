"""Gate for bench/scale.py: a 2,000-article slice of the resampled stream through the light path
(two incremental ingests of 1,000), in its own process so its peak RSS is its own.

Pinned minimums, below what the slice measures (see bench/RESULTS.md "Scale and crash safety"):
it finishes, every article is stored and placed, RSS stays bounded, stories match the stream's
events (BCubed F1) and copy links find the syndicated copies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT, SHARED


def test_scale_slice(tmp_path):
    if not (SHARED / "data").exists():
        import pytest

        pytest.skip(f"needs {SHARED / 'data'} (the shared corpora beside the project root)")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--n", "2000", "--chunk", "1000",
         "--out", str(tmp_path), "--json"],
        env=env, capture_output=True, text=True, timeout=600, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["counts"]["articles"] == 2000
    assert res["counts"]["story_events"] >= 2000  # one new/join per article, plus merges
    assert res["peak_rss_mb"] < 1500
    assert 0.5 * res["events"] <= res["counts"]["stories"] <= 1.5 * res["events"]
    assert res["bcubed"]["f1"] >= 0.90
    assert res["copies"]["precision"] >= 0.90 and res["copies"]["recall"] >= 0.90
    assert res["ingest_s"] < 300  # about 25 s alone on the project machine; generous under load
