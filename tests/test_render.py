"""SVG, PNG and PDF output: semantic, deterministic, escaped, at the requested size."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import archviz
from archviz.errors import ArchvizError, SpecError
from archviz.layout import model_layout
from archviz.render import to_svg
from archviz.render.svg import safe_id
from archviz.spec import load, parse
from archviz.spec.loader import load_file

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_svg_is_semantic() -> None:
    svg = archviz.draw("deepseek-v3").svg()
    root = ET.fromstring(svg)
    assert root.find(f"{SVG_NS}title").text == "DeepSeek-V3"
    assert "DeepSeek-V3" in root.find(f"{SVG_NS}desc").text
    kinds = {g.get("data-kind") for g in root.iter(f"{SVG_NS}g") if g.get("class") == "block"}
    assert {"attention", "moe", "router", "expert", "norm", "embedding", "output", "rope", "ffn", "block"} <= kinds
    for g in root.iter(f"{SVG_NS}g"):
        if g.get("class") == "block" and g.get("data-kind") in ("attention", "moe", "norm", "router"):
            assert g.find(f"{SVG_NS}title") is not None, g.get("id")


def test_svg_is_byte_identical_across_runs() -> None:
    a = to_svg(model_layout(load("gemma-3-27b")))
    b = to_svg(model_layout(load("gemma-3-27b")))
    assert a == b
    ids = re.findall(r'id="([^"]+)"', a)
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert not any(re.search(r"\d{5,}", i) for i in ids), "ids come from the spec, not counters"


def test_themes_change_colours_not_geometry() -> None:
    light = archviz.draw("llama-3-8b", theme="light").svg()
    dark = archviz.draw("llama-3-8b", theme="dark").svg()
    assert light != dark
    strip = lambda s: re.sub(r'(fill|stroke)="[^"]*"|data-theme="[^"]*"', "", s)  # noqa: E731
    assert strip(light) == strip(re.sub(r'(?<=["# ])dark-', "", dark))
    # Both can share one page: no id of one figure is an id of the other.
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in (light, dark)]
    assert ids[0] and not ids[0] & ids[1]
    with pytest.raises(ArchvizError, match="unknown theme"):
        archviz.draw("llama-3-8b", theme="neon")


def test_text_from_specs_is_escaped(minimal_text: str) -> None:
    evil = minimal_text.replace("name: Tiny Test", 'name: "<script>alert(1)</script> & Co"')
    spec = parse(evil, file="evil.yaml", id="evil")
    svg = archviz.draw(spec).svg()
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in svg
    ET.fromstring(svg)  # still well-formed


def test_text_as_paths_has_no_text_elements() -> None:
    svg = archviz.draw("llama-3-8b", text_as_paths=True).svg()
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG_NS}text"))
    assert len(list(root.iter(f"{SVG_NS}use"))) > 100
    assert 'aria-label="Linear output layer"' in svg


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _png_dpi(data: bytes) -> float:
    i = data.index(b"pHYs")
    ppm, _, unit = struct.unpack(">IIB", data[i + 4 : i + 13])
    assert unit == 1
    return ppm * 0.0254


def test_png_size_follows_dpi() -> None:
    fig = archviz.draw("llama-3.2-1b")
    w, h = fig.layout.width, fig.layout.height
    at96, at192 = fig.png(dpi=96), fig.png(dpi=192)
    assert _png_size(at96) == (pytest.approx(w, abs=1), pytest.approx(h, abs=1))
    assert _png_size(at192) == (pytest.approx(2 * w, abs=2), pytest.approx(2 * h, abs=2))
    assert round(_png_dpi(at192)) == 192


def test_pdf_is_vector_with_embedded_font() -> None:
    pdf = archviz.draw("gpt-2-xl").pdf()
    assert pdf.startswith(b"%PDF")
    assert b"DejaVu" in pdf  # the bundled font, embedded


def test_save_by_suffix_and_atomically(tmp_path: Path) -> None:
    fig = archviz.draw("olmo-2-7b")
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")):
        out = fig.save(tmp_path / f"olmo{suffix}")
        assert out.read_bytes().startswith(magic)
    with pytest.raises(ArchvizError, match="choose a file ending"):
        fig.save(tmp_path / "olmo.gif")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["olmo.pdf", "olmo.png", "olmo.svg"]


def test_jupyter_repr() -> None:
    fig = archviz.draw("llama-3-8b")
    assert fig._repr_svg_() == fig.svg()
    assert "llama-3-8b" in repr(fig)


def test_ids_made_from_spec_names_are_plain_and_distinct(hostile_spec: Path) -> None:
    """The ids of a figure need no escaping anywhere (so a '"' cannot break a selector), and two
    mixer names get two ids; a name that is not an identifier is refused at load time."""
    svg = archviz.draw(load_file(hostile_spec)).svg()
    ids = re.findall(r'\sid="([^"]*)"', svg)
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", i) for i in ids), [i for i in ids if not i.isascii() or '"' in i]
    assert any("mixer-attn_swa" in i for i in ids) and any(re.search(r"mixer-attn(?!_)", i) for i in ids)
    assert safe_id("block-mixer") == "block-mixer" and safe_id("a<b") != safe_id("a>b") == safe_id("a>b")
    text = hostile_spec.read_text().replace("attn_swa", 'a"b.c', 1)
    with pytest.raises(SpecError, match=r"mixers\.a\"b\.c: a mixer or FFN name is an identifier"):
        parse(text, file="evil.yaml")


def test_figures_inlined_in_one_page_share_no_id() -> None:
    """Two models, each in a light and a dark copy, with text as glyph outlines, in one page."""
    svgs = [
        to_svg(model_layout(load(m)), th, text_as_paths=True, id_prefix=p)
        for m in ("llama-3-8b", "gemma-3-27b")
        for th, p in (("light", ""), ("dark", "dark-"))
    ]
    ids = re.findall(r'\sid="([^"]*)"', "".join(svgs))
    assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)[:5]
