"""The README's examples work as written: Python doctests and every `$ archviz` command."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def test_python_examples() -> None:
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 5 and result.failed == 0


def _commands() -> list[str]:
    return re.findall(r"^\$ (archviz .+)$", README.read_text(), flags=re.M)


@pytest.mark.parametrize("command", _commands())
def test_cli_examples(command: str, tmp_path: Path) -> None:
    args = [a.replace("output/", f"{tmp_path}/") for a in shlex.split(command)[1:]]  # keep output/ clean
    into = None
    if ">" in args:  # `... > FILE`: standard output into a file
        args, into = args[: args.index(">")], Path(args[args.index(">") + 1])
    env = {**os.environ, "COLUMNS": "200"}
    r = subprocess.run(
        [sys.executable, "-m", "archviz.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
    if into is not None:
        into.write_text(r.stdout)
        assert into.read_text().startswith("<?xml")


def test_module_docstring_example() -> None:
    import archviz

    assert doctest.testmod(archviz).failed == 0


def test_the_example_spec_is_complete_and_valid() -> None:
    """The README's spec example validates as written, with no warning (it is what people copy)."""
    from archviz.facts.checks import warnings
    from archviz.spec import parse

    block = re.search(r"```yaml\n(.*?)```", README.read_text(), flags=re.S)
    assert block, "the README shows a spec"
    spec = parse(block.group(1), file="README.md", id="llama-3-8b")
    assert spec.model.num_layers == 32 and warnings(spec) == []
