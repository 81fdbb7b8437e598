"""The stack's canonical blocks: one per distinct wiring, each slot naming every mixer or FFN it
holds and in which layers (so an interleaved stack is one block, not a false sequence)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from archviz.diagram.elements import Add, Alternative, Block, Element, NormBox, Parallel, Slot
from archviz.kinds import ffn_kind, mixer_kind
from archviz.kinds.base import norm_name
from archviz.spec.models import Block as SpecBlock
from archviz.spec.models import ModelSpec

TITLES = {
    "mixer-ffn": "Mixer and feed forward",
    "parallel": "Mixer beside feed forward",
    "mixer": "Mixer only",
    "ffn": "Feed forward only",
}


def wiring(b: SpecBlock) -> str:
    """How a layer is wired: mixer and FFN in sequence or in parallel, or only one of them."""
    if b.parallel:
        return "parallel"
    return "mixer-ffn" if b.mixer and b.ffn else "mixer" if b.mixer else "ffn"


def layer_ranges(layers: Sequence[int]) -> str:
    """'layers 1-3', 'layer 1', 'layers 1-3 and 8-9' (1-based), or '' when not two runs or fewer."""
    runs: list[list[int]] = []
    for i in layers:
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    if len(runs) > 2:
        return ""
    parts = [f"{a + 1}" if a == b else f"{a + 1}-{b + 1}" for a, b in runs]
    single = len(runs) == 1 and runs[0][0] == runs[0][1]
    return ("layer\u00a0" if single else "layers\u00a0") + " and\u00a0".join(parts)


def _share(layers: Sequence[int], total: int, prefer_ranges: bool) -> str:
    ranges = layer_ranges(layers) if prefer_ranges else ""
    return ranges or f"{len(layers)} of {total}\u00a0layers"


def _by_name(spec: ModelSpec, layers: Sequence[int], attr: str) -> dict[str, list[int]]:
    """The layers among `layers` grouped by the name of their mixer (attr='mixer') or FFN, in
    order of first use."""
    stack = spec.expanded()
    out: dict[str, list[int]] = {}
    for i in layers:
        out.setdefault(str(getattr(stack[i], attr)), []).append(i)
    return out


def mixer_slot(spec: ModelSpec, layers: Sequence[int], colours: dict[str, str], total: int) -> Slot:
    names = _by_name(spec, layers, "mixer")
    alts = []
    for name, idx in names.items():
        m = spec.mixers[name]
        kind = mixer_kind(m)
        path = f"mixers.{name}"
        alts.append(
            Alternative(
                name=name,
                path=path,
                title=kind.variant(m) if len(names) > 1 else kind.title(m),
                detail=kind.detail(m),
                share=_share(idx, total, False) if len(names) > 1 else "",
                colour=colours[name],
                tags=kind.tags(m),
                side=kind.side_inputs(spec, m, path),
                tooltip=f"{kind.title(m)}; mixer '{name}'",
            )
        )
    return Slot("mixer", tuple(_name_rope_twins(alts)))


def _name_rope_twins(alts: list[Alternative]) -> list[Alternative]:
    """'Global GQA' beside 'Global GQA (NoPE)' becomes 'Global GQA (RoPE)': both are global, what
    tells them apart is the position encoding."""
    titles = {a.title for a in alts}
    return [replace(a, title=f"{a.title} (RoPE)") if f"{a.title} (NoPE)" in titles else a for a in alts]


def ffn_slot(spec: ModelSpec, layers: Sequence[int], cues: dict[str, str], total: int) -> Slot:
    names = _by_name(spec, layers, "ffn")
    alike: dict[tuple[str, str, str], list[str]] = {}  # FFNs that only differ in width read as one
    for name in names:
        f = spec.ffns[name]
        alike.setdefault((ffn_kind(f).title(f), ffn_kind(f).detail(f), cues.get(name, "")), []).append(name)
    for group in alike.values():
        for other in group[1:]:
            names[group[0]] = sorted(names[group[0]] + names.pop(other))
    alts = []
    for name, idx in names.items():
        f = spec.ffns[name]
        kind = ffn_kind(f)
        alts.append(
            Alternative(
                name=name,
                path=f"ffns.{name}",
                title=kind.title(f),
                detail=kind.detail(f),
                share=_share(idx, total, True) if len(names) > 1 else "",
                colour=cues.get(name, ""),
                tags=kind.tags(f),
                tooltip=f"{kind.title(f)}: {kind.detail(f)}; ffn '{name}'",
            )
        )
    return Slot("ffn", tuple(alts))


def norm(spec: ModelSpec, role: str) -> NormBox:
    name = norm_name(spec)
    labels = {
        "pre": (f"Pre-{name}", False, f"{name} before the sublayer"),
        "post": (f"Post-{name}", True, f"{name} after the residual addition"),
        "inside_post": (f"Post-{name}", True, f"{name} after the sublayer, inside the residual branch"),
        "final": (f"Final {name}", False, f"{name} after the last block"),
    }
    label, special, tip = labels[role]
    return NormBox(role, label, special, tip)  # type: ignore[arg-type]


def sublayer(spec: ModelSpec, body: Slot | Parallel) -> tuple[list[Element], int]:
    """A sublayer with its norms in their true placement and its residual add; returns the
    elements and the index of the add."""
    placement = spec.norm.placement
    out: list[Element] = []
    if placement in ("pre", "sandwich"):
        out.append(norm(spec, "pre"))
    out.append(body)
    if placement in ("inside_post", "sandwich"):
        out.append(norm(spec, "inside_post"))
    out.append(Add())
    add = len(out) - 1
    if placement == "post":
        out.append(norm(spec, "post"))
    return out, add


def blocks(spec: ModelSpec, colours: dict[str, str], cues: dict[str, str]) -> tuple[Block, ...]:
    """One Block per distinct wiring, in order of first appearance."""
    stack = spec.expanded()
    total = len(stack)
    wirings: dict[str, list[int]] = {}
    for i, b in enumerate(stack):
        wirings.setdefault(wiring(b), []).append(i)
    out = []
    for key, layers in wirings.items():
        bodies: list[Slot | Parallel] = []
        if key == "parallel":
            bodies.append(Parallel(mixer_slot(spec, layers, colours, total), ffn_slot(spec, layers, cues, total)))
        if key in ("mixer-ffn", "mixer"):
            bodies.append(mixer_slot(spec, layers, colours, total))
        if key in ("mixer-ffn", "ffn"):
            bodies.append(ffn_slot(spec, layers, cues, total))
        elements: list[Element] = []
        residuals = []
        for body in bodies:
            part, add = sublayer(spec, body)
            residuals.append((len(elements), len(elements) + add))
            elements += part
        out.append(Block(key, TITLES[key], tuple(elements), tuple(residuals), tuple(layers)))
    return tuple(out)
