"""The architecture diagram of one model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archviz.layout import model_layout
from archviz.layout.emphasis import emphasise
from archviz.layout.geometry import Layout
from archviz.layout.media import for_medium, scale_for
from archviz.layout.typeface import find_typeface
from archviz.products.models import resolve
from archviz.products.options import figure_options
from archviz.products.output import Figure
from archviz.spec import Spec
from archviz.style import theme as check_theme

ARRANGEMENTS = (420.0, 260.0)
"""Widths of the column beside the drawing that a sized figure may hold its title and footer in
(a slide's landscape suits the wide one, a square card the narrow one), besides the usual
title-above, footer-below arrangement."""


def draw(
    model: str | Path | Spec,
    theme: str | None = None,
    text_as_paths: bool = False,
    highlight: str | Sequence[str] | None = None,
    panels: str | Sequence[str] | None = None,
    accent: str | None = None,
    compact: bool | None = None,
    size: str | None = None,
    font: str | Path | None = None,
    caption: str | None = None,
) -> Figure:
    """Lay out `model` (a catalog id, a spec or config.json path, or a Spec) as a Figure.

    `theme` is light, dark or print. `highlight` names the parts a text is about, by spec path
    ('mixers.attn', 'ffns.moe') or by tag ('moe', 'norm', 'qk_norm', 'sliding'): they are
    outlined in the model's accent and the rest of the figure fades; `caption` is set under the
    figure, after a key of that outline. `panels` keeps only those zoom panels (spec paths; []
    for none), `accent` (#rrggbb) sets the model's colour, and `compact` draws the stack alone,
    as on the poster. `size` shows it at a preset's size ('article': a 700 px column; 'paper':
    178 mm at 300 DPI; 'slide': 1920 x 1080; 'card': 1080 x 1080), refusing a figure whose text
    would be too small there. `font` is an installed family ('Liberation Serif') or a .ttf/.otf
    file; the text is measured in it, and SVGs carry the glyphs they use.

    An option left at None takes the spec's `style:` block, then the user config's
    (spec/userconfig.py), then the default.
    """
    spec = resolve(model)
    given: dict[str, Any] = {"theme": theme, "highlight": highlight, "caption": caption, "panels": panels}
    given |= {"accent": accent, "compact": compact, "size": size, "font": font}
    o = figure_options(given, spec)
    check_theme(o["theme"])
    face = find_typeface(o["font"])  # None: the bundled face
    panels = [o["panels"]] if isinstance(o["panels"], str) else o["panels"]
    options = {"compact": o["compact"], "panels": panels, "accent": o["accent"], "font": face}
    layout = with_emphasis(model_layout(spec, **options), o["highlight"], o["caption"])
    if o["size"] is not None:  # the arrangement that shows the text largest there
        for side in ARRANGEMENTS:
            other = with_emphasis(model_layout(spec, **options, side=side), o["highlight"], o["caption"])
            if scale_for(other, o["size"]) > 1.02 * scale_for(layout, o["size"]):
                layout = other
        layout = for_medium(layout, o["size"])
    return Figure(layout, o["theme"], text_as_paths)


def with_emphasis(layout: Layout, highlight: str | Sequence[str], caption: str | None) -> Layout:
    """`layout` with its highlight and caption, if any."""
    chosen = [highlight] if isinstance(highlight, str) else list(highlight)
    return emphasise(layout, chosen, caption) if chosen or caption is not None else layout
