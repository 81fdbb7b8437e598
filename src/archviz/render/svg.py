"""Draw a Layout as SVG: semantic groups, theme colours, stable ids, optional glyph outlines."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import svgwrite
from svgwrite.base import Desc, Title
from svgwrite.container import Group

from archviz.layout.geometry import Connector, Layout, Shape, TextRun
from archviz.layout.text import face_of
from archviz.render.fontface import font_face_css
from archviz.render.glyphs import GlyphSet
from archviz.style import EMPHASIS, FONT_STACKS, Theme, theme

DASHES = {"solid": "none", "dotted": "0.1 4", "dashed": "5 3"}

ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
"""What an id may not hold: spec names are free text, but an id must be a plain token, with no
quote, bracket, space or markup to escape in XML, HTML, URLs or quoted CSS selectors ('.' stays:
model ids hold it; app.js passes ids through CSS.escape anyway)."""

BATCHED = ("layer-chip", "layer-cue")
"""Shape kinds a layout may ask to have batched (meta 'batch'): drawn as one path per colour."""


def _n(v: float) -> str:
    """Numbers printed compactly and identically on every run."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


class _Labelled:
    """A <title> or <desc> carrying an id, so the root's aria-labelledby can point at it."""

    def __init__(self, cls: type, text: str, id: str) -> None:
        self.inner, self.id = cls(text), id

    def get_xml(self) -> object:
        xml = self.inner.get_xml()
        xml.set("id", self.id)
        return xml


class _Group(Group):
    """A <g> that keeps attributes whose value is empty (svgwrite drops them; data-ffn="" says
    'this layer has no FFN')."""

    def __init__(self, empty: list[str], **attrs: object) -> None:
        super().__init__(**attrs)
        self.empty = empty

    def get_xml(self) -> object:
        xml = super().get_xml()
        for name in self.empty:
            xml.set(name, "")
        return xml


