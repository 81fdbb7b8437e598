"""Themes as data: font files and sizes, spacing, and palettes of named colour roles.

Layout reads sizes and spacing (they decide geometry); the renderer reads palettes (they decide
colours). Nothing else in archviz holds a colour or a font size literal.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"

Family = Literal["sans", "mono"]
Weight = Literal["normal", "bold"]

FONT_FILES: dict[tuple[str, str], str] = {
    ("sans", "normal"): "DejaVuSans.ttf",
    ("sans", "bold"): "DejaVuSans-Bold.ttf",
    ("mono", "normal"): "DejaVuSansMono.ttf",
    ("mono", "bold"): "DejaVuSansMono.ttf",
}
"""Bundled (subset) DejaVu fonts: measured by layout, used by cairosvg for PNG and PDF."""

FONT_STACKS = {
    "sans": "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', Arial, sans-serif",
    "mono": "'DejaVu Sans Mono', Menlo, Consolas, monospace",
}
"""SVG font-family lists: the bundled font first, then wide fallbacks for browsers without it."""


@dataclass(frozen=True)
class Typeface:
    """The face a figure's sans-serif text is measured and drawn in (draw(font=...)): its family
    name, as SVG and cairo ask for it, and its regular and bold files. Mono text (tensor shapes)
    stays in the bundled DejaVu Sans Mono."""

    family: str
    regular: Path
    bold: Path

    @property
    def bundled(self) -> bool:
        """The default face, DejaVu Sans from archviz's own files."""
        return self.regular == FONT_DIR / FONT_FILES[("sans", "normal")]


BUNDLED_FACE = Typeface(
    "DejaVu Sans", FONT_DIR / FONT_FILES[("sans", "normal")], FONT_DIR / FONT_FILES[("sans", "bold")]
)


@dataclass(frozen=True)
class Emphasis:
    """How a highlight looks (layout/emphasis.py): the rest of the figure fades to
    `muted_opacity`, and each chosen part gets an accent outline `outline` px wide, `gap` px
    outside its own edge."""

    muted_opacity: float = 0.25
    outline: float = 3.0
    gap: float = 3.0


EMPHASIS = Emphasis()


@dataclass(frozen=True)
class Medium:
    """A figure size preset: how wide (and at most how tall) the figure shows in one medium, the
    resolution of its PNG there, and the smallest text a reader can take in it (px on screen,
    pt on paper)."""

    width: float
    unit: Literal["px", "mm"]
    png_dpi: float
    min_text: float
    what: str
    height: float = float("inf")
    framed: bool = False
    """The figure sits centred on a page of exactly width x height (a slide, a card)."""


MEDIA = MappingProxyType(
    {
        "article": Medium(700, "px", 192, 9.0, "a 700 px article column (PNG at 2x for sharp screens)"),
        "paper": Medium(178, "mm", 300, 6.0, "across both columns of a paper: 178 x 230 mm at most, 300 DPI", 230),
        "slide": Medium(1920, "px", 96, 16.0, "a 16:9 slide, 1920 x 1080 px", 1080, framed=True),
        "card": Medium(1080, "px", 96, 16.0, "a square social card, 1080 x 1080 px", 1080, framed=True),
    }
)
"""Figure size presets (draw(size=...), render --size)."""


@dataclass(frozen=True)
class Sizes:
    """Font sizes in px (SVG user units, 96 per inch). The defaults are for a figure about 1,000 px
    wide that an article shrinks to a 700 px column: nothing below 14 px (9.8 px there), labels
    16-18 px."""

    title: float = 34
    subtitle: float = 17
    box: float = 17
    detail: float = 16.5
    small: float = 15
    annotation: float = 18
    count: float = 28
    footer: float = 16.5
    panel_title: float = 18
    mono: float = 14
    node: float = 17
    """Labels of dataflow-graph nodes."""
    edge: float = 14
    """Tensor shapes on graph edges."""


@dataclass(frozen=True)
class Spacing:
    """Distances in px that shape every diagram."""

    margin: float = 24
    pad: float = 8
    """Inside a box, around its text."""
    gap: float = 18
    """Between consecutive elements of a flow (arrow length)."""
    line: float = 1.25
    """Line height as a multiple of font size."""
    sub_width: float = 236
    """Width of sublayer boxes in a block."""
    side_width: float = 96
    add_radius: float = 10
    lane: float = 22
    """Distance from a sublayer box to its residual line."""
    block_pad: float = 12
    container_pad: float = 14
    brace_width: float = 14
    column_gap: float = 24
    panel_width: float = 420
    """Widest a zoom-in panel may be."""
    radius: float = 6
    stroke: float = 1.6
    """Outlines of boxes."""
    flow: float = 2.2
    """Arrows and residual lines."""
    leader: float = 2.0
    canvas: float = 1040
    """Width of a full model figure: every figure is this wide, so text keeps one size in print."""
    chip: float = 16
    """Width of a layer-strip chip."""
    node_gap: float = 16
    """Between the columns of a dataflow graph."""
    rank_gap: float = 12
    """Between the rows of a dataflow graph."""
    node_pad: float = 6
    """Inside a dataflow-graph node, around its text."""


