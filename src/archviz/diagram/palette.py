"""Which strip colour each mixer and FFN gets: by what the layer does, so a reader learns the
colours once (blue: sliding window, green: linear, grey: global attention)."""

from __future__ import annotations

from archviz.kinds import ffn_kind, mixer_kind
from archviz.spec.models import ModelSpec

FFN_ONLY = "layer_ffn"
CUES = ("cue_dense", "cue_moe", "cue_alt")


def used(spec: ModelSpec, attr: str) -> list[str]:
    """Names of the mixers (attr='mixer') or FFNs the stack uses, in order of first use."""
    out: list[str] = []
    for b in spec.expanded():
        name = getattr(b, attr)
        if name is not None and name not in out:
            out.append(name)
    return out


def mixer_colours(spec: ModelSpec) -> dict[str, str]:
    """Mixer name -> chip role: by category (global, sliding/chunked, linear); a second mixer of a
    category already taken (RoPE and NoPE global layers) gets a spare role."""
    out: dict[str, str] = {}
    for name in used(spec, "mixer"):
        m = spec.mixers[name]
        kind = mixer_kind(m)
        want = "layer_linear" if kind.linear else "layer_local" if kind.span(m) else "layer_global"
        free = [r for r in (want, "layer_alt", "layer_alt2") if r not in out.values()]
        out[name] = free[0] if free else want
    return out


def ffn_cues(spec: ModelSpec) -> dict[str, str]:
    """FFN name -> cue role, when the layers' FFN kinds vary (dense prefix, alternating MoE)."""
    names = used(spec, "ffn")
    labels = {n: ffn_kind(spec.ffns[n]).label(spec.ffns[n]) for n in names}
    if len(set(labels.values())) < 2:
        return {}
    out: dict[str, str] = {}
    for n in names:
        want = "cue_dense" if labels[n] == "dense" else "cue_moe"
        out[n] = want if want not in out.values() else "cue_alt"
    return out
