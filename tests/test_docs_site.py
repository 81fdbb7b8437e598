"""The documentation site (mkdocs.yml, docs/): it builds offline with warnings as errors, its
generated pages hold what the code holds, and every example in it runs."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from archviz.spec import catalog_ids

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("docs")
    env = {**os.environ, "XDG_CACHE_HOME": str(out / "cache")}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out / "site")]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr
    return out / "site"


def test_the_docs_build_with_every_page(site: Path) -> None:
    for page in ("index.html", "tutorial/index.html", "howto/index.html", "reference/index.html", "api/index.html"):
        assert (site / page).is_file(), page
    gallery = (site / "gallery" / "index.html").read_text()
    assert gallery.count('class="archviz-figure"') == len(catalog_ids())
    assert not list(site.glob("hooks.py")), "the hooks are not published"


def test_generated_pages_follow_the_code(site: Path) -> None:
    from archviz.spec.models import json_schema

    reference = (site / "reference" / "index.html").read_text()
    schema = json_schema()
    for name in (*schema["properties"], *schema["$defs"]):
        assert name in reference, name
    api = (site / "api" / "index.html").read_text()
    for name in ("draw", "diff", "poster", "load", "Catalog", "Figure"):
        assert f"<code>{name}</code>" in api, name


def test_a_syntax_example_inside_a_longer_fence_stays_text(site: Path) -> None:
    howto = (site / "howto" / "index.html").read_text()
    assert "```archviz model=deepseek-v3 highlight=moe panels=ffns.moe" in howto
    assert howto.count('class="archviz-figure"') == 1


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_examples_in_the_docs_run(page: Path) -> None:
    result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def _commands() -> list[tuple[str, str]]:
    return [(p.name, c) for p in PAGES for c in re.findall(r"^\$ (archviz .+)$", p.read_text(), flags=re.M)]


@pytest.mark.parametrize(("page", "command"), _commands())
def test_commands_in_the_docs_run(page: str, command: str, tmp_path: Path) -> None:
    args = [a.replace("output/", f"{tmp_path}/") for a in shlex.split(command)[1:]]
    env = {**os.environ, "COLUMNS": "200", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = subprocess.run(
        [sys.executable, "-m", "archviz.cli", *args], cwd=ROOT, capture_output=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.strip()
