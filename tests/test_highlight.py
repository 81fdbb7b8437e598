"""Figure options: highlighting the parts a text is about (layout/emphasis.py, the renderer's
fading and outlines, draw(highlight=) and render --highlight)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import archviz
from archviz.errors import ArchvizError

NS = "{http://www.w3.org/2000/svg}"


def _groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg.split("?>", 1)[1])
    return {g.get("id", ""): g for g in root.iter() if g.get("id")}


def test_highlight_outlines_the_part_and_fades_the_rest() -> None:
    plain = archviz.draw("gemma-3-27b").svg()
    svg = archviz.draw("gemma-3-27b", highlight="mixers.global").svg()
    assert svg == archviz.draw("gemma-3-27b", highlight=["mixers.global"]).svg(), "deterministic"
    g = _groups(svg)
    chosen = g["gemma-3-27b-block-mixer-ffn-mixer-global"]
    assert chosen.get("opacity") is None
    rings = [e for e in chosen if e.get("fill") == "none" and e.get("stroke-width") == "3"]
    assert len(rings) == 1, "one accent outline around the chosen part"
    assert g["gemma-3-27b-block-mixer-ffn-mixer-local"].get("opacity") == "0.25"
    chips = [e for e in g.values() if e.get("data-kind") == "layer-chip"]
    global_chips = [e for e in chips if "layer_global" in e.get("data-tags", "")]
    local_chips = [e for e in chips if "layer_local" in e.get("data-tags", "")]
    assert len(global_chips) == 10 and len(local_chips) == 52
    assert all(e.get("opacity") is None for e in global_chips), "the chosen mixer's layers stay visible"
    assert all(e.get("opacity") == "0.25" for e in local_chips)
    # Nothing moves: without the fading and the one outline, it is the plain figure.
    ring = re.compile(r'<(rect|circle) fill="none"[^>]*stroke-width="3"[^>]*/>')
    assert not ring.search(plain) and len(ring.findall(svg)) == 1
    assert ring.sub("", re.sub(r' opacity="0\.25"', "", svg)) == plain


def test_a_tag_highlights_every_part_it_names() -> None:
    svg = archviz.draw("deepseek-v3", highlight="moe").svg()
    g = _groups(svg)
    assert g["deepseek-v3-panel-ffns-moe"].get("opacity") is None
    assert g["deepseek-v3-panel-mixers-mla"].get("opacity") == "0.25"


def test_an_unknown_part_is_a_clear_error() -> None:
    with pytest.raises(ArchvizError, match=r"nothing in the figure of llama-3-8b is 'mixers\.nope'.*mixers\.attn"):
        archviz.draw("llama-3-8b", highlight="mixers.nope")


def test_render_highlight_on_the_command_line(tmp_path: Path) -> None:
    def render(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "archviz.cli", "render", "gemma-3-27b", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    for name, sel in (("a.svg", "mixers.global"), ("b.svg", "mixers.local")):
        r = render("-o", str(tmp_path / name), "--highlight", sel)
        assert r.returncode == 0, r.stderr
    a, b = (tmp_path / "a.svg").read_text(), (tmp_path / "b.svg").read_text()
    assert a != b, "each highlight has its own cached render"
    assert a == archviz.draw("gemma-3-27b", highlight="mixers.global").svg()
    r = render("-o", str(tmp_path / "c.svg"), "--highlight", "nope")
    assert r.returncode == 2 and "nothing in the figure" in r.stderr and "Traceback" not in r.stderr


def _panels(svg: str) -> list[str]:
    return sorted(set(re.findall(r'data-panel="([^"]+)"', svg)))


def test_panels_keep_only_the_zooms_asked_for() -> None:
    assert _panels(archviz.draw("deepseek-v3").svg()) == ["ffns.dense", "ffns.moe", "mixers.mla"]
    assert _panels(archviz.draw("deepseek-v3", panels=["ffns"]).svg()) == ["ffns.dense", "ffns.moe"]
    assert _panels(archviz.draw("deepseek-v3", panels="mixers.mla").svg()) == ["mixers.mla"]
    bare = archviz.draw("deepseek-v3", panels=[]).svg()
    assert _panels(bare) == [] and 'data-kind="zoom"' not in bare
    assert "Cached per token" not in bare, "the legend keeps only what the figure shows"
    have = r"its panels: mixers\.mla, ffns\.moe, ffns\.dense"
    with pytest.raises(ArchvizError, match=r"no zoom panel 'ffns\.nope'; " + have):
        archviz.draw("deepseek-v3", panels=["ffns.nope"])


def test_accent_and_compact() -> None:
    plain = archviz.draw("llama-3-8b")
    red = archviz.draw("llama-3-8b", accent="#C0392B")
    assert red.layout.accent == "#c0392b" and plain.layout.accent != red.layout.accent
    strip = lambda s: re.sub(r'(fill|stroke)="[^"]*"', "", s)  # noqa: E731
    assert strip(red.svg()) == strip(plain.svg()), "the accent changes colours, nothing else"
    with pytest.raises(ArchvizError, match="#rrggbb"):
        archviz.draw("llama-3-8b", accent="red")
    small = archviz.draw("llama-3-8b", compact=True)
    assert small.layout.width < plain.layout.width and _panels(small.svg()) == []


def test_figure_options_on_the_command_line(tmp_path: Path) -> None:
    def render(name: str, *args: str) -> str:
        cmd = [sys.executable, "-m", "archviz.cli", "render", "deepseek-v3", "-o", str(tmp_path / name), *args]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return (tmp_path / name).read_text()

    assert _panels(render("a.svg", "--panels", "none")) == []
    assert _panels(render("b.svg", "--panels", "ffns.moe, mixers.mla")) == ["ffns.moe", "mixers.mla"]
    assert render("c.svg", "--accent", "#c0392b") == archviz.draw("deepseek-v3", accent="#c0392b").svg()
    assert render("d.svg", "--compact") == archviz.draw("deepseek-v3", compact=True).svg()