@dataclass(frozen=True)
class Style:
    """Everything geometry depends on."""

    sizes: Sizes = field(default_factory=Sizes)
    spacing: Spacing = field(default_factory=Spacing)


DEFAULT_STYLE = Style()

POSTER_STYLE = Style(
    sizes=Sizes(
        title=30,
        subtitle=15,
        box=14,
        detail=13,
        small=13,
        annotation=14,
        count=26,
        footer=13,
        mono=13,
        node=13,
        edge=13,
    ),
    spacing=Spacing(
        gap=9,
        pad=5,
        sub_width=224,
        side_width=90,
        add_radius=7,
        lane=12,
        block_pad=8,
        container_pad=10,
        brace_width=12,
        column_gap=14,
        stroke=1.2,
        flow=1.4,
        leader=1.4,
        chip=11,
    ),
)
"""Poster panels are printed small: no text below 13 px before scaling."""

ROLES = (
    "background",
    "text",
    "muted",
    "inverse",
    "title",
    "container_fill",
    "container_stroke",
    "block_stroke",
    "dark_fill",
    "dark_stroke",
    "dark_detail",
    "light_fill",
    "light_stroke",
    "white_fill",
    "white_stroke",
    "panel_fill",
    "panel_stroke",
    "connector",
    "residual",
    "leader",
    "highlight",
    "type_dense",
    "type_moe",
    "type_hybrid",
    "type_hybrid_moe",
    "type_recurrent",
    "layer_global",
    "layer_local",
    "layer_linear",
    "layer_alt",
    "layer_alt2",
    "layer_ffn",
    "cue_dense",
    "cue_moe",
    "cue_alt",
)
"""Colour roles a layout may name; the accent roles ('accent', 'accent_fill') come per model."""


@dataclass(frozen=True)
class Theme:
    """A palette: every role in ROLES mapped to a colour, plus how accents are softened."""

    name: str
    palette: MappingProxyType[str, str]
    accent_mix: float
    """How much of the accent goes into a block's pastel fill (the rest is `mix_base`)."""
    mix_base: str
    accent_toward: str = "#000000"
    accent_keep: float = 0.8
    """Accent lines and text are the accent blended toward `accent_toward`, keeping this share of
    it: darker on light themes and lighter on dark ones, so accent text stays readable (WCAG AA
    on the canvas and on the container grey for every default accent)."""

    def colour(self, role: str, accent: str) -> str:
        """The colour of `role`; 'accent:#rrggbb' and 'accent_fill:#rrggbb' carry their own accent
        (a poster holds many models, each with its colour)."""
        if ":" in role:
            role, accent = role.split(":", 1)
        if role == "accent":
            return mix(accent, self.accent_toward, self.accent_keep)
        if role == "accent_fill":
            return mix(accent, self.mix_base, self.accent_mix)
        if role == "none":
            return "none"
        return self.palette[role]


def _theme(name: str, accent_mix: float, mix_base: str, toward: str, keep: float, **roles: str) -> Theme:
    missing = set(ROLES) - set(roles)
    assert not missing, f"theme {name} lacks {missing}"
    return Theme(name, MappingProxyType(roles), accent_mix, mix_base, toward, keep)


