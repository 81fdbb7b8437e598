"""The layout value: shapes, text runs and connectors with theme roles, in SVG coordinates.

A Layout is frozen and JSON-serialisable; it names colour roles, never colours, so one layout
renders in every theme. Coordinates are px with y growing downwards.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal

Point = tuple[float, float]


@dataclass(frozen=True)
class TextRun:
    """One line of text: baseline position, measured width, font and colour role."""

    text: str
    x: float
    y: float
    size: float
    width: float
    role: str = "text"
    weight: Literal["normal", "bold"] = "normal"
    family: Literal["sans", "mono"] = "sans"
    anchor: Literal["start", "middle", "end"] = "middle"

    @property
    def left(self) -> float:
        return self.x - {"start": 0, "middle": self.width / 2, "end": self.width}[self.anchor]

    @property
    def top(self) -> float:
        return self.y - 0.93 * self.size  # DejaVu's ascender is 0.928 em

    @property
    def bottom(self) -> float:
        return self.y + 0.24 * self.size  # and its descender 0.236 em


@dataclass(frozen=True)
class Shape:
    """A drawn component: a rectangle, circle or bare text area, with its text inside."""

    id: str
    kind: str
    """What it is, e.g. attention, ffn, moe, router, expert, norm, add, block, panel, annotation."""
    x: float
    y: float
    w: float
    h: float
    outline: Literal["rect", "circle", "none", "brace", "bracket"] = "rect"
    fill: str = "none"
    stroke: str = "none"
    dash: Literal["solid", "dotted", "dashed"] = "solid"
    stroke_width: float = 1.2
    radius: float = 0
    texts: tuple[TextRun, ...] = ()
    tooltip: str = ""
    parent: str | None = None
    symbol: str | None = None
    """A glyph drawn centred in a circle: '+' or '×'."""
    href: str | None = None
    """A link the shape leads to (relative, or http(s) only; anything else is dropped)."""
    path: str = ""
    """The spec path of the component it draws ('mixers.attn', 'ffns.moe.router'), if any."""
    tags: tuple[str, ...] = ()
    """Semantic tags ('mixer', 'attention', 'gqa', 'norm', 'qk_norm', ...): what highlighting selects."""
    data: tuple[tuple[str, str], ...] = ()
    """Extra data-* attributes for the SVG contract (data-layer, data-node, data-panel, ...)."""
    z: int = 3
    """Drawing order: lower first (frames 0-1, connectors 2, boxes 3, labels 4)."""

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Connector:
    """A polyline between shapes (or from a point on another connector) with an optional arrow."""

    id: str
    points: tuple[Point, ...]
    kind: Literal["flow", "residual", "leader", "zoom", "fan", "side", "mtp", "grid", "lineage-edge"] = "flow"
    role: str = "connector"
    arrow: bool = True
    dash: Literal["solid", "dotted", "dashed"] = "solid"
    width: float = 1.4
    source: str | None = None
    """Shape (or connector, for a branch) the first point lies on."""
    target: str | None = None
    """Shape the last point lies on."""
    curve: bool = False
    """The points are a cubic Bézier path: start, then (control, control, end) triples."""
    path: str = ""
    data: tuple[tuple[str, str], ...] = ()
    z: int = 2
    parent: str | None = None
    """The shape (a panel) it belongs to."""


@dataclass(frozen=True)
class Layout:
    """A whole figure, ready for any renderer."""

    id: str
    width: float
    height: float
    title: str
    desc: str
    accent: str
    shapes: tuple[Shape, ...]
    connectors: tuple[Connector, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def shape(self, id: str) -> Shape:
        for s in self.shapes:
            if s.id == id:
                return s
        raise KeyError(id)

    def smallest_text(self) -> float:
        """The smallest text size in the figure, px (1e9 when it has no text)."""
        return min((t.size for s in self.shapes for t in s.texts), default=1e9)

    def to_json(self) -> str:
        """Stable JSON: rounded numbers, sorted keys."""
        return json.dumps(_rounded(asdict(self)), sort_keys=True, indent=1, ensure_ascii=False)

    def fingerprint(self) -> str:
        """The whole figure as exact, canonical JSON: equal for equal layouts (a cache key).
        Much faster than to_json, which copies every part to round it for people to read."""
        return json.dumps(self, default=_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _fields(v: Any) -> Any:
    if is_dataclass(v) and not isinstance(v, type):
        return [type(v).__name__, {f.name: getattr(v, f.name) for f in fields(v)}]
    return repr(v)


def _rounded(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 2)
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_rounded(x) for x in v]
    return v
