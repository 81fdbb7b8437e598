"""Incremental gallery builds: a content-addressed cache redraws only the models whose spec changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import archviz
from archviz.products import gallery
from archviz.render import cache

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    folder = tmp_path / "zoo"
    folder.mkdir()
    for name in ("llama-3-8b", "olmo-2-7b", "qwen3-8b"):
        shutil.copy(ROOT / "specs" / f"{name}.yaml", folder)
    return folder


def test_a_rebuild_redraws_only_what_changed(zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    drawn: list[str] = []
    real = gallery.draw_model

    def counting(spec: archviz.Spec) -> dict[str, bytes]:
        drawn.append(spec.id)
        return real(spec)

    monkeypatch.setattr(gallery, "draw_model", counting)
    monkeypatch.setattr(gallery.os, "cpu_count", lambda: 1)  # in-process, so the counter sees every drawing
    catalog = archviz.Catalog([zoo], builtin=False)
    first = gallery.build_site(tmp_path / "site", catalog=catalog)
    assert sorted(drawn) == ["llama-3-8b", "olmo-2-7b", "qwen3-8b"]
    before = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    drawn.clear()
    gallery.build_site(tmp_path / "site", catalog=catalog)
    assert drawn == []
    after = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert after == before, "a build from the cache is byte-identical"
    spec = zoo / "olmo-2-7b.yaml"
    spec.write_text(spec.read_text().replace("context_length: 4096", "context_length: 8192"))
    gallery.build_site(tmp_path / "site", catalog=catalog)
    assert drawn == ["olmo-2-7b"]
    assert "8,192" in (first / "data" / "compare" / "olmo-2-7b.js").read_text()
    drawn.clear()
    fresh = gallery.build_site(tmp_path / "fresh", catalog=catalog, cache=False)
    assert sorted(drawn) == ["llama-3-8b", "olmo-2-7b", "qwen3-8b"]
    for name in ("poster.svg", "poster.pdf", "models/olmo-2-7b.svg"):  # the poster was redrawn from cached panels
        assert (fresh / name).read_bytes() == (first / name).read_bytes(), name
    # Unchanged files are hard links into the (read-only) cache, not copies; a build without
    # the cache writes its own.
    for name in ("models/llama-3-8b.svg", "data/svg/llama-3-8b.js", "poster.png", "tiles/poster/0/0_0.webp"):
        if name.endswith(".webp") and not (first / name).exists():
            continue  # Pillow without WebP writes PNG tiles
        assert (first / name).stat().st_nlink == 2, name
        assert not (first / name).stat().st_mode & 0o222, name
        assert (fresh / name).stat().st_nlink == 1, name


def test_the_cache_key_covers_the_code_and_every_part(monkeypatch: pytest.MonkeyPatch) -> None:
    k = cache.key("a", b"spec")
    assert k == cache.key("a", b"spec") and k != cache.key("a", b"spec!") and k != cache.key("ab", b"spec")
    assert cache.key("a", "b") != cache.key("ab", "")  # parts are length-prefixed
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another install")
    assert cache.key("a", b"spec") != k


def test_a_damaged_cache_entry_is_redrawn(tmp_path: Path) -> None:
    c = cache.Cache(tmp_path)
    c.put("ab12", {"x.svg": b"<svg/>", "y.png": b"png"})
    assert c.get("ab12", ("x.svg", "y.png")) == {"x.svg": b"<svg/>", "y.png": b"png"}
    (tmp_path / "ab" / "ab12" / "y.png").unlink()
    assert c.get("ab12", ("x.svg", "y.png")) is None
    assert cache.Cache(None).get("ab12", ("x.svg",)) is None


def test_a_catalog_too_large_for_one_page_gets_numbered_sheets(
    zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When even 4A0 cannot hold the catalog at 6 pt, the site's poster is the fewest A0 sheets
    that can; each sheet has its files and its viewer on the poster page."""
    from archviz.layout.poster import plan_sheets

    monkeypatch.setattr(
        gallery, "plan_poster_or_sheets", lambda specs, panels, sheet: plan_sheets(specs, panels, "A3", 2)
    )
    site = gallery.build_site(tmp_path / "site", catalog=archviz.Catalog([zoo], builtin=False), cache=False)
    for n in (1, 2):
        for suffix in (".pdf", ".png", ".svg", "-dark.svg"):
            assert (site / f"poster-{n}{suffix}").is_file(), (n, suffix)
        assert (site / "tiles" / f"poster-{n}" / "pyramid.js").is_file()
        assert len(list((site / "tiles" / f"poster-{n}" / "0").glob("0_0.*"))) == 1
    page = (site / "poster.html").read_text()
    assert "Sheet 2 of 2" in page and 'id="poster-1"' in page and 'id="poster-2"' in page
    assert not (site / "poster.pdf").exists()


