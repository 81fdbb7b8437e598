"""The command line: outputs, and clean errors with exit code 2 and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from markdown_checks import assert_inert


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archviz.cli", *args], capture_output=True, text=True, timeout=120)


def test_facts_json_deepseek() -> None:
    r = run("facts", "deepseek-v3", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["id"] == "deepseek-v3"
    assert d["kv_cache_bytes_per_token"] == 70272
    assert d["layers"] == 61 and d["layer_mix"] == "3 dense + 58 MoE FFN"
    assert 660e9 < d["params_total"] < 680e9 and 36e9 < d["params_active"] < 38.5e9


def test_list_json() -> None:
    r = run("list", "--json")
    ids = [m["id"] for m in json.loads(r.stdout)]
    assert "llama-3-8b" in ids and ids == sorted(ids)


@pytest.mark.parametrize("form", ["table", "csv", "json"])
def test_facts_all(form: str) -> None:
    r = run("facts", "--all", "--format", form, "--sort", "date")
    assert r.returncode == 0, r.stderr
    if form == "csv":
        rows = r.stdout.strip().splitlines()
        assert rows[0].startswith("id,name,date") and len(rows) > 40
    if form == "json":
        data = json.loads(r.stdout)
        dates = [d["release_date"] for d in data]
        assert dates == sorted(dates)


def test_validate_catalog() -> None:
    r = run("validate")
    assert r.returncode == 0 and "valid" in r.stdout


def test_schema_is_json() -> None:
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "archviz model spec" and "layers" in schema["properties"]


def test_render(tmp_path: Path) -> None:
    out = tmp_path / "m.png"
    r = run("render", "llama-3.2-1b", "-o", str(out), "--dpi", "48", "--theme", "print")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("edit", "expect"),
    [
        (("kv_heads: 2", "kv_heads: 8"), ":26: mixers.attn.kv_heads: kv_heads (8) exceeds heads (4)"),
        (("repeat: 2", "repeat: 0"), "layers.0.repeat"),
        (("hidden: 256", "hiden: 256"), "did you mean 'hidden'"),
        (("hidden_size: 64", "hidden_size: [64"), "YAML syntax error"),
    ],
)
def test_bad_spec_exits_cleanly(tmp_path: Path, minimal_text: str, edit: tuple[str, str], expect: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace(*edit))
    for args in (("validate", str(bad)), ("facts", str(bad)), ("render", str(bad), "-o", str(tmp_path / "x.svg"))):
        r = run(*args)
        assert r.returncode == 2
        assert "Traceback" not in r.stderr
        assert str(bad) in r.stderr and expect in r.stderr
    assert not (tmp_path / "x.svg").exists()


def test_unknown_model_suggests() -> None:
    r = run("facts", "llama-3-8")
    assert r.returncode == 2 and "did you mean 'llama-3-8b'" in r.stderr and "Traceback" not in r.stderr


HF = Path(__file__).resolve().parent / "data" / "hf"


def test_import_hf_writes_a_spec_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "specs" / "my-mixtral.yaml"
    r = run("import-hf", str(HF / "mixtral-8x7b.json"), "--id", "my-mixtral", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/spec.schema.json")
    r = run("facts", str(out), "--json")
    data = json.loads(r.stdout)
    assert data["id"] == "my-mixtral" and data["published_total"] is None
    assert abs(data["params_total"] - 46.7e9) / 46.7e9 < 0.02


def test_config_json_and_folder_work_directly(tmp_path: Path) -> None:
    folder = tmp_path / "qwen3-8b"
    folder.mkdir()
    (folder / "config.json").write_text((HF / "qwen3-8b.json").read_text())
    r = run("facts", str(folder), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["kv_cache_bytes_per_token"] == 144 * 1024
    out = tmp_path / "g.svg"
    r = run("render", str(HF / "gemma-3-27b.json"), "-o", str(out))
    assert r.returncode == 0 and out.read_text().startswith("<?xml")


def test_unsupported_config_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "config.json"
    bad.write_text('{"model_type": "bert", "hidden_size": 768}')
    r = run("render", str(bad), "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "model_type 'bert' is a bidirectional encoder" in r.stderr and "decoder-only" in r.stderr
    assert not (tmp_path / "x.svg").exists()


def test_facts_at_a_context_length() -> None:
    r = run("facts", "gemma-3-27b", "--context", "131072", "--json")
    d = json.loads(r.stdout)
    per_layer = 2 * 16 * 128 * 2  # K and V, 16 KV heads of 128, bf16
    assert d["kv_cache_bytes_at_context"] == per_layer * (10 * 131072 + 52 * 1024)
    assert d["dtype"] == "bf16" and d["kv_cache_context"] == 131072
    r = run("facts", "gemma-3-27b", "--dtype", "int3")
    assert r.returncode == 2 and "unknown dtype" in r.stderr


def test_diff_markdown_escapes_spec_text(hostile_spec: Path) -> None:
    r = run("diff", str(hostile_spec), "llama-3-8b", "--format", "markdown")
    assert r.returncode == 0, r.stderr
    assert "| KV heads |" in r.stdout
    assert_inert(r.stdout, columns=3, strong=1)


def test_render_to_standard_output(tmp_path: Path) -> None:
    """`-o -` writes the figure to standard output (SVG, or --format png/pdf), byte for byte what
    a file would get, and nothing else."""
    svg = subprocess.run(
        [sys.executable, "-m", "archviz.cli", "render", "llama-3-8b", "-o", "-"], capture_output=True, timeout=120
    )
    assert svg.returncode == 0 and svg.stderr == b""
    r = run("render", "llama-3-8b", "-o", str(tmp_path / "x.svg"), "--no-cache")
    assert r.returncode == 0, r.stderr
    assert svg.stdout == (tmp_path / "x.svg").read_bytes()
    pdf = subprocess.run(
        [sys.executable, "-m", "archviz.cli", "render", "llama-3-8b", "-o", "-", "--format", "pdf"],
        capture_output=True,
        timeout=120,
    )
    assert pdf.returncode == 0 and pdf.stdout.startswith(b"%PDF")


def test_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    import archviz

    assert archviz.__version__ == version("archviz")
    assert archviz.__version__ in run("--version").stdout


def test_render_help_names_every_input() -> None:
    text = run("render", "--help").stdout
    for kind in ("catalog id", "spec file", "config.json", "folder", "standard output"):
        assert kind in text, kind
