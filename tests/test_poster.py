"""The poster: exact page sizes, PNG pixels for size and DPI, fitting rules, clean geometry."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

import archviz
from archviz.errors import ArchvizError
from archviz.layout.geometry import Layout
from archviz.layout.poster import paper_size, poster_layout
from archviz.products import select
from geometry_checks import overlaps

DENSE_SIX = ["gpt-2-xl", "llama-3-8b", "llama-3.2-1b", "olmo-2-7b", "phi-4", "qwen3-8b"]


def _mediabox_mm(pdf: bytes) -> tuple[float, float]:
    x0, y0, x1, y1 = map(float, re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", pdf).groups())
    return (x1 - x0) / 72 * 25.4, (y1 - y0) / 72 * 25.4


def test_paper_sizes() -> None:
    assert paper_size("A0") == (841, 1189)
    assert paper_size("a3", landscape=True) == (420, 297)
    assert paper_size("24x36in") == pytest.approx((609.6, 914.4))
    assert paper_size("500x700mm") == (500, 700)
    with pytest.raises(ArchvizError, match="unknown paper size"):
        paper_size("B7")


def test_full_catalog_2a0_pdf_has_exact_page_size() -> None:
    poster = archviz.poster(size="2A0")
    w, h = _mediabox_mm(poster.pdf())
    assert abs(w - 1189) <= 0.5 and abs(h - 1682) <= 0.5
    assert poster.layout.meta["smallest_text_pt"] >= 6
    assert len(poster.layout.meta["models"]) == len(archviz.list_models())


def test_png_pixels_follow_size_and_dpi(tmp_path: Path) -> None:
    out = archviz.poster(DENSE_SIX, size="A3").save(tmp_path / "p.png", dpi=40)
    data = out.read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (round(297 / 25.4 * 40), round(420 / 25.4 * 40))
    i = data.index(b"pHYs")
    assert round(struct.unpack(">I", data[i + 4 : i + 8])[0] * 0.0254) == 40
    from PIL import Image

    with Image.open(out) as im:
        im.load()  # decodes: the streamed IDAT is a valid PNG
        assert im.getpixel((0, 0)) == im.getpixel((width - 1, height - 1)) == (255, 255, 255)


def test_one_model_poster_and_a3_of_six() -> None:
    one = poster_layout(select(["deepseek-v3"]), "A3")
    assert one.meta["models"] == ["deepseek-v3"]
    six = poster_layout(select(DENSE_SIX), "A3")
    assert len(six.meta["models"]) == 6 and six.meta["smallest_text_pt"] >= 6


def test_too_many_models_fail_clearly() -> None:
    with pytest.raises(ArchvizError, match=r"do not fit A4 with text of at least 6 pt.*--size 2A0"):
        poster_layout(select(), "A4")


def _top_level(layout: Layout) -> Layout:
    keep = tuple(s for s in layout.shapes if s.kind in ("poster-panel", "band"))
    return Layout(layout.id, layout.width, layout.height, "", "", layout.accent, keep, ())


# 2A0 holds the catalog (89 models at 6.65 pt); A0 held it up to 56 models.
@pytest.mark.parametrize(("size", "landscape"), [("2A0", False), ("2A0", True), ("4A0", False)])
def test_panels_do_not_overlap_each_other_or_the_band(size: str, landscape: bool) -> None:
    layout = poster_layout(select(sort="family"), size, landscape)
    top = _top_level(layout)
    assert not overlaps(top)
    for s in top.shapes:
        assert s.x >= 0 and s.right <= layout.width and s.y >= 0 and s.bottom <= layout.height


def test_bleed_and_crop_marks() -> None:
    layout = poster_layout(select(["llama-3-8b"]), "A3", bleed_mm=3, crop_marks=True)
    assert layout.meta["page_mm"] == [303, 426]
    assert sum(s.kind == "crop-mark" for s in layout.shapes) == 8
    with pytest.raises(ArchvizError, match="bleed"):
        poster_layout(select(["llama-3-8b"]), "A3", crop_marks=True)


def test_filters_and_sorts() -> None:
    moe = select(filters=["type=moe", "year>=2025"], sort="size")
    assert moe and all(s.model.decoder_type == "moe" and s.model.release_date.year >= 2025 for s in moe)
    fam = [s.id for s in select(sort="family")]
    assert fam.index("deepseek-r1") > fam.index("deepseek-v3")
    with pytest.raises(ArchvizError, match="bad filter"):
        select(filters=["colour=red"])


def test_png_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archviz.render import bigpng

    calls = {"n": 0}
    real = bigpng._draw

    def failing(*args: object) -> bytes:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(bigpng, "STRIP_PX", 64)
    monkeypatch.setattr(bigpng, "_draw", failing)
    with pytest.raises(KeyboardInterrupt):
        archviz.poster(["llama-3-8b"], size="A4").save(tmp_path / "p.png", dpi=30)
    assert list(tmp_path.iterdir()) == []


def test_png_drawn_on_worker_processes_is_the_png_drawn_here(tmp_path: Path) -> None:
    """Strips drawn and deflated in parallel join into one valid zlib stream: the same pixels as
    the serial path, and a checksum zlib accepts."""
    import zlib

    from PIL import Image, ImageChops

    from archviz.render.bigpng import _adler32_combine, write_png

    a, b = b"archviz " * 1000, bytes(range(256)) * 300
    assert _adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)
    assert _adler32_combine(1, zlib.adler32(b), len(b)) == zlib.adler32(b)
    layout = archviz.poster(DENSE_SIX, size="A3").layout
    serial = write_png(layout, tmp_path / "serial.png", dpi=150, workers=1)
    parallel = write_png(layout, tmp_path / "parallel.png", dpi=150, workers=2)
    with Image.open(serial) as one, Image.open(parallel) as two:
        assert one.size == two.size and one.size[1] > 2 * 1024  # several strips
        assert ImageChops.difference(one.convert("RGB"), two.convert("RGB")).getbbox() is None
    data, idat, at = parallel.read_bytes(), b"", 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    width, height = two.size
    assert len(zlib.decompress(idat)) == height * (3 * width + 1)  # zlib checks the Adler-32
