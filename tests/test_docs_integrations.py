"""Figures in documentation, built with the real tools, offline: a Sphinx project with the
archviz directive and an MkDocs project with the archviz Markdown extension, each with one good
figure and one bad spec that must stop the build with the spec's own message."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD_SPEC = (ROOT / "specs" / "llama-3-8b.yaml").read_text().replace("kv_heads: 8", "kv_heads: 64")


def _build(cmd: list[str], cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def _one_figure(html: str) -> str:
    svgs = re.findall(r'<div class="archviz-figure"><svg[^>]*>.*?</svg>\s*</div>', html, flags=re.S)
    assert len(svgs) == 1, "one inline figure"
    return svgs[0]


def test_sphinx_directive(tmp_path: Path) -> None:
    pytest.importorskip("sphinx")
    src = tmp_path / "docs"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["archviz.integrations.sphinx"]\nproject = "t"\n')
    (src / "index.rst").write_text(
        "Attention\n=========\n\n.. archviz:: gemma-3-27b\n   :highlight: mixers.global\n   :size: article\n"
    )
    cmd = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "html")]
    r = _build(cmd, tmp_path, tmp_path)
    assert r.returncode == 0, r.stderr
    svg = _one_figure((tmp_path / "html" / "index.html").read_text())
    assert 'width="700px"' in svg and 'opacity="0.25"' in svg
    again = _build([*cmd[:-1], str(tmp_path / "html2")], tmp_path, tmp_path)  # from the cache: the same
    assert again.returncode == 0 and _one_figure((tmp_path / "html2" / "index.html").read_text()) == svg
    (src / "bad.yaml").write_text(BAD_SPEC)
    (src / "index.rst").write_text(f"Bad\n===\n\n.. archviz:: {src / 'bad.yaml'}\n")
    for warn in ([], ["-W"]):  # a failed figure fails the build, with or without -W
        lenient = [c for c in cmd[:-1] if c != "-W"] + warn
        r = _build([*lenient, str(tmp_path / f"html3{len(warn)}")], tmp_path, tmp_path)
        assert r.returncode == 1, r.stderr
        assert "index.rst:4: ERROR: archviz: " in r.stderr and "bad.yaml:46: mixers.attn.kv_heads" in r.stderr
        assert "kv_heads (64) exceeds heads (32)" in r.stderr and "Traceback" not in r.stderr


def test_mkdocs_markdown_extension(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    site = tmp_path / "proj"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: t\nmarkdown_extensions:\n  - archviz.integrations.markdown\n")
    page = "# MoE\n\n```archviz model=deepseek-v3 highlight=moe panels=ffns.moe\n```\n\nText after.\n"
    (site / "docs" / "index.md").write_text(page)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "out")]
    r = _build(cmd, site, tmp_path)
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    svg = _one_figure(html)
    assert 'data-panel="ffns.moe"' in svg and 'data-panel="mixers.mla"' not in svg
    assert "Text after." in html and "```" not in html
    (site / "docs" / "bad.yaml").write_text(BAD_SPEC)
    (site / "docs" / "index.md").write_text(f"# Bad\n\n```archviz model={site / 'docs' / 'bad.yaml'}\n```\n")
    r = _build(cmd, site, tmp_path)
    assert r.returncode == 1 and "Error reading page 'index.md'" in r.stderr
    assert "bad.yaml:46: mixers.attn.kv_heads: kv_heads (64) exceeds heads (32)" in r.stderr
    assert "Traceback" not in r.stderr
