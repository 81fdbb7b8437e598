"""Emphasis: the parts of a figure a paragraph is about, and the rest muted.

Selectors name parts the way the diagram stage tags them: a spec path ('mixers.attn' also takes
'mixers.attn.q_norm'), or a tag or kind ('moe', 'norm', 'qk_norm', 'sliding'). The result is the
same layout with its emphasis as data (`meta["emphasis"]`): the parts chosen (outlined), and
everything drawn at full strength (those parts, what they hold, the frames that hold them, and
the connectors between them). The renderer mutes the rest. An optional caption, set under the
figure after a key of the accent outline, says what the outlined parts are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from archviz.errors import ArchvizError
from archviz.layout.builder import ASCENT
from archviz.layout.geometry import Layout, Shape, TextRun
from archviz.layout.text import face_of, measuring, text_width, wrap
from archviz.style import DEFAULT_STYLE, EMPHASIS, Style


def matches(shape: Shape, selector: str) -> bool:
    """Whether `selector` (a spec path, or a tag or kind) names `shape`."""
    path = shape.path
    on_path = bool(path) and (path == selector or path.startswith(selector + "."))
    return on_path or selector in (*shape.tags, shape.kind)


def emphasise(layout: Layout, selectors: Sequence[str], caption: str | None = None) -> Layout:
    """`layout` with `selectors` emphasised, and `caption` under it; an error names any selector
    that matches nothing, with the paths and tags the figure has."""
    if caption is not None and not selectors:
        raise ArchvizError("a caption says what a highlight shows: give highlight= too")
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
    shown = inside | chips | {s.id for s in layout.shapes if s.kind == "title"}  # the figure keeps its name
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
    if caption and caption.strip():
        layout = with_caption(layout, caption.strip())
        shown |= {"caption", "caption-key"}
    emphasis = {"selectors": list(selectors), "focus": sorted(focus), "shown": sorted(shown)}
    return replace(layout, meta={**layout.meta, "emphasis": emphasis})


def with_caption(layout: Layout, caption: str, style: Style = DEFAULT_STYLE) -> Layout:
    """`layout` grown downwards by a caption: a key of the highlight's outline, then the text in
    the accent colour, wrapped to the figure's width (in the face its text was measured in)."""
    s, size = style.spacing, style.sizes.footer
    key = 1.4 * size  # a small outlined box, like the ring around a highlighted part
    left = s.margin + key + 2 * EMPHASIS.gap + s.pad
    step = size * s.line
    top = layout.height - s.margin + s.gap
    with measuring(face_of(layout.meta)):
        lines = wrap(caption, layout.width - left - s.margin, size, "bold")
        runs = tuple(
            TextRun(
                text,
                left,
                top + ASCENT * size + i * step,
                size,
                text_width(text, size, "bold"),
                "accent",
                "bold",
                anchor="start",
            )
            for i, text in enumerate(lines)
        )
    height = len(lines) * step
    ring = Shape(
        "caption-key",
        "caption-key",
        s.margin + EMPHASIS.gap,
        top + (step - 0.7 * key) / 2,
        key,
        0.7 * key,
        stroke="accent",
        stroke_width=EMPHASIS.outline,
        radius=s.radius,
    )
    text = Shape("caption", "caption", left, top, max(r.width for r in runs), height, outline="none", texts=runs, z=4)
    return replace(layout, height=top + height + s.margin, shapes=(*layout.shapes, ring, text))


def _within(sid: str | None, group: set[str], parent: dict[str, str | None]) -> bool:
    """Whether `sid` or one of its ancestors is in `group`."""
    while sid is not None:
        if sid in group:
            return True
        sid = parent.get(sid)
    return False
