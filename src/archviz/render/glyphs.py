"""Text as glyph outlines: each glyph defined once in <defs>, placed with <use>."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

from archviz.layout.geometry import TextRun
from archviz.style import BUNDLED_FACE, FONT_DIR, FONT_FILES, Typeface


@functools.cache
def _load(path: Path) -> TTFont:
    return TTFont(path, fontNumber=0)


class GlyphSet:
    """Collects the glyphs a drawing uses so each outline is written once."""

    def __init__(self, id_prefix: str = "", face: Typeface = BUNDLED_FACE) -> None:
        """`id_prefix` names the figure (and theme), so glyph ids stay unique in a page of figures;
        sans-serif text is drawn from `face`, the typeface it was measured in."""
        self.paths: dict[str, str] = {}
        self.prefix = id_prefix
        self.face = face

    def _font(self, family: str, weight: str) -> TTFont:
        if family == "sans":
            return _load(self.face.bold if weight == "bold" else self.face.regular)
        return _load(FONT_DIR / FONT_FILES[(family, weight)])

    def _glyph(self, family: str, weight: str, name: str) -> str:
        face = "" if family != "sans" or self.face.bundled else f"{self.face.family}-"
        gid = f"{self.prefix}glyph-" + re.sub(r"[^A-Za-z0-9_-]", "_", f"{face}{family}-{weight}-{name}")
        if gid not in self.paths:
            font = self._font(family, weight)
            pen = SVGPathPen(font.getGlyphSet())
            font.getGlyphSet()[name].draw(pen)
            self.paths[gid] = pen.getCommands()
        return gid

    def run(self, dwg: object, t: TextRun, fill: str) -> object:
        font = self._font(t.family, t.weight)
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        scale = t.size / font["head"].unitsPerEm
        g = dwg.g(fill=fill, **{"aria-label": t.text})  # type: ignore[attr-defined]
        x = t.left
        for ch in t.text:
            name = cmap.get(ord(ch), ".notdef")
            if ch != " ":
                gid = self._glyph(t.family, t.weight, name)
                use = dwg.use(f"#{gid}")  # type: ignore[attr-defined]
                use.attribs["transform"] = f"translate({x:.2f},{t.y:.2f}) scale({scale:.5f},{-scale:.5f})"
                g.add(use)
            x += hmtx[name][0] * scale
        return g

    def defs(self, dwg: object) -> object:
        g = dwg.g(id=f"{self.prefix}glyphs")  # type: ignore[attr-defined]
        for gid in sorted(self.paths):
            g.add(dwg.path(d=self.paths[gid], id=gid))  # type: ignore[attr-defined]
        return g
