"""bench/sft_proof.py's load_base: the shipped Gemma 3 270M GGUF loaded once (transformers dequantises it), cached as
config + state dict, and loaded from that cache as the same model: the same weights, tied head and logits. A cache
of another file is not used. Under CI=true a missing torch, transformers or gguf fails."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from conftest import bench_module, require


def test_the_cached_base_is_the_gguf_model(llama_model: Path, tmp_path: Path) -> None:
    require([m for m in ("torch", "transformers", "gguf") if importlib.util.find_spec(m) is None], "the base cache")
    import torch

    path = list(sys.path)
    proof = bench_module("sft_proof")
    sys.path[:] = path  # sft_proof puts bench/ first on the path, where its build.py could shadow a package
    cache = tmp_path / "work" / "base-fp32"
    from_gguf = proof.load_base(llama_model, cache)
    assert sorted(p.name for p in cache.iterdir()) == ["config.json", "key", "state.pt"]
    assert not list(cache.parent.glob("*.tmp"))  # the staging folder is gone
    (cache / "state.pt").touch()  # a marker: a second load must read this cache, not write a new one
    stamp = os.stat(cache / "state.pt").st_mtime_ns
    cached = proof.load_base(llama_model, cache)
    assert os.stat(cache / "state.pt").st_mtime_ns == stamp

    a, b = from_gguf.state_dict(), cached.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert cached.get_output_embeddings().weight.data_ptr() == cached.get_input_embeddings().weight.data_ptr()
    ids = torch.tensor([[2, 105, 2364, 107, 3689, 563, 236743, 236778, 236862, 236778, 236881, 106, 107]])
    with torch.no_grad():
        assert torch.equal(from_gguf(ids).logits, cached(ids).logits)

    # a cache keyed to another file (here: the same file, changed since) is rebuilt, not trusted
    (cache / "key").write_text("another.gguf 1 1")
    proof.load_base(llama_model, cache)
    assert (cache / "key").read_text() != "another.gguf 1 1"
