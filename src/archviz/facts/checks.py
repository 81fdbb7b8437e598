"""Checks a valid spec can still fail: parts no layer uses, and counts far from the published ones.

They are warnings, not errors (`archviz validate --strict` makes them errors): a spec may be right
and the vendor's figure rounded or counted another way, but a hand-written spec whose total is
70 % short of the published one has usually lost a block.
"""

from __future__ import annotations

from archviz import numbers as fmt
from archviz.errors import Problem
from archviz.facts.params import as_published, tolerance
from archviz.spec.loader import Spec

RELATIVE = 0.03
"""How far a computed count may be from a published exact one (the catalog tests use the same)."""


def warnings(spec: Spec) -> list[Problem]:
    """What looks wrong in a valid spec, located by file, line and field."""
    m = spec.model
    out: list[Problem] = []

    def warn(message: str, *path: str | int) -> None:
        out.append(Problem(message, spec.origin, spec.line_of(path), ".".join(str(p) for p in path)))

    used_mixers = {b.mixer for g in m.layers for b in g.blocks} | ({m.mtp.mixer} if m.mtp else set())
    used_ffns = {b.ffn for g in m.layers for b in g.blocks} | ({m.mtp.ffn} if m.mtp else set())
    for name in m.mixers:
        if name not in used_mixers:
            warn(f"no layer uses the mixer '{name}'", "mixers", name)
    for name in m.ffns:
        if name not in used_ffns:
            warn(f"no layer uses the FFN '{name}'", "ffns", name)
    if m.params.computed:
        return out
    total, active = as_published(m)
    for which, computed, published in (("total", total, m.params.total), ("active", active, m.params.active)):
        if published is None:
            continue
        allowed = tolerance(published, m.params.label_only, RELATIVE)
        if abs(computed - published) > allowed:
            warn(
                f"the computed {which} of {fmt.count(computed)} parameters is {100 * (computed / published - 1):+.1f}% "
                f"from the published {fmt.count(published)} (allowed ±{fmt.count(round(allowed))}): "
                "is a layer, block or FFN missing, or does the vendor count differently (say so in params)?",
                "params",
                which,
            )
    return out
