"""Hugging Face Hub ids: only config.json (and the model card) is fetched through huggingface_hub,
whose cache and offline mode are honoured. These tests never reach the network: each builds a
local Hub cache (the layout huggingface_hub writes) and runs with HF_HUB_OFFLINE=1, in a fresh
process, since huggingface_hub reads its settings when it is imported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data" / "hf"
REVISION = "0123456789abcdef0123456789abcdef01234567"
CARD = "---\nlicense: apache-2.0\nbase_model:\n- meta-llama/Meta-Llama-3-8B\n---\n# A fine-tune\n"


def _cache(root: Path, repo: str, config: Path | None, card: str | None = CARD) -> None:
    """One repository in huggingface_hub's cache layout: refs/main names a snapshot folder."""
    folder = root / ("models--" + repo.replace("/", "--"))
    snapshot = folder / "snapshots" / REVISION
    snapshot.mkdir(parents=True)
    (folder / "refs").mkdir()
    (folder / "refs" / "main").write_text(REVISION)
    if config is not None:
        shutil.copy(config, snapshot / "config.json")
    if card is not None:
        (snapshot / "README.md").write_text(card)


@pytest.fixture
def hub(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "hub"
    _cache(root, "Acme/Llama-Tune-8B", DATA / "llama-3-8b.json")
    _cache(root, "Acme/Tiny-30B", DATA / "llama-3-8b.json", card=None)  # its name says 30B; it counts 8B
    return {
        **os.environ,
        "HF_HUB_CACHE": str(root),
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archviz.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_a_hub_id_imports_with_the_repository_and_card_metadata(hub: dict[str, str]) -> None:
    r = _run(hub, "import-hf", "Acme/Llama-Tune-8B")
    assert r.returncode == 0, r.stderr
    assert "name: Llama-Tune-8B\norganization: Acme\n" in r.stdout
    assert "license: apache-2.0" in r.stdout
    assert "based_on:\n  - llama-3-8b" in r.stdout, "the card's base model, matched to the catalog's id"
    assert "https://huggingface.co/Acme/Llama-Tune-8B/blob/main/config.json" in r.stdout
    assert "warning" not in r.stderr


def test_render_facts_and_diff_take_a_hub_id(hub: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    r = _run(hub, "render", "Acme/Llama-Tune-8B", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "Llama-Tune-8B" in out.read_text()
    r = _run(hub, "facts", "Acme/Llama-Tune-8B", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["kv_cache_bytes_per_token"] == 131072
    r = _run(hub, "diff", "Acme/Llama-Tune-8B", "llama-3-8b")
    assert r.returncode == 0, r.stderr
    code = "import archviz; print(archviz.load('Acme/Llama-Tune-8B').model.organization)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=hub, timeout=120)
    assert r.stdout.strip() == "Acme", r.stderr


def test_a_repository_that_is_not_there_is_a_clear_error(hub: dict[str, str], tmp_path: Path) -> None:
    r = _run(hub, "render", "Acme/Missing-Model", "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "Acme/Missing-Model's config.json is not in the Hugging Face cache" in r.stderr
    assert "HF_HUB_OFFLINE" in r.stderr and not (tmp_path / "x.svg").exists()


def test_a_local_folder_wins_over_a_hub_id(hub: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "Acme" / "Local"
    folder.mkdir(parents=True)
    shutil.copy(DATA / "qwen3-8b.json", folder / "config.json")
    r = subprocess.run(
        [sys.executable, "-m", "archviz.cli", "facts", "Acme/Local", "--json"],
        capture_output=True, text=True, env=hub, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["layers"] == 36


def test_the_name_and_the_count_are_compared(hub: dict[str, str]) -> None:
    r = _run(hub, "import-hf", "Acme/Tiny-30B")
    assert r.returncode == 0, r.stderr
    assert "warning: params.total: the name says 30B total parameters, but the config counts 8.03B" in r.stderr


def test_import_hf_takes_the_metadata_a_config_lacks(tmp_path: Path) -> None:
    out = tmp_path / "mixtral.yaml"
    args = ["import-hf", str(DATA / "mixtral-8x7b.json"), "--id", "mixtral-8x7b", "--name", "Mixtral 8x7B"]
    args += ["--org", "Mistral AI", "--date", "2023-12-11", "--license", "Apache 2.0"]
    args += ["--published", "46.7B/12.9B", "--source", "https://mistral.ai/news/mixtral-of-experts", "-o", str(out)]
    r = _run(dict(os.environ), *args)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    for line in ("name: Mixtral 8x7B", "organization: Mistral AI", "release_date: 2023-12-11", "license: Apache 2.0"):
        assert line in text
    assert "total: 46.7B" in text and "active: 12.9B" in text and "computed" not in text
    assert "undisclosed" not in text, "everything the config lacked was given"
    from archviz.spec import load_file

    spec = load_file(out)
    assert spec.model.params.total == 46_700_000_000 and spec.model.release_date.isoformat() == "2023-12-11"
    r = _run(dict(os.environ), "import-hf", str(DATA / "mixtral-8x7b.json"), "--date", "11/12/2023")
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr


def test_as_maps_an_unknown_type_and_says_what_it_could_not_check(tmp_path: Path) -> None:
    data = {**json.loads((DATA / "llama-3-8b.json").read_text()), "model_type": "acme_llm", "acme_gate": True}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    r = _run(dict(os.environ), "import-hf", str(path))
    assert r.returncode == 2 and "unsupported model_type 'acme_llm'" in r.stderr
    r = _run(dict(os.environ), "import-hf", str(path), "--as", "llama")
    assert r.returncode == 0, r.stderr
    assert "warning: model_type 'acme_llm' read as 'llama'" in r.stderr and "acme_gate" in r.stderr
    r = _run(dict(os.environ), "import-hf", str(path), "--as", "nope")
    assert r.returncode == 2 and "--as nope: not a model_type archviz reads" in r.stderr