class SvgWriter:
    def __init__(
        self,
        layout: Layout,
        th: Theme,
        text_as_paths: bool,
        band: tuple[float, float] | None = None,
        id_prefix: str = "",
    ) -> None:
        self.lay = layout
        self.batch = bool(layout.meta.get("batch"))
        self.band = band
        self.p = id_prefix
        self.th = th
        self.face = face_of(layout.meta)
        # per figure: two can share a page
        self.glyphs = GlyphSet(self.id(""), self.face) if text_as_paths else None
        self.used: dict[str, set[str]] = {}  # characters set in the figure's own face, by weight
        page, shown = layout.meta.get("page_mm"), layout.meta.get("page_px")
        size = (f"{_n(layout.width)}px", f"{_n(layout.height)}px")
        if page:  # printed at this size
            size = (f"{_n(page[0])}mm", f"{_n(page[1])}mm")
        elif shown:  # shown at this size on screen
            size = (f"{_n(shown[0])}px", f"{_n(shown[1])}px")
        # A size preset with its own shape (a slide, a card) frames the figure in a larger view.
        self.frame = tuple(layout.meta.get("frame") or (0.0, 0.0, layout.width, layout.height))
        view = " ".join(_n(v) for v in self.frame)
        if band is not None:  # a horizontal strip of the page, for rasterising big pages piecewise
            size = (f"{_n(layout.width)}px", f"{_n(band[1] - band[0])}px")
            view = f"0 {_n(band[0])} {_n(layout.width)} {_n(band[1] - band[0])}"
        self.dwg = svgwrite.Drawing(size=size, profile="full", debug=False, viewBox=view)
        self.dwg.attribs["role"] = "img"
        self.dwg.attribs["aria-labelledby"] = f"{self.id('-title')} {self.id('-desc')}"
        self.dwg.attribs["data-theme"] = th.name
        emphasis = layout.meta.get("emphasis") or {}
        self.focus = set(emphasis.get("focus", ()))
        self.shown = set(emphasis.get("shown", ())) if emphasis else None

    def c(self, role: str) -> str:
        return self.th.colour(role, self.lay.accent)

    def build(self) -> str:
        lay, dwg = self.lay, self.dwg
        dwg.elements[:0] = [
            _Labelled(Title, lay.title, self.id("-title")),
            _Labelled(Desc, lay.desc, self.id("-desc")),
        ]
        self._markers()
        x, y, w, h = self.frame
        dwg.add(dwg.rect((_n(x), _n(y)), (_n(w), _n(h)), fill=self.c("background"), id=self.id("background")))
        panel_of = self._panels()
        members: dict[str | None, list[tuple[int, int, Shape | Connector]]] = {}
        for i, s in enumerate(lay.shapes):
            if self._visible(s.y, s.bottom):
                owner = panel_of.get(s.id)
                members.setdefault(None if owner == s.id else owner, []).append((s.z, i, s))
        for i, cn in enumerate(lay.connectors):
            if self._visible(min(y for _, y in cn.points), max(y for _, y in cn.points)):
                members.setdefault(cn.parent if cn.parent in panel_of else None, []).append(
                    (cn.z, len(lay.shapes) + i, cn)
                )

        def ordered(owner: str | None) -> list[Shape | Connector]:
            """What a panel (or, for None, the figure itself) holds, in drawing order."""
            return [item for _, _, item in sorted(members.get(owner, []), key=lambda t: t[:2])]

        batch: list[Shape] = []
        for item in ordered(None):
            if self.batch and isinstance(item, Shape) and item.kind in BATCHED and not item.texts:
                batch.append(item)
                continue
            self._flush(batch)
            if isinstance(item, Shape) and panel_of.get(item.id) == item.id:
                group = self._faded(self._shape(item), item)
                for member in ordered(item.id):  # a faded panel fades what it holds
                    group.add(self._faded(self._item(member), member) if self._is_shown(item) else self._item(member))
                dwg.add(group)
            else:
                dwg.add(self._faded(self._item(item), item))
        self._flush(batch)
        if self.glyphs is not None:
            dwg.defs.add(self.glyphs.defs(dwg))
        css = font_face_css(self.face, {w: "".join(sorted(chars)) for w, chars in self.used.items()})
        if css:
            dwg.defs.add(dwg.style(css))
        return dwg.tostring()

    def _is_shown(self, item: Shape | Connector) -> bool:
        return self.shown is None or item.id in self.shown

    def _faded(self, element: Any, item: Shape | Connector) -> Any:
        """The element, faded when a highlight leaves it out (layout/emphasis.py). An arrow fades
        inside a group of its own: cairo paints a path's markers without the path's opacity."""
        if self._is_shown(item):
            return element
        if isinstance(item, Connector) and "marker-end" in element.attribs:
            group = self.dwg.g()
            group.add(element)
            element = group
        element.attribs["opacity"] = _n(EMPHASIS.muted_opacity)
        return element

    def _flush(self, shapes: list[Shape]) -> None:
        """Many small plain rectangles (the layer strips of a poster) as one path per colour:
        what cairo renders costs per element, and a poster has thousands of chips."""
        if not shapes:
            return
        groups: dict[tuple[str, str], list[str]] = {}
        for s in sorted(shapes, key=lambda s: BATCHED.index(s.kind)):  # chips under their cues
            groups.setdefault((s.kind, s.fill), []).append(f"M{_n(s.x)},{_n(s.y)}h{_n(s.w)}v{_n(s.h)}h{_n(-s.w)}z")
        for (kind, fill), parts in groups.items():
            self.dwg.add(self.dwg.path(d="".join(parts), fill=self.c(fill), **{"data-kind": kind}))
        shapes.clear()

    def id(self, local: str) -> str:
        """An element id unique to this figure (and theme prefix): two figures can share a page."""
        return svg_id(self.lay, local, self.p)

    def _item(self, item: Shape | Connector) -> object:
        return self._shape(item) if isinstance(item, Shape) else self._connector(item)

    def _panels(self) -> dict[str, str]:
        """Shape id -> id of the panel it belongs to (a panel belongs to itself)."""
        parents = {s.id: s.parent for s in self.lay.shapes}
        panels = {s.id for s in self.lay.shapes if any(k == "panel" for k, _ in s.data)}
        out = {}
        for sid in parents:
            p: str | None = sid
            for _ in range(50):
                if p is None or p in panels:
                    break
                p = parents.get(p)
            if p is not None and p in panels:
                out[sid] = p
        return out

    def _visible(self, top: float, bottom: float) -> bool:
        """Whether something spanning top..bottom shows in the strip being drawn (8 px slack for
        strokes, arrowheads and text that reaches past its box)."""
        return self.band is None or (bottom >= self.band[0] - 8 and top <= self.band[1] + 8)

    def _markers(self) -> None:
        roles = sorted({cn.role for cn in self.lay.connectors if cn.arrow})
        for role in roles:
            # In stroke-width units, so arrowheads scale with their line (poster panels are scaled).
            m = self.dwg.marker(
                id=self._marker(role), insert=(6.1, 2.85), size=(6.45, 5.7), orient="auto", markerUnits="strokeWidth"
            )
            m.add(self.dwg.path(d="M0,0 L6.45,2.85 L0,5.7 z", fill=self.c(role)))
            self.dwg.defs.add(m)

    def _shape(self, s: Shape) -> Group:
        g = self._shape_group(s)
        if s.href and safe_href(s.href):
            link = self.dwg.a(href=s.href)
            link.attribs.pop("target", None)  # same tab; SVG 2 `href`, which browsers and CSS selectors see
            link.attribs["href"] = link.attribs.pop("xlink:href")
            link.add(g)
            return link
        return g

    def _shape_group(self, s: Shape) -> Group:
        dwg = self.dwg
        attrs = {"class": "block", "data-kind": s.kind}
        if s.path:
            attrs["data-path"] = s.path
        if s.tags:
            attrs["data-tags"] = " ".join(s.tags)
        attrs |= {f"data-{k}": v for k, v in s.data}
        empty = sorted(k for k, v in attrs.items() if v == "")
        g = _Group(empty, debug=False, profile="full", id=self.id(s.id), **{k: v for k, v in attrs.items() if v != ""})
        if s.tooltip:
            g.add(Title(s.tooltip))
        stroke = {"stroke": self.c(s.stroke), "stroke-width": _n(s.stroke_width)} if s.stroke != "none" else {}
        if s.dash != "solid" and stroke:
            stroke["stroke-dasharray"] = DASHES[s.dash]
            stroke["stroke-linecap"] = "round"
        if s.outline == "rect":
            g.add(
                dwg.rect(
                    (_n(s.x), _n(s.y)),
                    (_n(s.w), _n(s.h)),
                    rx=_n(s.radius),
                    ry=_n(s.radius),
                    fill=self.c(s.fill),
                    **stroke,
                )
            )
        elif s.outline == "circle":
            g.add(dwg.circle((_n(s.cx), _n(s.cy)), _n(s.w / 2), fill=self.c(s.fill), **stroke))
            if s.symbol:
                g.add(self._symbol(s))
        elif s.outline in ("brace", "bracket"):
            g.add(
                dwg.path(
                    d=_brace(s) if s.outline == "brace" else _bracket(s),
                    fill="none",
                    stroke=self.c(s.stroke),
                    **{"stroke-width": _n(s.stroke_width), "stroke-linecap": "round"},
                )
            )
        if s.id in self.focus and s.outline in ("rect", "circle", "none"):
            g.add(self._focus_ring(s))
        for t in s.texts:
            g.add(self._text(t))
        return g

    def _focus_ring(self, s: Shape) -> object:
        """The accent outline of a highlighted part, just outside its own."""
        gap, ring = EMPHASIS.gap, {"fill": "none", "stroke": self.c("accent"), "stroke-width": _n(EMPHASIS.outline)}
        if s.outline == "circle":
            return self.dwg.circle((_n(s.cx), _n(s.cy)), _n(s.w / 2 + gap), **ring)
        corner = _n(s.radius + gap)
        size = (_n(s.w + 2 * gap), _n(s.h + 2 * gap))
        return self.dwg.rect((_n(s.x - gap), _n(s.y - gap)), size, rx=corner, ry=corner, **ring)

    def _symbol(self, s: Shape) -> object:
        r = s.w / 2 * 0.55
        if s.symbol == "×":
            r *= 0.8
            d = (
                f"M{_n(s.cx - r)},{_n(s.cy - r)} L{_n(s.cx + r)},{_n(s.cy + r)} "
                f"M{_n(s.cx - r)},{_n(s.cy + r)} L{_n(s.cx + r)},{_n(s.cy - r)}"
            )
        else:
            d = (
                f"M{_n(s.cx - r)},{_n(s.cy)} L{_n(s.cx + r)},{_n(s.cy)} M{_n(s.cx)},{_n(s.cy - r)} "
                f"L{_n(s.cx)},{_n(s.cy + r)}"
            )
        width = _n(s.w * 0.09)
        return self.dwg.path(d=d, stroke=self.c("connector"), **{"stroke-width": width, "stroke-linecap": "round"})

    def _text(self, t: TextRun) -> object:
        fill = self.c(t.role)
        if self.glyphs is not None:
            return self.glyphs.run(self.dwg, t, fill)
        family = FONT_STACKS[t.family]
        if t.family == "sans" and not self.face.bundled:
            family = f"'{self.face.family}', {FONT_STACKS['sans']}"
            self.used.setdefault(t.weight, set()).update(t.text)
        attrs = {"font-family": family, "font-size": _n(t.size), "fill": fill}
        if t.weight == "bold":
            attrs["font-weight"] = "bold"
        if t.anchor != "start":
            attrs["text-anchor"] = t.anchor
        return self.dwg.text(t.text, insert=(_n(t.x), _n(t.y)), **attrs)

    def _connector(self, cn: Connector) -> object:
        pts = [f"{_n(x)},{_n(y)}" for x, y in cn.points]
        d = f"M{pts[0]} C" + " ".join(pts[1:]) if cn.curve and (len(pts) - 1) % 3 == 0 else "M" + " L".join(pts)
        attrs = {
            "fill": "none",
            "stroke": self.c(cn.role),
            "stroke-width": _n(cn.width),
            "stroke-linejoin": "round",
            "data-kind": cn.kind,
        }
        if cn.path:
            attrs["data-path"] = cn.path
        attrs |= {f"data-{k}": v for k, v in cn.data}
        if cn.dash != "solid":
            attrs["stroke-dasharray"] = DASHES[cn.dash]
            attrs["stroke-linecap"] = "round"
        if cn.arrow:
            attrs["marker-end"] = f"url(#{self._marker(cn.role)})"
        return self.dwg.path(d=d, id=self.id(cn.id), **attrs)

    def _marker(self, role: str) -> str:
        return self.id("arrow-" + re.sub(r"[^A-Za-z0-9_-]", "-", role))


