"""The architecture diagram of one model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from archviz.layout import model_layout
from archviz.layout.emphasis import emphasise
from archviz.layout.media import for_medium
from archviz.layout.typeface import find_typeface
from archviz.products.models import resolve
from archviz.products.output import Figure
from archviz.spec import Spec
from archviz.style import theme as check_theme


def draw(
    model: str | Path | Spec,
    theme: str = "light",
    text_as_paths: bool = False,
    highlight: Sequence[str] = (),
    panels: Sequence[str] | None = None,
    accent: str | None = None,
    compact: bool = False,
    size: str | None = None,
    font: str | Path | None = None,
    caption: str | None = None,
) -> Figure:
    """Lay out `model` (a catalog id, a spec or config.json path, or a Spec) as a Figure.

    `highlight` names the parts a text is about, by spec path ('mixers.attn', 'ffns.moe') or by
    tag ('moe', 'norm', 'qk_norm', 'sliding'): they are outlined in the model's accent and the
    rest of the figure fades. `panels` keeps only those zoom panels (spec paths; [] for none),
    `accent` (#rrggbb) sets the model's colour, and `compact` draws the stack alone, as on the
    poster. `size` shows it at a preset's size ('article': a 700 px column; 'paper': 178 mm at
    300 DPI; 'slide': 1920 x 1080; 'card': 1080 x 1080), refusing a figure whose text would be
    too small there. `font` is an installed family ('Liberation Serif') or a .ttf/.otf file;
    the text is measured in it, and SVGs carry the glyphs they use. `caption` (with highlight)
    is set under the figure, after a key of the highlight's outline.
    """
    check_theme(theme)
    if isinstance(highlight, str):
        highlight = [highlight]
    if isinstance(panels, str):
        panels = [panels]
    face = find_typeface(font) if font is not None else None
    layout = model_layout(resolve(model), compact=compact, panels=panels, accent=accent, font=face)
    if highlight or caption is not None:
        layout = emphasise(layout, highlight, caption)
    if size is not None:
        layout = for_medium(layout, size)
    return Figure(layout, theme, text_as_paths)
