"""Large PNGs (print posters) in horizontal strips: bounded memory, both cores busy.

A 300-DPI A0 page is 9933 x 14043 pixels: 558 MB as one RGBA frame. Here each strip is drawn
by cairo from an SVG of just that strip, while a worker thread converts the previous strip to RGB
and compresses it (zlib releases the GIL), streaming IDAT chunks to a temporary file that is
renamed into place at the end.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from archviz.layout.geometry import Layout
from archviz.render.files import output_errors, remove_own, temp_file
from archviz.render.fonts import ensure_fontconfig
from archviz.render.pixels import check_pixels
from archviz.render.svg import to_svg
from archviz.style import theme as get_theme

ensure_fontconfig()

import cairosvg.parser  # noqa: E402  (fontconfig must be configured before cairo loads)
import cairosvg.surface  # noqa: E402
from PIL import Image  # noqa: E402

STRIP_PX = 1024


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _draw(svg: str, scale: float, width: int, height: int, background: str) -> bytes:
    """Rasterise one strip with cairo; returns its RGB rows, each led by PNG filter byte 0."""
    tree = cairosvg.parser.Tree(bytestring=svg.encode("utf-8"))
    surface = cairosvg.surface.PNGSurface(
        tree, None, 96, scale=scale, output_width=width, output_height=height, background_color=background
    )
    surface.cairo.flush()
    img = Image.frombuffer("RGBA", (width, height), surface.cairo.get_data(), "raw", "BGRA", 0, 1)
    rgb = img.convert("RGB").tobytes()
    stride = width * 3
    return b"".join(b"\0" + rgb[i : i + stride] for i in range(0, len(rgb), stride))


def write_png(
    layout: Layout,
    path: str | Path,
    dpi: float = 300,
    theme: str = "light",
    progress: Callable[[int, int], None] | None = None,
    level: int = 1,
) -> Path:
    """Render `layout` to a PNG file at `dpi` strip by strip; atomic (temp file, then rename)."""
    width, height = check_pixels(layout.width, layout.height, dpi, strips=True)
    scale = dpi / 96
    target = Path(path)
    bands = [(top, min(top + STRIP_PX, height)) for top in range(0, height, STRIP_PX)]
    zipper = zlib.compressobj(level)
    background = get_theme(theme).colour("background", layout.accent)
    try:  # from before the temporary file exists, so a signal at any point leaves none behind
        with output_errors(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = temp_file(target)
        with output_errors(target), os.fdopen(fd, "wb") as out, ThreadPoolExecutor(max_workers=1) as pool:
            out.write(b"\x89PNG\r\n\x1a\n")
            out.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
            ppm = round(dpi / 0.0254)
            out.write(_chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)))
            pending: Future[bytes] | None = None
            for n, (top, bottom) in enumerate(bands):
                svg = to_svg(layout, theme, band=(top / scale, bottom / scale))
                rows = _draw(svg, scale, width, bottom - top, background)
                if pending is not None:
                    out.write(_chunk(b"IDAT", pending.result()))
                pending = pool.submit(zipper.compress, rows)
                if progress:
                    progress(n + 1, len(bands))
            if pending is not None:
                out.write(_chunk(b"IDAT", pending.result()))
            out.write(_chunk(b"IDAT", zipper.flush()))
            out.write(_chunk(b"IEND", b""))
        with output_errors(target):
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
    except BaseException:
        remove_own(target, ".tmp")
        raise
    return target
