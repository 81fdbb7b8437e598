"""A deep-zoom tile pyramid of a large figure (the poster), for the site's tiled viewer.

The figure is drawn in strips, as for the print PNG (bigpng). Each level keeps only the rows it
has not yet cut into tiles: a full row of tiles is written as soon as it exists and handed on,
halved, to the level below. Memory holds a few strips, never the frame, so a 300-DPI A0 sheet
(182 million pixels) costs what one strip does.

Level 0 fits one tile; each level doubles the one before; the last is the figure at `dpi`.
Tiles are `LEVEL/COLUMN_ROW.webp`, as in the Deep Zoom format: lossless WebP at its fastest
effort is under half the size of PNG for flat-colour art, and as quick to write (PNG where
Pillow lacks WebP).
"""

from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, features

from archviz.layout.geometry import Layout
from archviz.render.bigpng import draw_strips
from archviz.render.pixels import check_pixels

TILE = 512
FORMAT = "webp" if features.check("webp") else "png"
SAVE_OPTIONS = {"webp": {"lossless": True, "method": 1, "quality": 10}, "png": {"compress_level": 6}}


@dataclass(frozen=True)
class Pyramid:
    """What the viewer needs to know: the full size in pixels, the tile side and the level count."""

    width: int
    height: int
    tile: int
    levels: int
    dpi: float
    format: str = FORMAT

    def to_dict(self) -> dict[str, float | str]:
        return {
            "width": self.width,
            "height": self.height,
            "tile": self.tile,
            "levels": self.levels,
            "dpi": self.dpi,
            "format": self.format,
        }


@dataclass
class _Level:
    """One level's rows not yet cut into tiles."""

    n: int
    width: int
    rows: Image.Image | None = None
    tile_row: int = 0


def _stack(upper: Image.Image, lower: Image.Image) -> Image.Image:
    both = Image.new("RGB", (upper.width, upper.height + lower.height))
    both.paste(upper, (0, 0))
    both.paste(lower, (0, upper.height))
    return both


def _split(rows: Image.Image, n: int) -> tuple[Image.Image, Image.Image | None]:
    """The first `n` rows, and the rest (None when there is none)."""
    rest = rows.crop((0, n, rows.width, rows.height)) if rows.height > n else None
    return rows.crop((0, 0, rows.width, n)), rest


def levels_for(width: int, height: int, tile: int = TILE) -> int:
    """How many levels halve a `width` x `height` image down to one tile."""
    return max(0, math.ceil(math.log2(max(width, height) / tile))) + 1


class PyramidWriter:
    """Takes the strips of a `width` x `height` image from the top (`add`), writes its tiles under
    `folder` as they complete, and returns the pyramid's description on `close`."""

    def __init__(self, folder: str | Path, width: int, height: int, dpi: float, tile: int = TILE) -> None:
        self.root, self.info = Path(folder), Pyramid(width, height, tile, levels_for(width, height, tile), dpi)
        widths = [width]
        for _ in range(self.info.levels - 1):
            widths.append(-(-widths[-1] // 2))
        self.levels = [_Level(n, w) for n, w in zip(range(self.info.levels - 1, -1, -1), widths, strict=True)]
        for level in self.levels:
            (self.root / str(level.n)).mkdir(parents=True)
        self.pool = ThreadPoolExecutor(max_workers=2)  # PNG encoding releases the GIL
        self.written: list[Future[None]] = []

    def _emit(self, level: _Level, band: Image.Image) -> None:
        tile = self.info.tile
        for col in range(-(-level.width // tile)):
            piece = band.crop((col * tile, 0, min(level.width, (col + 1) * tile), band.height))
            path = self.root / str(level.n) / f"{col}_{level.tile_row}.{FORMAT}"
            self.written.append(self.pool.submit(piece.save, path, FORMAT.upper(), **SAVE_OPTIONS[FORMAT]))
        level.tile_row += 1

    def add(self, rows: Image.Image, i: int = 0) -> None:
        """Append rows to level i (0 is the full size); cut every full row of tiles and hand it
        on, halved, to the next level down."""
        level = self.levels[i]
        level.rows = rows if level.rows is None else _stack(level.rows, rows)
        while level.rows is not None and level.rows.height >= self.info.tile:
            band, level.rows = _split(level.rows, self.info.tile)
            self._emit(level, band)
            if i + 1 < len(self.levels):
                self.add(band.reduce(2), i + 1)

    def close(self) -> Pyramid:
        """Cut what is left of each level, from the top down, and wait for every tile."""
        try:
            for i, level in enumerate(self.levels):
                if level.rows is not None:
                    band, level.rows = level.rows, None
                    self._emit(level, band)
                    if i + 1 < len(self.levels):
                        self.add(band.reduce(2), i + 1)
            for f in self.written:
                f.result()
        finally:
            self.pool.shutdown()
        return self.info


def write_pyramid(layout: Layout, folder: str | Path, dpi: float, theme: str = "light", tile: int = TILE) -> Pyramid:
    """Draw `layout` at `dpi` into a tile pyramid under `folder` (whose level folders must not
    exist yet)."""
    width, height = check_pixels(layout.width, layout.height, dpi, strips=True)
    writer = PyramidWriter(folder, width, height, dpi, tile)
    for strip in draw_strips(layout, dpi, theme):
        writer.add(strip)
    return writer.close()
