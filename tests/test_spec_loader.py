"""Loading specs: valid ones load, bad ones raise SpecError naming file, line and field."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archviz.errors import SpecError
from archviz.spec import parse, validate
from archviz.spec.loader import load_file


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _problem(text: str) -> tuple[int | None, str | None, str]:
    with pytest.raises(SpecError) as info:
        parse(text, file="bad.yaml")
    p = info.value.problems[0]
    assert p.file == "bad.yaml"
    return p.line, p.field, p.message


def test_minimal_spec_loads(minimal_text: str) -> None:
    spec = parse(minimal_text, file="tiny.yaml", id="tiny")
    assert spec.id == "tiny"
    assert spec.model.num_layers == 2
    assert spec.model.params.total == 1_000_000


def test_unknown_key_names_line_field_and_suggests(minimal_text: str) -> None:
    text = minimal_text.replace("    kv_heads: 2", "    kv_head: 2")
    line, field, msg = _problem(text)
    assert (line, field) == (line_of(text, "kv_head:"), "mixers.attn.kv_head")
    assert "did you mean 'kv_heads'" in msg


def test_top_level_typo_is_suggested(minimal_text: str) -> None:
    text = minimal_text.replace("vocab_size:", "vocab_sise:")
    line, field, msg = _problem(text)
    assert field == "vocab_sise" and line == line_of(text, "vocab_sise") and "vocab_size" in msg


def test_wrong_type_is_located(minimal_text: str) -> None:
    line, field, msg = _problem(minimal_text.replace("hidden: 256", "hidden: big"))
    assert (line, field) == (line_of(minimal_text, "hidden: 256"), "ffns.mlp.hidden")
    assert "'big'" in msg


def test_zero_layers_rejected(minimal_text: str) -> None:
    line, field, _ = _problem(minimal_text.replace("repeat: 2", "repeat: 0"))
    assert (line, field) == (line_of(minimal_text, "repeat: 2"), "layers.0.repeat")


def test_empty_stack_rejected(minimal_text: str) -> None:
    text = minimal_text[: minimal_text.index("layers:")] + "layers: []\n"
    _, field, _ = _problem(text)
    assert field == "layers"


def test_more_kv_heads_than_heads_rejected(minimal_text: str) -> None:
    line, field, msg = _problem(minimal_text.replace("kv_heads: 2", "kv_heads: 8"))
    assert (line, field) == (line_of(minimal_text, "kv_heads: 2"), "mixers.attn.kv_heads")
    assert "exceeds heads" in msg


def test_unknown_block_reference_rejected(minimal_text: str) -> None:
    line, field, msg = _problem(minimal_text.replace("{mixer: attn,", "{mixer: atn,"))
    assert field == "layers.0.blocks.0.mixer" and line == line_of(minimal_text, "{mixer: attn,")
    assert "did you mean 'attn'" in msg


def test_decoder_type_must_match_stack(minimal_text: str) -> None:
    _, field, msg = _problem(minimal_text.replace("decoder_type: dense", "decoder_type: moe"))
    assert field == "decoder_type" and "'dense'" in msg


def test_yaml_syntax_error_has_line(minimal_text: str) -> None:
    line, _, msg = _problem(minimal_text.replace("hidden_size: 64", "hidden_size: [64"))
    assert line is not None and "YAML" in msg


def test_duplicate_key_rejected(minimal_text: str) -> None:
    text = minimal_text + "hidden_size: 128\n"
    line, field, msg = _problem(text)
    assert "duplicate key" in msg and field == "hidden_size" and line == len(text.splitlines())


def test_missing_field_named(minimal_text: str) -> None:
    _, field, msg = _problem(minimal_text.replace("license: MIT\n", ""))
    assert field == "license" and "missing" in msg


def test_not_a_mapping() -> None:
    with pytest.raises(SpecError, match="mapping"):
        parse("- a\n- b\n", file="list.yaml")


def test_missing_file(tmp_path: Any) -> None:
    with pytest.raises(SpecError, match="no such file"):
        load_file(tmp_path / "nope.yaml")


def test_counts_accept_suffixes(minimal_data: dict) -> None:
    for text, value in (("8.03B", 8_030_000_000), ("1T", 10**12), ("270M", 270_000_000), (12345, 12345)):
        data = copy.deepcopy(minimal_data)
        data["params"]["total"] = text
        assert validate(data).model.params.total == value


# --- property tests: any input either loads or raises SpecError, never anything else ---------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=8),
)
values = st.recursive(
    scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3), max_leaves=8
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _set(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    data[path[0]] = _set(data[path[0]], path[1:], value)
    return data


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_mutated_specs_load_or_raise_spec_error(minimal_data: dict, data: st.DataObject) -> None:
    spec = copy.deepcopy(minimal_data)
    paths = _paths(spec)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        try:
            if action == "replace":
                spec = _set(spec, path, data.draw(values))
            elif action == "delete" and path:
                parent = spec
                for p in path[:-1]:
                    parent = parent[p]
                del parent[path[-1]]
            elif action == "add":
                target = spec
                for p in path:
                    target = target[p]
                if isinstance(target, dict):
                    target[data.draw(st.text(max_size=8))] = data.draw(values)
        except (KeyError, IndexError, TypeError):
            pass  # the mutation no longer applies after an earlier one
        paths = _paths(spec)
    text = yaml.safe_dump(spec)
    try:
        parse(text, file="mutated.yaml")
    except SpecError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_random_text_loads_or_raises_spec_error(text: str) -> None:
    with contextlib.suppress(SpecError):
        parse(text, file="random.yaml")


def test_absurd_layer_counts_are_rejected_quickly(minimal_text: str) -> None:
    _, field, msg = _problem(minimal_text.replace("repeat: 2", "repeat: 1000000000"))
    assert field == "layers.0.repeat" and "4096" in msg
    text = minimal_text.replace("repeat: 2", "repeat: 4000").replace(
        "{mixer: attn, ffn: mlp}", "{mixer: attn, ffn: mlp, count: 2}"
    )
    _, field, msg = _problem(text)
    assert field == "layers" and "not a real model" in msg
