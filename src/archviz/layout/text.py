"""Text measurement from the fonts' advance widths (no kerning, as cairosvg draws).

Sans-serif text is measured in the typeface in use (`measuring`): the bundled DejaVu Sans unless a
figure asks for another font; mono text always in the bundled DejaVu Sans Mono.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from fontTools.ttLib import TTFont

from archviz.style import BUNDLED_FACE, FONT_DIR, FONT_FILES, Typeface

_face: ContextVar[Typeface] = ContextVar("archviz_typeface", default=BUNDLED_FACE)
_broken: ContextVar[list[str] | None] = ContextVar("archviz_broken_words", default=None)


@contextlib.contextmanager
def noting_broken_words() -> Iterator[list[str]]:
    """Collect, inside the block, the words `wrap` had to break because they were wider than a
    line (a layout may then give the text more room)."""
    words: list[str] = []
    token = _broken.set(words)
    try:
        yield words
    finally:
        _broken.reset(token)


@contextlib.contextmanager
def measuring(face: Typeface | None) -> Iterator[None]:
    """Measure sans-serif text in `face` inside the block (None: keep the face in use, which
    outside any block is the bundled one)."""
    if face is None:
        yield
        return
    token = _face.set(face)
    try:
        yield
    finally:
        _face.reset(token)


class FontMetrics:
    """Advance widths of one font, in em units."""

    def __init__(self, path: Path) -> None:
        font = TTFont(path, lazy=True, fontNumber=0)
        self.units = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        cmap = font.getBestCmap()
        self.advance = {chr(cp): hmtx[name][0] / self.units for cp, name in cmap.items()}
        self.fallback = hmtx[".notdef"][0] / self.units

    def width(self, text: str, size: float) -> float:
        adv = self.advance
        return sum(adv.get(ch, self.fallback) for ch in text) * size


@functools.cache
def _metrics_of(path: Path) -> FontMetrics:
    return FontMetrics(path)


def metrics(family: str = "sans", weight: str = "normal") -> FontMetrics:
    if family == "sans":
        face = _face.get()
        return _metrics_of(face.bold if weight == "bold" else face.regular)
    return _metrics_of(FONT_DIR / FONT_FILES[(family, weight)])


def text_width(text: str, size: float, weight: str = "normal", family: str = "sans") -> float:
    """Width in px of `text` set in the bundled font at `size` px."""
    return metrics(family, weight).width(text, size)


def _pieces(word: str, max_width: float, size: float, weight: str, family: str) -> list[str]:
    """An over-long word cut into pieces that each fit `max_width` (at least one character each),
    after a hyphen where one fits ('MiMo-V2-' 'Flash'), else where it reaches the edge."""
    pieces, current, width = [], "", 0.0
    for ch in word:
        w = text_width(ch, size, weight, family)
        if current and width + w > max_width:
            cut = current.rfind("-") + 1
            if 0 < cut < len(current):  # carry what follows the hyphen to the next piece
                pieces.append(current[:cut])
                current = current[cut:]
            else:
                pieces.append(current)
                current = ""
            width = text_width(current, size, weight, family)
        current, width = current + ch, width + w
    return [*pieces, current]


def wrap(text: str, max_width: float, size: float, weight: str = "normal", family: str = "sans") -> list[str]:
    """Greedy word wrap to `max_width` px at plain spaces (a non-breaking space holds words
    together); a word longer than a whole line is broken where it reaches the edge."""
    words = [w for w in text.split(" ") if w]
    lines: list[str] = []
    current = ""
    for word in words:
        if text_width(word, size, weight, family) > max_width:
            noted = _broken.get()
            if noted is not None:
                noted.append(word)
            *full, word = _pieces(word, max_width, size, weight, family)
            lines += [current, *full] if current else full
            current = ""
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, weight, family) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def in_face(layout_meta: dict[str, object], face: Typeface | None) -> dict[str, object]:
    """A layout's meta recording the face its text was measured in (nothing for the bundled one),
    so the renderer draws with the same files."""
    if face is None or face.bundled:
        return layout_meta
    return {**layout_meta, "font": {"family": face.family, "regular": str(face.regular), "bold": str(face.bold)}}


def face_of(layout_meta: dict[str, object]) -> Typeface:
    """The face a layout's sans-serif text was measured in."""
    font = layout_meta.get("font")
    if not isinstance(font, dict):
        return BUNDLED_FACE
    return Typeface(str(font["family"]), Path(font["regular"]), Path(font["bold"]))
