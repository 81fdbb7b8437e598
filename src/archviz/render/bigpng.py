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
from collections.abc import Callable, Iterator
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


def _draw(svg: str, scale: float, width: int, height: int, background: str) -> Image.Image:
    """Rasterise one strip with cairo, as an RGB image."""
    tree = cairosvg.parser.Tree(bytestring=svg.encode("utf-8"))
    surface = cairosvg.surface.PNGSurface(
        tree, None, 96, scale=scale, output_width=width, output_height=height, background_color=background
    )
    surface.cairo.flush()
    return Image.frombuffer("RGBA", (width, height), surface.cairo.get_data(), "raw", "BGRA", 0, 1).convert("RGB")


def draw_strips(layout: Layout, dpi: float, theme: str = "light") -> Iterator[Image.Image]:
    """`layout` at `dpi`, as RGB strips of STRIP_PX rows from the top (the last may be shorter),
    each drawn by cairo from an SVG of just that strip."""
    width, height = check_pixels(layout.width, layout.height, dpi, strips=True)
    scale = dpi / 96
    background = get_theme(theme).colour("background", layout.accent)
    for top in range(0, height, STRIP_PX):
        bottom = min(top + STRIP_PX, height)
        yield _draw(to_svg(layout, theme, band=(top / scale, bottom / scale)), scale, width, bottom - top, background)


def _rows(strip: Image.Image) -> bytes:
    """A strip's rows as PNG scanlines, each led by filter byte 0 (none: flat art compresses well)."""
    rgb, stride = strip.tobytes(), strip.width * 3
    return b"".join(b"\0" + rgb[i : i + stride] for i in range(0, len(rgb), stride))


def write_png(
    layout: Layout,
    path: str | Path,
    dpi: float = 300,
    theme: str = "light",
    progress: Callable[[int, int], None] | None = None,
    level: int = 1,
    each_strip: Callable[[Image.Image], None] | None = None,
) -> Path:
    """Render `layout` to a PNG file at `dpi` strip by strip; atomic (temp file, then rename).
    `each_strip` sees every strip as it is drawn (the site's tile pyramid is cut from them)."""
    width, height = check_pixels(layout.width, layout.height, dpi, strips=True)
    target = Path(path)
    count = -(-height // STRIP_PX)
    zipper = zlib.compressobj(level)
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
            for n, strip in enumerate(draw_strips(layout, dpi, theme)):
                if pending is not None:
                    out.write(_chunk(b"IDAT", pending.result()))
                pending = pool.submit(lambda s: zipper.compress(_rows(s)), strip)
                if each_strip:
                    each_strip(strip)
                if progress:
                    progress(n + 1, count)
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