THEMES: dict[str, Theme] = {
    "light": _theme(
        "light",
        0.22,
        "#ffffff",
        "#000000",
        0.8,
        background="#ffffff",
        text="#1f1f1f",
        muted="#5f5f5f",
        inverse="#ffffff",
        title="#1f1f1f",
        container_fill="#e4e4e4",
        container_stroke="#4a4a4a",
        block_stroke="#4a4a4a",
        dark_fill="#4d4d4d",
        dark_stroke="#2e2e2e",
        dark_detail="#ffe08a",
        light_fill="#cfcfcf",
        light_stroke="#4a4a4a",
        white_fill="#ffffff",
        white_stroke="#4a4a4a",
        panel_fill="#f1f1f1",
        panel_stroke="#6a6a6a",
        connector="#2b2b2b",
        residual="#2b2b2b",
        leader="#5a5a5a",
        highlight="#ff2d8a",
        type_dense="#dce8f7",
        type_moe="#fbe2c8",
        type_hybrid="#d6f0e2",
        type_hybrid_moe="#e9ddf7",
        type_recurrent="#f3e6c8",
        layer_global="#8f8f8f",
        layer_local="#2f7fc1",
        layer_linear="#1f9a66",
        layer_alt="#9150b8",
        layer_alt2="#b5651d",
        layer_ffn="#e09b2d",
        cue_dense="#ffffff",
        cue_moe="#e09b2d",
        cue_alt="#9150b8",
    ),
    "dark": _theme(
        "dark",
        0.30,
        "#1e1f24",
        "#ffffff",
        0.5,
        background="#17181c",
        text="#e9e9ea",
        muted="#a4a6ad",
        inverse="#17181c",
        title="#e9e9ea",
        container_fill="#26282e",
        container_stroke="#8c8f98",
        block_stroke="#8c8f98",
        dark_fill="#d9dadf",
        dark_stroke="#f2f2f4",
        dark_detail="#6b4a00",
        light_fill="#3a3d45",
        light_stroke="#9a9da6",
        white_fill="#2f3138",
        white_stroke="#9a9da6",
        panel_fill="#202227",
        panel_stroke="#8c8f98",
        connector="#d5d6da",
        residual="#d5d6da",
        leader="#a4a6ad",
        highlight="#ff5ca8",
        type_dense="#21364f",
        type_moe="#4a3421",
        type_hybrid="#1e4535",
        type_hybrid_moe="#3b2c55",
        type_recurrent="#4a3a17",
        layer_global="#7d818b",
        layer_local="#5ca8e6",
        layer_linear="#3fc28c",
        layer_alt="#bd8ae0",
        layer_alt2="#df9a5e",
        layer_ffn="#f0b44c",
        cue_dense="#17181c",
        cue_moe="#f0b44c",
        cue_alt="#bd8ae0",
    ),
    "print": _theme(
        "print",
        0.16,
        "#ffffff",
        "#000000",
        0.7,
        background="#ffffff",
        text="#000000",
        muted="#404040",
        inverse="#ffffff",
        title="#000000",
        container_fill="#ebebeb",
        container_stroke="#000000",
        block_stroke="#000000",
        dark_fill="#3c3c3c",
        dark_stroke="#000000",
        dark_detail="#ffffff",
        light_fill="#d6d6d6",
        light_stroke="#000000",
        white_fill="#ffffff",
        white_stroke="#000000",
        panel_fill="#f5f5f5",
        panel_stroke="#000000",
        connector="#000000",
        residual="#000000",
        leader="#333333",
        highlight="#e6007e",
        type_dense="#dae6f2",
        type_moe="#fce4cf",
        type_hybrid="#dbefe3",
        type_hybrid_moe="#e7ddf0",
        type_recurrent="#efe4cc",
        layer_global="#8a8a8a",
        layer_local="#1f6fb2",
        layer_linear="#138a57",
        layer_alt="#7d3c98",
        layer_alt2="#a0521a",
        layer_ffn="#d98c1f",
        cue_dense="#ffffff",
        cue_moe="#d98c1f",
        cue_alt="#7d3c98",
    ),
}
"""light (default), dark, and print (greys and accents that stay inside CMYK gamut)."""

ACCENTS = ("#1f6fd1", "#c2410c", "#0f8a5f", "#8b3fd1", "#9a6b00", "#c0266d", "#0e7490", "#6d5d00")
"""Default accent colours, chosen per model id so a model keeps its colour everywhere."""


def check_accent(colour: str) -> str:
    """An accent a user chose: a #rrggbb colour (it is blended for lines and fills by theme)."""
    import re

    from archviz.errors import ArchvizError

    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ArchvizError(f"an accent is a colour written #rrggbb, got {colour!r}")
    return colour.lower()


def accent_for(model_id: str, declared: str | None) -> str:
    """The spec's accent, or a stable pick from ACCENTS by id."""
    return declared or ACCENTS[zlib.crc32(model_id.encode()) % len(ACCENTS)]


def mix(a: str, b: str, t: float) -> str:
    """Blend colour `a` into `b`: t=1 gives a, t=0 gives b."""
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x * t + y * (1 - t)):02x}" for x, y in zip(ca, cb, strict=True))


def theme(name: str) -> Theme:
    """Look a theme up by name, with a clear error."""
    try:
        return THEMES[name]
    except KeyError:
        from archviz.errors import ArchvizError

        raise ArchvizError(f"unknown theme '{name}'; choose from {', '.join(THEMES)}") from None
