"""Independent reference for `docqa import-model`: a NumPy forward pass of a sentence-transformers BERT checkpoint,
written from the safetensors file and Hugging Face's BertModel definition, with the Rust `tokenizers` library.
Shares no code with the TypeScript importer, the ONNX graph or transformers.js.

    pip install numpy safetensors tokenizers
    OPENBLAS_NUM_THREADS=1 python3 test/reference/bert_numpy_reference.py <checkpoint folder> <texts.json> <vectors.json> [--max-tokens 256]

texts.json: a JSON list of strings. vectors.json: a JSON list of unit vectors (float64 maths, pooled as
1_Pooling/config.json says). One BLAS thread: OpenBLAS's spinning threads crawl on a shared machine. Not run by the tests (the bot and CI never need Python); see docs/evaluation.md.
"""
import argparse
import json
import math
import os

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def erf(x):
    # Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, below float32 rounding): NumPy has no erf, and
    # math.erf element by element takes minutes per long text.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def encode(ids, w, cfg, prefix):
    g = lambda name: w[prefix + name]
    n = len(ids)
    x = g("embeddings.word_embeddings.weight")[ids] + g("embeddings.position_embeddings.weight")[:n] + g("embeddings.token_type_embeddings.weight")[0]
    eps = cfg.get("layer_norm_eps", 1e-12)
    x = layer_norm(x, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"), eps)
    heads = cfg["num_attention_heads"]
    dh = cfg["hidden_size"] // heads
    for l in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{l}."
        lin = lambda t, name: t @ g(p + name + ".weight").T + g(p + name + ".bias")
        q = lin(x, "attention.self.query").reshape(n, heads, dh).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(n, heads, dh).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(n, heads, dh).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(dh)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(1, 0, 2).reshape(n, heads * dh)
        x = layer_norm(lin(ctx, "attention.output.dense") + x, g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias"), eps)
        h = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(lin(h, "output.dense") + x, g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"), eps)
    return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("texts")
    parser.add_argument("out")
    parser.add_argument("--max-tokens", type=int, default=256)
    args = parser.parse_args()
    cfg = json.load(open(os.path.join(args.checkpoint, "config.json")))
    pool = json.load(open(os.path.join(args.checkpoint, "1_Pooling", "config.json")))
    w = {name: tensor.astype(np.float64) for name, tensor in load_file(os.path.join(args.checkpoint, "model.safetensors")).items()}
    prefix = "" if "embeddings.word_embeddings.weight" in w else "bert."
    tok = Tokenizer.from_file(os.path.join(args.checkpoint, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=args.max_tokens)
    vectors = []
    for text in json.load(open(args.texts)):
        ids = tok.encode(text).ids
        hidden = encode(ids, w, cfg, prefix)
        vec = hidden[0] if pool.get("pooling_mode_cls_token") else hidden.mean(0)
        vectors.append((vec / np.linalg.norm(vec)).tolist())
    json.dump(vectors, open(args.out, "w"))


if __name__ == "__main__":
    main()
