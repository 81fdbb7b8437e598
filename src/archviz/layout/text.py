"""Text measurement from the bundled fonts' advance widths (no kerning, as cairosvg draws)."""

from __future__ import annotations

import functools

from fontTools.ttLib import TTFont

from archviz.style import FONT_DIR, FONT_FILES


class FontMetrics:
    """Advance widths of one font, in em units."""

    def __init__(self, filename: str) -> None:
        font = TTFont(FONT_DIR / filename, lazy=True)
        self.units = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        cmap = font.getBestCmap()
        self.advance = {chr(cp): hmtx[name][0] / self.units for cp, name in cmap.items()}
        self.fallback = hmtx[".notdef"][0] / self.units

    def width(self, text: str, size: float) -> float:
        adv = self.advance
        return sum(adv.get(ch, self.fallback) for ch in text) * size


@functools.cache
def metrics(family: str = "sans", weight: str = "normal") -> FontMetrics:
    return FontMetrics(FONT_FILES[(family, weight)])


def text_width(text: str, size: float, weight: str = "normal", family: str = "sans") -> float:
    """Width in px of `text` set in the bundled font at `size` px."""
    return metrics(family, weight).width(text, size)


def _pieces(word: str, max_width: float, size: float, weight: str, family: str) -> list[str]:
    """An over-long word cut into pieces that each fit `max_width` (at least one character each)."""
    pieces, current, width = [], "", 0.0
    for ch in word:
        w = text_width(ch, size, weight, family)
        if current and width + w > max_width:
            pieces.append(current)
            current, width = "", 0.0
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
