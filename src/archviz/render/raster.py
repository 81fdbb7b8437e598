"""PNG and PDF through cairosvg, with the bundled fonts and the PNG's DPI recorded."""

from __future__ import annotations

import datetime as dt
import os
import struct
import zlib
from typing import Any

from archviz.render.fonts import ensure_fontconfig

ensure_fontconfig()

import cairocffi  # noqa: E402  (fontconfig must be configured before cairo loads)
import cairosvg  # noqa: E402
import cairosvg.surface  # noqa: E402

from archviz.errors import ArchvizError  # noqa: E402

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def png(svg: str, dpi: float = 96, scale: float | None = None, background: str | None = None) -> bytes:
    """Rasterise SVG (px units at 96 per inch) at `dpi`, or at an explicit `scale`, on an opaque
    `background` (so edge pixels that the page covers only in part are not half transparent)."""
    factor = scale if scale is not None else dpi / 96
    data = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=factor, background_color=background)
    return with_dpi(data, dpi if scale is None else 96 * factor)


def pdf_date() -> str:
    """The PDF's creation date: SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed
    date, so the same spec gives the same bytes; a date that would change every run says nothing
    about the figure."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else FIXED_DATE
    except (ValueError, OverflowError, OSError):
        raise ArchvizError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch!r}") from None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class _DatedPDF(cairosvg.surface.PDFSurface):
    """cairosvg's PDF surface with the creation date set (cairo would write the current time)."""

    def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
        surface, width, height = super()._create_surface(width, height)
        surface.set_metadata(cairocffi.PDF_METADATA_CREATE_DATE, pdf_date())
        return surface, width, height


def pdf(svg: str) -> bytes:
    """Vector PDF with embedded font subsets; page size from the SVG (1 px = 0.75 pt)."""
    return _DatedPDF.convert(bytestring=svg.encode("utf-8"))


def with_dpi(data: bytes, dpi: float) -> bytes:
    """Insert (or replace) the pHYs chunk so viewers and printers know the resolution."""
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    out, pos = [data[:8]], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if kind != b"pHYs":
            out.append(data[pos:end])
        if kind == b"IHDR":
            out.append(chunk)
        pos = end
    return b"".join(out)
