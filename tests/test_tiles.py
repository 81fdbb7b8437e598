"""The poster's deep-zoom tile pyramid: the top level is the print PNG cut into tiles, and each
level below halves the one above, down to one tile."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageChops

import archviz
from archviz.render.tiles import levels_for, write_pyramid


def _stitch(folder: Path, width: int, height: int, tile: int) -> Image.Image:
    whole = Image.new("RGB", (width, height), "red")
    for path in folder.iterdir():
        col, row = (int(n) for n in path.stem.split("_"))
        piece = Image.open(path)
        assert piece.width == min(tile, width - col * tile) and piece.height == min(tile, height - row * tile), path
        whole.paste(piece, (col * tile, row * tile))
    return whole


def test_the_pyramid_is_the_png_cut_and_halved(tmp_path: Path) -> None:
    p = archviz.poster(["llama-3-8b", "olmo-2-7b", "deepseek-v3"], size="A4")
    dpi = 110  # an odd pixel size, so the last column and row of tiles are partial at every level
    png = Image.open(p.save(tmp_path / "p.png", dpi=dpi)).convert("RGB")
    info = write_pyramid(p.layout, tmp_path / "tiles", dpi=dpi, tile=128)
    assert (info.width, info.height) == png.size and info.levels == levels_for(*png.size, 128)
    assert max(png.size) / 2 ** (info.levels - 1) <= 128 < max(png.size) / 2 ** (info.levels - 2)
    top = _stitch(tmp_path / "tiles" / str(info.levels - 1), info.width, info.height, 128)
    assert ImageChops.difference(top, png).getbbox() is None, "the top level is the PNG, pixel for pixel"
    above = top
    for n in range(info.levels - 2, -1, -1):
        w, h = math.ceil(above.width / 2), math.ceil(above.height / 2)
        level = _stitch(tmp_path / "tiles" / str(n), w, h, 128)
        assert level.size == above.reduce(2).size
        assert ImageChops.difference(level, above.reduce(2)).getbbox() is None, f"level {n} halves level {n + 1}"
        above = level
    assert sorted(p.name for p in (tmp_path / "tiles").iterdir()) == sorted(str(n) for n in range(info.levels))
    assert len(list((tmp_path / "tiles" / "0").iterdir())) == 1
