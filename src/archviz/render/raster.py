"""PNG and PDF through cairosvg, with the bundled fonts and the PNG's DPI recorded."""

from __future__ import annotations

import struct
import zlib

from archviz.render.fonts import ensure_fontconfig

ensure_fontconfig()

import cairosvg  # noqa: E402  (fontconfig must be configured before cairo loads)


def png(svg: str, dpi: float = 96, scale: float | None = None, background: str | None = None) -> bytes:
    """Rasterise SVG (px units at 96 per inch) at `dpi`, or at an explicit `scale`, on an opaque
    `background` (so edge pixels that the page covers only in part are not half transparent)."""
    factor = scale if scale is not None else dpi / 96
    data = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=factor, background_color=background)
    return with_dpi(data, dpi if scale is None else 96 * factor)


def pdf(svg: str) -> bytes:
    """Vector PDF with embedded font subsets; page size from the SVG (1 px = 0.75 pt)."""
    return cairosvg.svg2pdf(bytestring=svg.encode("utf-8"))


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