RENDER = """
import sys
from archviz.cli import main
try:
    main(["render", *sys.argv[1:]])
except SystemExit:
    pass
print(sorted(m for m in ("pydantic", "archviz.layout", "cairosvg") if m in sys.modules))
"""


def test_an_unchanged_render_is_copied_from_the_cache(zoo: Path, tmp_path: Path) -> None:
    """Rendering the same spec with the same options again loads no heavy stage, and gives the
    same bytes; a changed spec, other options or --no-cache draw anew."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def render(*args: str) -> list[str]:
        r = subprocess.run([sys.executable, "-c", RENDER, *args], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        return eval(r.stdout.strip().splitlines()[-1])  # the list printed last

    spec = zoo / "llama-3-8b.yaml"
    out = tmp_path / "x.svg"
    assert "pydantic" in render(str(spec), "-o", str(out))  # the first time, it draws
    first = out.read_bytes()
    out.unlink()
    assert render(str(spec), "-o", str(out)) == []
    assert out.read_bytes() == first
    assert "pydantic" in render(str(spec), "-o", str(tmp_path / "dark.svg"), "--theme", "dark")
    assert "pydantic" in render(str(spec), "-o", str(out), "--no-cache")
    spec.write_text(spec.read_text().replace("name: Llama 3 8B", "name: Llama 3 8B (edited)"))
    assert "pydantic" in render(str(spec), "-o", str(out))
    assert b"(edited)" in out.read_bytes()


QUICK = """
import sys
from archviz.quick import main
sys.argv = ["archviz", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(sorted(m for m in ("click", "pydantic", "archviz.layout", "cairosvg") if m in sys.modules))
"""


def test_the_entry_point_copies_an_unchanged_render_before_loading_the_cli(tmp_path: Path) -> None:
    """`archviz render MODEL -o OUT` of an unchanged spec is answered without click; the same
    call the first time, or any other call, goes to the full command line and gives the same
    bytes and message."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def archviz_(*args: str) -> tuple[str, list[str]]:
        r = subprocess.run([sys.executable, "-c", QUICK, *args], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.strip().splitlines()
        return lines[0], eval(lines[-1])  # the message, and the list printed last

    out = tmp_path / "x.svg"
    said, loaded = archviz_("render", "olmo-2-7b", "-o", str(out))
    assert said == f"wrote {out}" and "click" in loaded and "pydantic" in loaded
    first = out.read_bytes()
    out.unlink()
    said, loaded = archviz_("render", "-o", str(out), "olmo-2-7b")
    assert said == f"wrote {out}" and loaded == []
    assert out.read_bytes() == first
    for other in (["render", "olmo-2-7b", "-o", str(out), "--theme", "dark"], ["render", "nope", "-o", str(out)]):
        r = subprocess.run([sys.executable, "-c", QUICK, *other], capture_output=True, text=True, env=env, timeout=120)
        assert "'click'" in r.stdout.splitlines()[-1], other  # the full command line answered
