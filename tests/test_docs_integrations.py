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
    (site / "docs" / "index.md").write_text(
        '```{.archviz model=llama-3-8b caption="GQA." highlight=mixers.attn}\n```\n'
    )
    r = _build(cmd, site, tmp_path)
    assert r.returncode == 0, r.stderr
    assert 'id="llama-3-8b-caption"' in _one_figure((tmp_path / "out" / "index.html").read_text()), "Pandoc's form"
    (site / "docs" / "bad.yaml").write_text(BAD_SPEC)
    (site / "docs" / "index.md").write_text(f"# Bad\n\n```archviz model={site / 'docs' / 'bad.yaml'}\n```\n")
    r = _build(cmd, site, tmp_path)
    assert r.returncode == 1 and "Error reading page 'index.md'" in r.stderr
    assert "bad.yaml:46: mixers.attn.kv_heads: kv_heads (64) exceeds heads (32)" in r.stderr
    assert "Traceback" not in r.stderr


def _pandoc() -> str:
    try:
        import pypandoc
    except ImportError:
        pytest.skip("pypandoc-binary is not installed (pip install -e '.[dev]' brings Pandoc)")
    return str(pypandoc.get_pandoc_path())


PANDOC_DOC = """# A paper

```{.archviz model=llama-3-8b highlight=mixers.attn caption="Grouped-query attention."}
```

```{.archviz}
model=deepseek-v3 compact
```

```python
print("code stays code")
```
"""


def test_pandoc_filter(tmp_path: Path) -> None:
    """`pandoc --filter archviz-pandoc`: SVG inline in HTML, a PDF for LaTeX, a PNG for Word,
    files named by content and written once; a bad spec stops Pandoc with its message."""
    pandoc = _pandoc()
    (tmp_path / "doc.md").write_text(PANDOC_DOC)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [pandoc, "doc.md", "--filter", "archviz-pandoc", *args]
        return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)

    r = run("-s", "-o", "doc.html")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "doc.html").read_text()
    assert html.count('<div class="archviz-figure"><svg') == 2 and 'id="llama-3-8b-title"' in html
    assert "Grouped-query attention." in html and "code stays code" in html
    r = run("-t", "latex")
    assert r.returncode == 0, r.stderr
    pdfs = sorted((tmp_path / "archviz-figures").glob("*.pdf"))
    assert len(pdfs) == 2 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert all(f"archviz-figures/{p.name}" in r.stdout for p in pdfs)
    before = {p: p.stat().st_mtime_ns for p in pdfs}
    assert run("-t", "latex").returncode == 0
    assert {p: p.stat().st_mtime_ns for p in pdfs} == before, "a rebuild writes nothing new"
    r = run("-o", "doc.docx")
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "archviz-figures").glob("*.png"))) == 2
    (tmp_path / "doc.md").write_text("```{.archviz model=no-such-model}\n```\n")
    r = run("-o", "bad.html")
    assert r.returncode != 0 and "archviz: no model 'no-such-model'" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "bad.html").exists()
    howto = (ROOT / "docs" / "howto.md").read_text()
    assert "`pandoc paper.md --filter archviz-pandoc -o paper.html`" in howto, "the how-to shows what runs here"
