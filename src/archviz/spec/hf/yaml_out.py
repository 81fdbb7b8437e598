"""Writing an imported spec as YAML laid out like the hand-written specs, so it can join the catalog."""

from __future__ import annotations

from typing import Any

import yaml

KEY_ORDER = (
    "name",
    "organization",
    "release_date",
    "license",
    "decoder_type",
    "key_detail",
    "based_on",
    "accent",
    "links",
    "sources",
    "params",
    "context_length",
    "vocab_size",
    "hidden_size",
    "tie_embeddings",
    "positions",
    "learned_positions",
    "rope",
    "dropout",
    "norm",
    "mixers",
    "ffns",
    "layers",
    "mtp",
    "undisclosed",
    "notes",
)
"""Top-level keys in the order of the hand-written specs."""
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/spec.schema.json"


class _Flow(dict[str, Any]):
    """A mapping written on one line, as the catalog writes layer blocks."""


class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences, like the hand-written specs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    """{mixer: attn, ffn: mlp} on one line."""
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _represent_float(dumper: yaml.SafeDumper, data: float) -> yaml.Node:
    """Whole floats as integers (theta: 500000, factor: 8), others as floats."""
    if data.is_integer() and abs(data) < 1e15:
        return dumper.represent_int(int(data))
    return dumper.represent_float(data)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(float, _represent_float)


def _for_yaml(spec: dict[str, Any]) -> dict[str, Any]:
    """Keys in catalog order; layer blocks and includes_other as one-line mappings."""
    out = {k: spec[k] for k in KEY_ORDER if k in spec}
    out.update({k: v for k, v in spec.items() if k not in out})
    if "layers" in out:
        out["layers"] = [{**g, "blocks": [_Flow(b) for b in g["blocks"]]} for g in out["layers"]]
    params = out.get("params")
    if isinstance(params, dict) and params.get("includes_other"):
        out["params"] = {**params, "includes_other": _Flow(params["includes_other"])}
    return out


def spec_yaml(spec_dict: dict[str, Any]) -> str:
    """YAML text of a spec mapping: the schema line, a comment naming the source, then the keys in
    the order of specs/*.yaml."""
    sources = spec_dict.get("sources") or [{}]
    source = (spec_dict.get("links") or {}).get("config") or sources[0].get("url", "an unknown source")
    header = f"{SCHEMA_LINE}\n# Imported by archviz from {source}; check every value against it.\n"
    body = yaml.dump(_for_yaml(spec_dict), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body
