"""Checks a valid spec can still fail: parts no layer uses, and counts far from the published ones.

They are warnings, not errors (`archviz validate --strict` makes them errors): a spec may be right
and the vendor's figure rounded or counted another way, but a hand-written spec whose total is
70 % short of the published one has usually lost a block.
"""

from __future__ import annotations

import re

from archviz import numbers as fmt
from archviz.errors import Problem
from archviz.facts.params import as_published, tolerance
from archviz.spec.loader import Spec

RELATIVE = 0.03
"""How far a computed count may be from a published exact one (the catalog tests use the same)."""

SIZE = re.compile(r"(?<![\w.])([Aa]?)(\d+(?:\.\d+)?)([BbMmTt])(?![A-Za-z0-9])")
"""A size in a model's name: '8B', '1.3b', '400M'; with a leading A ('A3B', 'a400m') the active size."""
UNIT = {"m": 1e6, "b": 1e9, "t": 1e12}


def sizes_in_name(name: str) -> tuple[int | None, int | None]:
    """(total, active) parameter counts a model's name states, as rounded labels: 'Qwen3-30B-A3B'
    -> (30B, 3B); of two plain sizes ('OLMoE-1B-7B') the larger is the total. 'x7B' (Mixtral's
    8x7B) is a per-expert size and says nothing about the total."""
    total: int | None = None
    active: int | None = None
    for prefix, number, unit in SIZE.findall(name):
        value = round(float(number) * UNIT[unit.lower()])
        if prefix:
            active = value
        else:
            total = max(total or 0, value)
    return total, active


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
        return out + _against_the_name(spec)
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


def _against_the_name(spec: Spec) -> list[Problem]:
    """A spec imported from a config has no published count, but its name often states a size:
    when the count from the config is far from it, a key may be missing (and took a default)."""
    from archviz.facts.summary import facts

    m = spec.model
    said_total, said_active = sizes_in_name(m.name)
    f = facts(spec)
    out = []
    for which, computed, said in (("total", f.params_total, said_total), ("active", f.params_active, said_active)):
        if said is None or said == 0:
            continue
        allowed = tolerance(said, True, RELATIVE)
        if abs(computed - said) > allowed:
            out.append(
                Problem(
                    f"the name says {fmt.count(said)} {which} parameters, but the config counts "
                    f"{fmt.count(computed, exact=True)} ({100 * (computed / said - 1):+.0f}%): does the config "
                    "leave out a key that took its default, or does the name count something else (a vision encoder)?",
                    spec.origin,
                    None,
                    "params.total" if which == "total" else "params.active",
                )
            )
    return out
