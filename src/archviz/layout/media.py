"""A figure sized for a medium (style.MEDIA): an article column, a paper's page width.

The layout keeps its geometry; its display size goes into `meta` (page_px on screen, page_mm on
paper, with the PNG resolution), and every text must stay legible at that size, or the figure
is refused with the size it would get.
"""

from __future__ import annotations

from dataclasses import replace

from archviz.errors import ArchvizError
from archviz.layout.geometry import Layout
from archviz.style import MEDIA

MM_PER_PT = 25.4 / 72


def check_medium(medium: str) -> str:
    """`medium`, if style.MEDIA has it; else an error listing those it has."""
    if medium not in MEDIA:
        raise ArchvizError(f"unknown size {medium!r}; choose from {', '.join(MEDIA)}")
    return medium


def scale_for(layout: Layout, medium: str) -> float:
    """Units of the medium (px or mm) per layout px: the figure as wide as the medium allows,
    unless that would make it taller than it allows."""
    m = MEDIA[check_medium(medium)]
    return min(m.width / layout.width, m.height / layout.height)


def smallest_at(layout: Layout, medium: str) -> float:
    """The smallest text at the medium's size: px on screen, pt on paper."""
    unit = MM_PER_PT if MEDIA[medium].unit == "mm" else 1.0
    return layout.smallest_text() * scale_for(layout, medium) / unit


def for_medium(layout: Layout, medium: str) -> Layout:
    """`layout` shown at the size `medium` names (style.MEDIA), text checked for legibility."""
    m = MEDIA[check_medium(medium)]
    got = smallest_at(layout, medium)
    unit = "px" if m.unit == "px" else "pt"
    if got < m.min_text:
        raise ArchvizError(
            f"at the {medium} size ({m.what}) the smallest text of {layout.id} would be {got:.1f} {unit}, "
            f"under the {m.min_text:g} {unit} a reader needs: show less (fewer panels, or compact) "
            "or choose a larger size"
        )
    k = scale_for(layout, medium)
    size = [layout.width * k, layout.height * k]
    meta: dict[str, object] = {"png_dpi": m.png_dpi, "medium": medium}
    if m.framed:  # the page is the medium's; the figure sits in its middle, in layout units
        size = [m.width, m.height]
        w, h = m.width / k, m.height / k
        meta["frame"] = [(layout.width - w) / 2, (layout.height - h) / 2, w, h]
    meta["page_px" if m.unit == "px" else "page_mm"] = size
    return replace(layout, meta={**layout.meta, **meta})
