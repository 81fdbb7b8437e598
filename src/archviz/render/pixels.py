"""How large a PNG may be: cairo draws at most 32,767 pixels a side, and a figure drawn in one
piece needs four bytes a pixel. Checked before drawing, with the resolution that would fit."""

from __future__ import annotations

import math

from archviz.errors import ArchvizError

CAIRO_SIDE = 32_767
"""cairo's largest image surface, in pixels a side."""
ONE_PIECE = 128_000_000
"""Pixels of a PNG drawn in one piece (512 MB of RGBA); posters are drawn in strips instead."""


def check_pixels(width: float, height: float, dpi: float, strips: bool = False) -> tuple[int, int]:
    """The pixel size of a `width` x `height` px (96 per inch) figure at `dpi`, or an error naming
    the largest DPI that fits. With `strips`, only the width is bounded (strips are 512 rows)."""
    if not math.isfinite(dpi) or dpi <= 0:
        raise ArchvizError(f"the resolution must be a positive number of DPI, got {dpi}")
    w, h = round(width * dpi / 96), round(height * dpi / 96)
    sides = (width,) if strips else (width, height)
    most = min(CAIRO_SIDE * 96 / s for s in sides)
    if not strips:
        most = min(most, 96 * math.sqrt(ONE_PIECE / (width * height)))
    if w > CAIRO_SIDE or (not strips and (h > CAIRO_SIDE or w * h > ONE_PIECE)):
        limit = f"{CAIRO_SIDE:,} px a side" + ("" if strips else f", {ONE_PIECE / 1e6:.0f} million in all")
        raise ArchvizError(
            f"a {w:,} × {h:,} px PNG is more than archviz can draw ({limit}): use --dpi {math.floor(most)} or less"
        )
    return w, h
