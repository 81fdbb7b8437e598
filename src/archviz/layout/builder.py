"""A small scene builder: boxes sized from measured text, placed in y-up coordinates.

Diagrams flow bottom to top, so builders place things upwards from y = 0 and `finish` flips the
scene into SVG coordinates (y down) once its height is known, positioning every text run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from archviz.layout.geometry import Connector, Layout, Point, Shape, TextRun
from archviz.layout.text import text_width, wrap
from archviz.style import Style

ASCENT, DESCENT = 0.928, 0.236  # DejaVu Sans, in em


@dataclass(frozen=True)
class Line:
    """A line of text before placement."""

    text: str
    size: float
    role: str = "text"
    weight: Literal["normal", "bold"] = "normal"
    family: Literal["sans", "mono"] = "sans"

    @property
    def width(self) -> float:
        return text_width(self.text, self.size, self.weight, self.family)


@dataclass
class Box:
    """A shape under construction, in y-up coordinates (x, y is the lower-left corner)."""

    id: str
    kind: str
    x: float
    y: float
    w: float
    h: float
    lines: list[Line] = field(default_factory=list)
    outline: Literal["rect", "circle", "none", "brace", "bracket"] = "rect"
    fill: str = "none"
    stroke: str = "none"
    dash: Literal["solid", "dotted", "dashed"] = "solid"
    stroke_width: float = 1.2
    radius: float = 0
    tooltip: str = ""
    parent: str | None = None
    symbol: str | None = None
    align: Literal["middle", "start"] = "middle"
    valign: Literal["center", "top"] = "center"
    pad: float = 0
    indent: float = 0
    """Extra room left of the text (for a colour swatch drawn there)."""
    path: str = ""
    tags: tuple[str, ...] = ()
    data: tuple[tuple[str, str], ...] = ()
    z: int = 3

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    def move(self, dx: float = 0, dy: float = 0) -> None:
        self.x += dx
        self.y += dy


def lines_height(lines: list[Line], style: Style) -> float:
    return sum(ln.size * style.spacing.line for ln in lines)


def lines_width(lines: list[Line]) -> float:
    return max((ln.width for ln in lines), default=0.0)


def wrapped(
    text: str,
    width: float,
    size: float,
    role: str = "text",
    weight: Literal["normal", "bold"] = "normal",
    family: Literal["sans", "mono"] = "sans",
) -> list[Line]:
    """`text` wrapped to `width` px as Lines."""
    return [Line(t, size, role, weight, family) for t in wrap(text, width, size, weight, family)]


class Scene:
    """Collects boxes and connectors; `finish` turns them into a frozen Layout."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.boxes: list[Box] = []
        self.connectors: list[tuple[str, list[Point], dict[str, object]]] = []
        self._ids: set[str] = set()
        self._boxes: dict[str, Box] = {}

    def _claim(self, id: str) -> str:
        if id in self._ids:
            raise ValueError(f"duplicate id {id!r}")
        self._ids.add(id)
        return id

    def find(self, id: str | None) -> Box | None:
        """The box with this id, if there is one."""
        return self._boxes.get(id) if id else None

    def ancestors(self, b: Box) -> list[Box]:
        """The boxes that hold `b`, nearest first."""
        out = []
        p = self.find(b.parent)
        while p is not None:
            out.append(p)
            p = self.find(p.parent)
        return out

    def box(
        self,
        id: str,
        kind: str,
        lines: list[Line] | None = None,
        *,
        w: float | None = None,
        h: float | None = None,
        min_w: float = 0,
        pad: float | None = None,
        indent: float = 0,
        **kw: Any,
    ) -> Box:
        """A box sized to its lines plus padding (or to w/h when given); placed at (0, 0)."""
        lines = lines or []
        pad = self.style.spacing.pad if pad is None else pad
        width = w if w is not None else max(min_w, lines_width(lines) + 2 * pad + indent)
        height = h if h is not None else lines_height(lines, self.style) + 2 * pad
        b = Box(self._claim(id), kind, 0, 0, width, height, lines, pad=pad, indent=indent, **kw)
        self.boxes.append(b)
        self._boxes[b.id] = b
        return b

    def operator(self, id: str, symbol: str, parent: str | None, tooltip: str = "") -> Box:
        """A small circled operator: '+' for additions (residuals, expert sums), '×' for gating."""
        r = self.style.spacing.add_radius
        kind = "add" if symbol == "+" else "multiply"
        return self.box(
            id,
            kind,
            w=2 * r,
            h=2 * r,
            outline="circle",
            fill="white_fill",
            stroke="white_stroke",
            symbol=symbol,
            parent=parent,
            tooltip=tooltip,
        )

    def leader(
        self, id: str, points: list[Point], source: str, target: str, kind: str = "leader", width: float = 1.6
    ) -> None:
        """A dotted line without an arrow: labels to what they name, zoom-in panels, grid lines."""
        self.connect(
            id, points, kind=kind, role="leader", arrow=False, dash="dotted", width=width, source=source, target=target
        )

    def connect(self, id: str, points: list[Point], **kw: Any) -> None:
        self.connectors.append((self._claim(id), points, kw))

    def mark(self) -> tuple[int, int]:
        """A bookmark: what `shift` moves is everything added after it."""
        return len(self.boxes), len(self.connectors)

    def shift(self, mark: tuple[int, int], dx: float, dy: float, end: tuple[int, int] | None = None) -> None:
        """Move every box and connector added after `mark` (and before `end`, if given)."""
        end = end or (len(self.boxes), len(self.connectors))
        for b in self.boxes[mark[0] : end[0]]:
            b.move(dx, dy)
        for _, pts, _ in self.connectors[mark[1] : end[1]]:
            pts[:] = [(x + dx, y + dy) for x, y in pts]

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [b.x for b in self.boxes] + [p[0] for _, pts, _ in self.connectors for p in pts]
        xe = [b.right for b in self.boxes] + [p[0] for _, pts, _ in self.connectors for p in pts]
        ys = [b.y for b in self.boxes] + [p[1] for _, pts, _ in self.connectors for p in pts]
        ye = [b.top for b in self.boxes] + [p[1] for _, pts, _ in self.connectors for p in pts]
        return min(xs), min(ys), max(xe), max(ye)

    def finish(
        self,
        id: str,
        title: str,
        desc: str,
        accent: str,
        margin: float,
        min_width: float = 0,
        meta: dict[str, object] | None = None,
    ) -> Layout:
        """Shift everything into a margin, flip to y-down, and place every text run."""
        x0, y0, x1, y1 = self.bounds()
        width = max(x1 - x0 + 2 * margin, min_width)
        dx = margin - x0 + (width - (x1 - x0 + 2 * margin)) / 2
        height = y1 - y0 + 2 * margin

        def flip(x: float, y: float) -> Point:
            return (x + dx, height - (y - y0 + margin))

        shapes = []
        for b in self.boxes:
            x, ytop = flip(b.x, b.top)
            shapes.append(
                Shape(
                    id=b.id,
                    kind=b.kind,
                    x=x,
                    y=ytop,
                    w=b.w,
                    h=b.h,
                    outline=b.outline,
                    fill=b.fill,
                    stroke=b.stroke,
                    dash=b.dash,
                    stroke_width=b.stroke_width,
                    radius=b.radius,
                    texts=self._place_text(b, x, ytop),
                    tooltip=b.tooltip,
                    parent=b.parent,
                    symbol=b.symbol,
                    path=b.path,
                    tags=b.tags,
                    data=b.data,
                    z=b.z,
                )
            )
        connectors = tuple(
            Connector(id=cid, points=tuple(flip(*p) for p in pts), **kw)  # type: ignore[arg-type]
            for cid, pts, kw in self.connectors
        )
        return Layout(
            id=id,
            width=width,
            height=height,
            title=title,
            desc=desc,
            accent=accent,
            shapes=tuple(shapes),
            connectors=connectors,
            meta=dict(meta or {}),
        )

    def _place_text(self, b: Box, x: float, ytop: float) -> tuple[TextRun, ...]:
        k = self.style.spacing.line
        total = lines_height(b.lines, self.style)
        y = ytop + (b.pad if b.valign == "top" else (b.h - total) / 2)
        runs = []
        for ln in b.lines:
            slot = ln.size * k
            baseline = y + (slot - (ASCENT + DESCENT) * ln.size) / 2 + ASCENT * ln.size
            tx = x + b.pad + b.indent if b.align == "start" else x + b.indent + (b.w - b.indent) / 2
            runs.append(TextRun(ln.text, tx, baseline, ln.size, ln.width, ln.role, ln.weight, ln.family, b.align))
            y += slot
        return tuple(runs)
