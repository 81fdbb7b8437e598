"""What the gallery's compare page needs of one model to diff it against any other in the browser.

The site used to precompute every pair (n² files). The diff is feature-based (facts/diff.py: two
flat maps of role → value, compared key by key) and a difference outlines the shapes that
`layout.diff.touches` picks by path alone, so both halves can be prepared per model: its
features with their table text, its totals, and for every feature path the shapes it outlines.
app.js then compares any two records exactly as `diff_specs` would; a browser test holds the two
to the same rows, summary and highlights.
"""

from __future__ import annotations

from typing import Any

from archviz import numbers as fmt
from archviz.facts import kvcache, params
from archviz.facts.diff import LABELS, METADATA, Difference, features
from archviz.layout.diff import touches
from archviz.layout.geometry import Layout
from archviz.render.svg import svg_id
from archviz.spec import Spec


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def labels() -> list[list[str]]:
    """Feature paths in table order, with their labels (shared by every record)."""
    return [[path, label] for path, label in LABELS.items()]


def compare_record(spec: Spec, layout: Layout) -> dict[str, Any]:
    """One model's half of any comparison: features and their cells, metadata, totals, the ids of
    its figure's shapes in drawing order, and which of them each feature path outlines ('@role'
    entries cover paths outside LABELS, which `touches` treats by their first segment)."""
    m = spec.model
    feats = features(m)
    b = params.breakdown(m)
    kv = kvcache.kv_bytes_per_token(m)
    paths = [*LABELS, *(p for p in feats if p not in LABELS)]
    paths += sorted({f"@{p.split('.')[0]}" for p in paths})
    touch: dict[str, list[int]] = {}
    for path in paths:
        probe = Difference(f"{path[1:]}.*" if path.startswith("@") else path, "changed kind", None, None)
        hit = [i for i, s in enumerate(layout.shapes) if touches(probe, s)]
        if hit:
            touch[path] = hit
    return {
        "id": spec.id,
        "features": {k: _json(v) for k, v in feats.items()},
        "cells": {k: fmt.cell(v) for k, v in feats.items()},
        "meta": {k: _json(getattr(m, k)) for k in METADATA},
        "totals": {
            "total": b.total,
            "active": b.active,
            "kv": kv,
            "total_text": fmt.count(b.total),
            "active_text": fmt.count(b.active),
            "kv_text": fmt.kib(kv),
        },
        "shapes": [svg_id(layout, s.id) for s in layout.shapes],
        "touch": touch,
    }
