"""Render the README's example figures into examples/gallery/ (run by `make examples`)."""

from __future__ import annotations

from pathlib import Path

import archviz

MODELS = [
    "gpt-2-xl",
    "llama-3-8b",
    "olmo-2-7b",
    "gemma-3-27b",
    "deepseek-v3",
    "llama-4-maverick",
    "qwen3-next-80b-a3b",
    "nemotron-3-nano-30b-a3b",
]
OUT = Path(__file__).resolve().parent / "gallery"

if __name__ == "__main__":
    for model in MODELS:
        path = archviz.draw(model).save(OUT / f"{model}.png", dpi=96)
        print(f"wrote {path}")
