"""Placing finished layouts inside bigger ones (poster panels, diff sides), and highlighting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from archviz.layout.geometry import Connector, Layout, Shape


def id_prefix(name: str) -> str:
    """The prefix of the ids of a layout embedded as `name` (a spec id on the poster, 'a' or 'b'
    in a diff). A spec id never holds '_', so two panels' ids never meet; and ids stay plain
    (a '/' would need escaping in SVG ids and CSS selectors)."""
    return f"{name}_"


def embed(
    layout: Layout, scale: float, dx: float, dy: float, prefix: str, parent: str | None = None
) -> tuple[list[Shape], list[Connector]]:
    """A layout's shapes and connectors moved, scaled, renamed with `prefix`, with their own accent."""

    def role(r: str) -> str:
        return f"{r}:{layout.accent}" if r in ("accent", "accent_fill") else r

    def pid(i: str | None) -> str | None:
        return None if i is None else f"{prefix}{i}"

    shapes = []
    for s in layout.shapes:
        texts = tuple(
            replace(
                t, x=dx + t.x * scale, y=dy + t.y * scale, size=t.size * scale, width=t.width * scale, role=role(t.role)
            )
            for t in s.texts
        )
        shapes.append(
            replace(
                s,
                id=f"{prefix}{s.id}",
                x=dx + s.x * scale,
                y=dy + s.y * scale,
                w=s.w * scale,
                h=s.h * scale,
                fill=role(s.fill),
                stroke=role(s.stroke),
                stroke_width=s.stroke_width * scale,
                radius=s.radius * scale,
                texts=texts,
                parent=pid(s.parent) or parent,
            )
        )
    conns = [
        replace(
            c,
            id=f"{prefix}{c.id}",
            points=tuple((dx + x * scale, dy + y * scale) for x, y in c.points),
            width=c.width * scale,
            role=role(c.role),
            source=pid(c.source),
            target=pid(c.target),
        )
        for c in layout.connectors
    ]
    return shapes, conns


def highlight(layout: Layout, chosen: Callable[[Shape], bool]) -> Layout:
    """The same layout with the chosen shapes outlined in the theme's highlight colour."""
    shapes = tuple(
        replace(
            s,
            stroke="highlight",
            stroke_width=3.0,
            dash="solid",
            outline="rect" if s.outline == "none" else s.outline,
            radius=s.radius or 3.0,
        )
        if chosen(s)
        else s
        for s in layout.shapes
    )
    return replace(layout, shapes=shapes)
