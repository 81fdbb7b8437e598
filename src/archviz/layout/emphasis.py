"""Emphasis: the parts of a figure a paragraph is about, and the rest muted.

Selectors name parts the way the diagram stage tags them: a spec path ('mixers.attn' also takes
'mixers.attn.q_norm'), or a tag or kind ('moe', 'norm', 'qk_norm', 'sliding'). The result is the
same layout with its emphasis as data (`meta["emphasis"]`): the parts chosen (outlined), and
everything drawn at full strength (those parts, what they hold, the frames that hold them, and
the connectors between them). The renderer mutes the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from archviz.errors import ArchvizError
from archviz.layout.geometry import Layout, Shape


def matches(shape: Shape, selector: str) -> bool:
    """Whether `selector` (a spec path, or a tag or kind) names `shape`."""
    path = shape.path
    on_path = bool(path) and (path == selector or path.startswith(selector + "."))
    return on_path or selector in (*shape.tags, shape.kind)


def emphasise(layout: Layout, selectors: Sequence[str]) -> Layout:
    """`layout` with `selectors` emphasised; an error names any selector that matches nothing,
    with the paths and tags the figure has."""
    chosen = {s.id for s in layout.shapes if any(matches(s, sel) for sel in selectors)}
    unknown = [sel for sel in selectors if not any(matches(s, sel) for s in layout.shapes)]
    if unknown:
        paths = sorted({s.path for s in layout.shapes if s.path})
        tags = sorted({t for s in layout.shapes for t in s.tags})
        raise ArchvizError(
            f"nothing in the figure of {layout.id} is {', '.join(repr(u) for u in unknown)}; "
            f"highlight a spec path ({', '.join(paths)}) or a tag ({', '.join(tags)})"
        )
    parent = {s.id: s.parent for s in layout.shapes}
    # The layer strip's chips of a chosen mixer, and the FFN tabs of a chosen FFN (each chip says
    # which mixer and FFN its layer uses), stay at full strength, without outlines of their own.
    by_id = {s.id: s for s in layout.shapes}
    keys = {tuple(by_id[sid].path.split(".")[:2]) for sid in chosen if by_id[sid].path.count(".") >= 1}
    chips: set[str] = set()
    for s in layout.shapes:
        uses = dict(s.data)
        if "layer" in uses and "mixer" in uses:
            if ("mixers", uses["mixer"]) in keys:
                chips.add(s.id)
            if ("ffns", uses.get("ffn")) in keys and f"{s.id}-cue" in by_id:
                chips.add(f"{s.id}-cue")
    inside = set(chosen)
    grew = True
    while grew:  # what the chosen parts hold, however deep
        more = {sid for sid, p in parent.items() if p in inside} - inside
        inside |= more
        grew = bool(more)
    shown = inside | chips
    for sid in chosen:  # the frames that hold them
        p = parent.get(sid)
        while p is not None and p not in shown:
            shown.add(p)
            p = parent.get(p)
    for cn in layout.connectors:
        if cn.parent in inside or (cn.source in shown and cn.target in shown):
            shown.add(cn.id)
    # Outlined: the outermost chosen parts (a chosen box's own swatch or label needs no ring).
    focus = {sid for sid in chosen if not _within(parent.get(sid), chosen, parent)}
    emphasis = {"selectors": list(selectors), "focus": sorted(focus), "shown": sorted(shown)}
    return replace(layout, meta={**layout.meta, "emphasis": emphasis})


def _within(sid: str | None, group: set[str], parent: dict[str, str | None]) -> bool:
    """Whether `sid` or one of its ancestors is in `group`."""
    while sid is not None:
        if sid in group:
            return True
        sid = parent.get(sid)
    return False
