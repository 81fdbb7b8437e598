"""Large PNGs (print posters) in horizontal strips: bounded memory, every core busy.

A 300-DPI A0 page is 9933 x 14043 pixels: 558 MB as one RGBA frame. Each strip is drawn by
cairo from an SVG of just that strip. With more than one core, worker processes draw the strips
and compress each into its own run of deflate blocks (ISA-L's deflate when the `isal` wheel is
installed, several times faster than zlib's, else zlib's), ended by a full flush so the runs
join into one zlib stream; the checksum is combined from theirs. The parent only writes the
IDAT chunks, in order, to a temporary file that is renamed into place at the end. With one core,
or when a caller wants every strip's pixels (the site's tile pyramid), the strips are drawn here
and a thread compresses the last while the next is drawn.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

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


def _deflate() -> Any:
    """ISA-L's zlib-compatible deflate where its wheel is installed, else the standard library's."""
    try:
        from isal import isal_zlib

        return isal_zlib
    except ImportError:
        return zlib


deflate = _deflate()

STRIP_PX = 512
"""Rows per strip: small enough that two workers share the strips evenly (and hold little)."""
ADLER_BASE = 65521


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _draw(svg: str, scale: float, width: int, height: int, background: str) -> Image.Image:
    """Rasterise one strip with cairo, as an RGB image (read straight from cairo's BGRA words: the
    background is opaque, so alpha is dropped in the same pass)."""
    tree = cairosvg.parser.Tree(bytestring=svg.encode("utf-8"))
    surface = cairosvg.surface.PNGSurface(
        tree, None, 96, scale=scale, output_width=width, output_height=height, background_color=background
    )
    surface.cairo.flush()
    return Image.frombuffer("RGB", (width, height), surface.cairo.get_data(), "raw", "BGRX", 0, 1)


def draw_strips(layout: Layout, dpi: float, theme: str = "light") -> Iterator[Image.Image]:
    """`layout` at `dpi`, as RGB strips of STRIP_PX rows from the top (the last may be shorter),
    each drawn by cairo from an SVG of just that strip."""
    width, height = check_pixels(layout.width, layout.height, dpi, strips=True)
    scale = dpi / 96
    background = get_theme(theme).colour("background", layout.accent)
    for top in range(0, height, STRIP_PX):
        bottom = min(top + STRIP_PX, height)
        yield _draw(to_svg(layout, theme, band=(top / scale, bottom / scale)), scale, width, bottom - top, background)


def _scanlines(strip: Image.Image) -> Iterator[bytes | memoryview]:
    """A strip's PNG scanlines, in pieces: each row's filter byte 0 (none: flat art compresses
    well), then the row, a view into the strip's bytes (no copy of the strip is made)."""
    rgb = memoryview(strip.tobytes())
    stride = strip.width * 3
    for i in range(0, len(rgb), stride):
        yield b"\0"
        yield rgb[i : i + stride]


def _compress(zipper: Any, strip: Image.Image) -> bytes:
    return b"".join(zipper.compress(piece) for piece in _scanlines(strip))


def _adler32_combine(a: int, b: int, b_length: int) -> int:
    """The Adler-32 of two byte strings joined, from theirs (the identity zlib's adler32_combine
    computes; Python's zlib does not offer it)."""
    rem = b_length % ADLER_BASE
    lo = ((a & 0xFFFF) + (b & 0xFFFF) - 1) % ADLER_BASE
    hi = (rem * (a & 0xFFFF) + (a >> 16) + (b >> 16) - rem) % ADLER_BASE
    return (hi << 16) | lo


_JOB: tuple[Any, ...] = ()
"""What the strip workers draw (layout, theme, dpi, width, background, level), set before they
are forked, so the layout is not pickled to them."""


def _strip_job(band: tuple[int, int]) -> tuple[bytes, int, int]:
    """Draw one strip and deflate its scanlines into a run of blocks that ends on a byte boundary
    (a full flush, not a final block). Returns the run, the scanlines' Adler-32 and length."""
    layout, theme, dpi, width, background, level = _JOB
    top, bottom = band
    scale = dpi / 96
    strip = _draw(to_svg(layout, theme, band=(top / scale, bottom / scale)), scale, width, bottom - top, background)
    zipper, check, out = deflate.compressobj(level, zlib.DEFLATED, -15), 1, []
    for piece in _scanlines(strip):
        check = zlib.adler32(piece, check)
        out.append(zipper.compress(piece))
    out.append(zipper.flush(zlib.Z_FULL_FLUSH))
    return b"".join(out), check, (width * 3 + 1) * (bottom - top)


