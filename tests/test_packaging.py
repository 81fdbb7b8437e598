"""The catalog and fonts ship inside the wheel; every spec is tidy; the schema file is current."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from archviz.cli import main  # noqa: F401  (the entry point imports)
from archviz.spec import catalog_ids, load
from archviz.spec.models import json_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/spec.schema.json"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (whl,) = out.glob("archviz-*.whl")
    return whl


def test_wheel_contains_specs_and_fonts(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    specs = {Path(n).stem for n in names if n.startswith("archviz/specs/") and n.endswith(".yaml")}
    assert specs == set(catalog_ids())
    assert "archviz/data/fonts/DejaVuSans.ttf" in names
    assert "archviz/data/fonts/LICENSE-DejaVu.txt" in names
    assert {"archviz/data/site/app.js", "archviz/data/site/site.css"} <= set(names)
    assert any(n.startswith("archviz/spec/hf/") for n in names)


def test_installed_wheel_loads_catalog(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    code = (
        "import archviz, archviz.spec as s; print(archviz.__file__); print(s.spec_dir()); "
        "print(archviz.facts('llama-3-8b').kv_cache_bytes_per_token)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    module, specs, kv = r.stdout.split()
    assert module.startswith(str(target)) and specs.startswith(str(target)) and kv == "131072.0"


@pytest.mark.parametrize("model_id", catalog_ids())
def test_spec_is_tidy(model_id: str) -> None:
    path = ROOT / "specs" / f"{model_id}.yaml"
    text = path.read_text()
    assert text.splitlines()[0] == SCHEMA_LINE
    assert model_id == model_id.lower()
    m = load(model_id).model
    assert m.sources and all(s.url.startswith(("http://", "https://")) for s in m.sources if "://" in s.url)
    assert m.license and m.release_date.year >= 2019
    ids = set(catalog_ids())
    assert set(m.based_on) <= ids, f"based_on names models outside the catalog: {set(m.based_on) - ids}"
    assert model_id not in m.based_on
    assert isinstance(yaml.safe_load(text), dict)


def test_schema_file_is_current() -> None:
    on_disk = json.loads((ROOT / "schema" / "spec.schema.json").read_text())
    assert on_disk == json_schema(), "run `make schema` to refresh schema/spec.schema.json"


def test_the_public_names_are_all_exported() -> None:
    """`__all__` lists exactly the lazily imported names and the two functions, and each resolves."""
    import archviz

    assert set(archviz.__all__) == {*archviz._EXPORTS, "facts", "list_models"}
    for name in archviz.__all__:
        assert getattr(archviz, name) is not None, name


def test_help_and_import_do_not_load_the_heavy_stages() -> None:
    """`archviz --help` imports neither pydantic, the layout engines nor cairo."""
    import subprocess
    import sys

    code = (
        "import sys; from archviz.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'archviz.layout', 'cairosvg', 'rich', 'yaml') if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout + r.stderr


def test_archviz_facts_stays_the_function_after_the_subpackage_loads() -> None:
    import importlib

    import archviz

    importlib.import_module("archviz.facts.summary")
    assert callable(archviz.facts) and archviz.facts("llama-3-8b").kv_cache_bytes_per_token == 131072
