"""A first look: facts of a few models side by side, and one diagram in three formats."""

from __future__ import annotations

from pathlib import Path

import archviz
from archviz import numbers as fmt

out = Path("output/quickstart")
for model in ["llama-3-8b", "deepseek-v3", "qwen3-next-80b-a3b"]:
    f = archviz.facts(model)
    print(
        f"{f.name:<22} {fmt.count(f.params_total):>6} total  {fmt.count(f.params_active):>6} active  "
        f"KV {fmt.kib(f.kv_cache_bytes_per_token):>11}/token  {f.layer_mix}"
    )

fig = archviz.draw("deepseek-v3", theme="light")
for suffix in (".svg", ".png", ".pdf"):
    print("wrote", fig.save(out / f"deepseek-v3{suffix}"))