STOPS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def _stops_deferred() -> Iterator[None]:
    """While the workers start, a stop (SIGINT, SIGTERM, SIGHUP) is noted, not acted on, and
    raised again once they have: an exception halfway through starting a pool leaves a forked
    worker that no one will stop, and one raised inside fork's own hooks is ignored there."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread runs signal handlers
        return
    caught: list[int] = []
    saved = {stop: signal.getsignal(stop) for stop in STOPS}
    for stop in STOPS:
        signal.signal(stop, lambda number, _frame: caught.append(number))
    try:
        yield
    finally:
        for stop, handler in saved.items():
            signal.signal(stop, handler)
        if caught:
            signal.raise_signal(caught[0])


def _worker_start() -> None:
    """A strip worker leaves stopping to its parent, which cancels what is queued and waits for
    the strips being drawn (a fraction of a second): it ignores SIGINT (which a terminal sends
    to the whole group) and takes the default for the others."""
    for stop in STOPS:
        signal.signal(stop, signal.SIG_IGN if stop == signal.SIGINT else signal.SIG_DFL)


def _write_parallel_idat(
    out: BinaryIO,
    layout: Layout,
    dpi: float,
    theme: str,
    level: int,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Write the image's zlib stream as IDAT chunks, from strips drawn on `workers` forked
    processes. The pool is shut down here whatever happens (a stop cancels the queued strips
    and waits for those being drawn), so no worker outlives this call."""
    global _JOB
    width, height = check_pixels(layout.width, layout.height, dpi, strips=True)
    bands = [(top, min(top + STRIP_PX, height)) for top in range(0, height, STRIP_PX)]
    _JOB = (layout, theme, dpi, width, get_theme(theme).colour("background", layout.accent), level)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start)
    try:
        with _stops_deferred():  # the first submit forks every worker
            runs = pool.map(_strip_job, bands)
        out.write(_chunk(b"IDAT", b"\x78\x01"))  # zlib header: deflate, 32K window, fastest
        check = 1
        for n, (run, adler, length) in enumerate(runs):
            check = _adler32_combine(check, adler, length)
            out.write(_chunk(b"IDAT", run))
            if progress:
                progress(n + 1, len(bands))
        out.write(_chunk(b"IDAT", b"\x03\x00" + struct.pack(">I", check)))  # a final empty block, the checksum
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _JOB = ()


def _write_idat(
    out: BinaryIO,
    layout: Layout,
    dpi: float,
    theme: str,
    level: int,
    each_strip: Callable[[Image.Image], None] | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Write the image's zlib stream as IDAT chunks, drawing the strips here while a thread
    deflates the one before (deflate releases the GIL); each strip is shown to `each_strip`."""
    zipper = deflate.compressobj(level)
    count = -(-check_pixels(layout.width, layout.height, dpi, strips=True)[1] // STRIP_PX)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future[bytes] | None = None
        for n, strip in enumerate(draw_strips(layout, dpi, theme)):
            if pending is not None:
                out.write(_chunk(b"IDAT", pending.result()))
            pending = pool.submit(_compress, zipper, strip)
            if each_strip:
                each_strip(strip)
            if progress:
                progress(n + 1, count)
        if pending is not None:
            out.write(_chunk(b"IDAT", pending.result()))
    out.write(_chunk(b"IDAT", zipper.flush()))


def write_png(
    layout: Layout,
    path: str | Path,
    dpi: float = 300,
    theme: str = "light",
    progress: Callable[[int, int], None] | None = None,
    level: int = 1,
    each_strip: Callable[[Image.Image], None] | None = None,
    workers: int | None = None,
) -> Path:
    """Render `layout` to a PNG file at `dpi` strip by strip; atomic (temp file, then rename).
    `each_strip` sees every strip as it is drawn (the site's tile pyramid is cut from them);
    `workers` processes draw the strips otherwise (default: one per core, where fork exists)."""
    width, height = check_pixels(layout.width, layout.height, dpi, strips=True)
    target = Path(path)
    count = -(-height // STRIP_PX)
    if workers is None:
        workers = (os.cpu_count() or 1) if "fork" in multiprocessing.get_all_start_methods() else 1
    parallel = each_strip is None and workers > 1 and count > 1
    try:  # from before the temporary file exists, so a signal at any point leaves none behind
        with output_errors(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = temp_file(target)
        with output_errors(target), os.fdopen(fd, "wb") as out:
            out.write(b"\x89PNG\r\n\x1a\n")
            out.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
            ppm = round(dpi / 0.0254)
            out.write(_chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)))
            if parallel:
                _write_parallel_idat(out, layout, dpi, theme, level, workers, progress)
            else:
                _write_idat(out, layout, dpi, theme, level, each_strip, progress)
            out.write(_chunk(b"IEND", b""))
        with output_errors(target):
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
    except BaseException:
        remove_own(target, ".tmp")
        raise
    return target
