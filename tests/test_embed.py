"""Sentence encoders (nlp/embed.py, nlp/onnx_minilm.py) and the setting that picks one for the
story stages (``run.encoder``)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from newsweave.config import load_config
from newsweave.errors import ConfigError
from newsweave.nlp import embed, onnx_minilm

SENTENCES = [
    "The Concorde crashed shortly after take-off from Charles de Gaulle airport.",
    "All 109 people on board were killed, and four more on the ground.",
    "Officials said a burst tyre may have punctured a fuel tank.",
    "Rain is expected across the north of the country on Saturday.",
    "Shares in Air France fell 3 percent in Paris trading.",
]


@pytest.mark.slow
def test_int8_vectors_stay_close_to_the_fp32_ones(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    monkeypatch.setenv("NEWSWEAVE_CACHE", str(tmp_path))
    path = onnx_minilm.build(onnx_minilm.model_file())  # a few seconds
    assert path.parent == tmp_path and [p.name for p in tmp_path.iterdir()] == [path.name]
    fp32 = embed.Embedder("minilm").encode(SENTENCES)
    int8 = onnx_minilm.Int8MiniLM().encode(SENTENCES)
    assert int8.shape == fp32.shape
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    assert (fp32 * int8).sum(axis=1).min() >= 0.97
    # a sentence's vector depends on its text alone, not on the sentences encoded with it
    alone = onnx_minilm.Int8MiniLM().encode(SENTENCES[2:3])
    assert np.allclose(alone[0], int8[2], atol=1e-6)


def test_int8_falls_back_to_fp32_minilm_without_onnxruntime(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails
    monkeypatch.setattr(embed, "_minilm_int8", onnx_minilm.Int8MiniLM)
    monkeypatch.setattr(embed, "_minilm", lambda: None)
    e = embed.Embedder("minilm-int8")
    with pytest.warns(UserWarning, match="needs onnxruntime.*using the fp32 MiniLM"):
        e.warm_up()
    assert e.backend == "minilm"


def test_memo_keeps_each_backends_vectors_apart(monkeypatch):
    def fake(self, texts):
        return np.stack([np.full(2, 8.0 if self.backend == "minilm-int8" else 1.0,
                                 dtype=np.float32) for _ in texts])

    monkeypatch.setattr(embed.Embedder, "_encode", fake)
    monkeypatch.setattr(embed.Embedder, "warm_up", lambda self: None)
    with embed.memo():
        fp32 = embed.Embedder("minilm").encode(["a"])
        int8 = embed.Embedder("minilm-int8").encode(["a"])
    assert fp32[0][0] == 1.0 and int8[0][0] == 8.0


def test_run_encoder_is_checked_by_name():
    with pytest.raises(ConfigError, match="'run.encoder' must be one of minilm, minilm-int8, "
                                          "got 'fp16'"):
        load_config(run__encoder="fp16")
    assert load_config().get("run.encoder") == "minilm"
    assert load_config(run__encoder="minilm-int8").get("run.encoder") == "minilm-int8"


def test_run_encoder_reaches_the_story_stages_only():
    from newsweave.pipeline import default_stages

    stages = {st.name: st for st in default_stages(load_config(run__encoder="minilm-int8"))}
    assert stages["crosscheck"].embedder.backend == "minilm-int8"
    assert stages["crosscheck"].aligner.embedder is stages["crosscheck"].embedder
    assert stages["summarize"].summarizer.embedder is stages["crosscheck"].embedder
    assert stages["stories"].backend == "minilm"  # grouping keeps the model it was fitted on


def test_a_missing_onnxruntime_is_a_report_problem(monkeypatch):
    import importlib.util

    from newsweave.pipeline import missing_components
    from newsweave.summarize import Summarize

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    problems = missing_components([Summarize()], "minilm-int8")
    assert any("'onnxruntime' is not installed" in p.message for p in problems)
    assert not any("onnxruntime" in p.message for p in missing_components([Summarize()]))


@pytest.mark.parametrize("env, want", [
    ({"NEWSWEAVE_CACHE": "/n", "XDG_CACHE_HOME": "/x"}, "/n"),
    ({"XDG_CACHE_HOME": "/x"}, "/x/newsweave"),
    ({}, "~/.cache/newsweave"),
])
def test_built_models_live_in_the_user_cache(monkeypatch, env, want):
    from pathlib import Path

    from newsweave.nlp.models import cache_dir

    for key in ("NEWSWEAVE_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert cache_dir() == Path(want).expanduser()
    assert onnx_minilm.model_file().parent == cache_dir()