def safe_href(url: str) -> bool:
    """Only http(s) and relative links are emitted: never javascript:, data: or file: URLs."""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https") and not url.lstrip().lower().startswith("//")


def _brace(s: Shape) -> str:
    """A curly brace opening to the right, its tip at the left middle."""
    x0, x1, xm = s.x, s.right, s.x + s.w / 2
    y0, y1, ym = s.y, s.bottom, s.cy
    r = min(s.w, s.h / 4)
    return (
        f"M{_n(x1)},{_n(y0)} Q{_n(xm)},{_n(y0)} {_n(xm)},{_n(y0 + r)} L{_n(xm)},{_n(ym - r)} "
        f"Q{_n(xm)},{_n(ym)} {_n(x0)},{_n(ym)} Q{_n(xm)},{_n(ym)} {_n(xm)},{_n(ym + r)} "
        f"L{_n(xm)},{_n(y1 - r)} Q{_n(xm)},{_n(y1)} {_n(x1)},{_n(y1)}"
    )


def _bracket(s: Shape) -> str:
    """A square bracket opening to the right: a run of layers in the strip."""
    return f"M{_n(s.right)},{_n(s.y)} L{_n(s.x)},{_n(s.y)} L{_n(s.x)},{_n(s.bottom)} L{_n(s.right)},{_n(s.bottom)}"


def safe_id(text: str) -> str:
    """`text` as part of an id: unchanged when it holds only letters, digits and `_.-`; otherwise
    those runs become '-' and a short hash of `text` follows, so two names that differ only in
    such characters still get different ids (deterministically: the hash is of the text)."""
    clean = ID_UNSAFE.sub("-", text)
    return text if clean == text else f"{clean}-{hashlib.blake2s(text.encode(), digest_size=4).hexdigest()}"


def svg_id(layout: Layout, local: str, prefix: str = "") -> str:
    """The id an element of `layout` gets in its SVG (with the theme prefix `prefix`): made safe
    here, whatever spec names the layout's own ids carry."""
    return f"{prefix}{safe_id(layout.id)}-{safe_id(local)}"


def to_svg(
    layout: Layout,
    theme_name: str = "light",
    text_as_paths: bool = False,
    band: tuple[float, float] | None = None,
    id_prefix: str = "",
) -> str:
    """The SVG document for `layout` in a theme; byte-identical for identical input. With `band`
    (top, bottom in layout units) only that horizontal strip, for piecewise rasterising."""
    writer = SvgWriter(layout, theme(theme_name), text_as_paths, band, id_prefix)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + writer.build() + "\n"
