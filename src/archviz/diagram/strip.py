"""The layer strip: one chip per layer in stack order, runs as the spec groups them, a phrase
for the ratio, and (for nested patterns) macro-block rows."""

from __future__ import annotations

import math
from collections import Counter

from archviz.diagram.elements import Chip, MacroRow, Run, Strip
from archviz.diagram.palette import FFN_ONLY
from archviz.diagram.stack import layer_ranges
from archviz.kinds import ffn_kind, mixer_kind, residual
from archviz.spec.models import ModelSpec


def chips(spec: ModelSpec, colours: dict[str, str], cues: dict[str, str]) -> tuple[Chip, ...]:
    return tuple(
        Chip(
            i,
            b.mixer,
            b.ffn,
            colours[b.mixer] if b.mixer else FFN_ONLY,
            cues.get(b.ffn) if b.ffn else None,
        )
        for i, b in enumerate(spec.expanded())
    )


def runs(spec: ModelSpec) -> tuple[Run, ...]:
    out, start = [], 0
    for g in spec.layers:
        period = sum(b.count for b in g.blocks)
        out.append(Run(start, start + g.repeat * period - 1, g.repeat, period))
        start += g.repeat * period
    return tuple(out)


def _type(spec: ModelSpec, mixer: str | None, ffn: str | None) -> str:
    """What a layer is called in the ratio phrase: how far its mixer reaches (sliding-window,
    chunked, global; NoPE), or its FFN's label for FFN-only layers; a name's words held together."""
    if mixer:
        m = spec.mixers[mixer]
        return mixer_kind(m).reach(m).replace(" ", "\u00a0")
    f = spec.ffns[str(ffn)]
    return ffn_kind(f).label(f)


def _ratio(a: str, na: int, b: str, nb: int) -> str:
    """'5 sliding-window : 1 global' (number and name held together)."""
    if na == nb == 1:
        return f"{a} and {b} alternate"
    if nb == 1 and b == f"{a}\u00a0NoPE":
        return f"NoPE every {na + 1}th\u00a0layer"
    return f"{na}\u00a0{a} : {nb}\u00a0{b}"


def phrase(spec: ModelSpec) -> str:
    """'5 : 1 sliding-window : global', '3 : 1 Gated DeltaNet : gated attention' · 'dense FFN in
    layers 1-3'; '' for a uniform stack."""
    layers = spec.expanded()
    types = Counter(_type(spec, b.mixer, b.ffn) for b in layers)
    parts = []
    if len(types) == 2:
        best: tuple[int, Counter[str]] | None = None
        for g in spec.layers:
            period: Counter[str] = Counter()
            for blk in g.blocks:
                period[_type(spec, blk.mixer, blk.ffn)] += blk.count
            size = g.repeat * sum(period.values())
            if len(period) == 2 and g.repeat > 1 and (best is None or size > best[0]):
                best = (size, period)
        (_, _), (fewer, _) = types.most_common()
        idx = [i for i, b in enumerate(layers) if _type(spec, b.mixer, b.ffn) == fewer]
        if idx[-1] - idx[0] + 1 == len(idx):  # one run, not interleaved: say where it is
            parts.append(f"{fewer} in\u00a0{layer_ranges(idx)}")
        elif best and 4 * best[0] >= 3 * len(layers):
            (first, n1), (second, n2) = best[1].most_common()
            parts.append(_ratio(first, n1, second, n2))
        else:  # no regular group covers most of the stack: the overall ratio, reduced
            (first, n1), (second, n2) = types.most_common()
            parts.append(_ratio(first, n1 // math.gcd(n1, n2), second, n2 // math.gcd(n1, n2)))
    elif len(types) > 2:
        parts.append(" · ".join(f"{n}\u00a0{t}" for t, n in types.items()))
    ffns = [ffn_kind(spec.ffns[b.ffn]).label(spec.ffns[b.ffn]) if b.ffn else None for b in layers]
    kinds = {f for f in ffns if f}
    if len(kinds) > 1 and "dense" in kinds:
        dense = [i for i, f in enumerate(ffns) if f == "dense"]
        others = [f for f in ffns if f]
        if all(others[i] != others[i + 1] for i in range(len(others) - 1)):
            parts.append("dense and MoE FFN alternate")
        else:
            where = layer_ranges(dense)
            parts.append(f"dense FFN in\u00a0{where}" if where else f"{len(dense)} dense FFN\u00a0layers")
    if spec.residual is not None:
        parts.append(residual.phrase(spec.residual))
    if spec.loops > 1:
        parts.append(f"the whole stack runs {spec.loops}\u00a0times, sharing its weights")
    return " · ".join(parts)


def legend(spec: ModelSpec, colours: dict[str, str], cues: dict[str, str]) -> tuple[tuple[str, str], ...]:
    out = [(role, mixer_kind(spec.mixers[n]).variant(spec.mixers[n])) for n, role in colours.items()]
    if any(b.mixer is None for b in spec.expanded()):
        ffn_only = {b.ffn for b in spec.expanded() if b.mixer is None and b.ffn}
        names = sorted({ffn_kind(spec.ffns[f]).label(spec.ffns[f]) for f in ffn_only if f})
        out.append((FFN_ONLY, f"{' / '.join(names)} layer (no mixer)"))
    for n, role in cues.items():
        f = spec.ffns[n]
        out.append((role, "dense FFN" if ffn_kind(f).label(f) == "dense" else "MoE FFN"))
    return tuple(out)


def strip(spec: ModelSpec, colours: dict[str, str], cues: dict[str, str]) -> Strip:
    return Strip(chips(spec, colours, cues), runs(spec), phrase(spec), legend(spec, colours, cues))


def macro(spec: ModelSpec, all_chips: tuple[Chip, ...]) -> tuple[MacroRow, ...]:
    """One row per group of the spec when the pattern nests (two or more groups with a period of
    several kinds of layer, as in Nemotron-H); () otherwise."""
    groups = runs(spec)
    nested = sum(1 for g in spec.layers if len(g.blocks) > 1) >= 2
    if not nested:
        return ()
    return tuple(MacroRow(all_chips[r.first : r.first + r.period], r.repeat, r.first, r.last) for r in groups)
