"""What transformers' configuration classes say about each model type, from a generated table.

`transformers.json` is written by tools/hf_defaults.py from an installed transformers (never by
hand): per model type, each field's default, the family's attribute map (its own names for the
generic keys) and, for a multimodal configuration, the model type of its text part. archviz reads
a config.json with these, as transformers would, without depending on transformers.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

TABLE = Path(__file__).resolve().parent / "transformers.json"


@functools.cache
def _table() -> dict[str, Any]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def version() -> str:
    """The transformers version the table was generated from."""
    return str(_table()["transformers"])


def known(model_type: str) -> bool:
    return model_type in _table()["types"]


def text_type(model_type: str) -> str | None:
    """The model type of a multimodal configuration's text part (None for a text model)."""
    return _table()["types"].get(model_type, {}).get("text_config")


def role(model_type: str) -> str | None:
    """'encoder' or 'encoder-decoder' for a type that is no decoder-only language model."""
    value = _table()["types"].get(model_type, {}).get("role")
    return str(value) if value else None


def defaults(model_type: str) -> dict[str, Any]:
    """Each field's default for `model_type` (empty when transformers does not know it)."""
    return dict(_table()["types"].get(model_type, {}).get("defaults", {}))


def attribute_map(model_type: str) -> dict[str, str]:
    """Generic key -> the name `model_type`'s configuration stores it under."""
    return dict(_table()["types"].get(model_type, {}).get("attribute_map", {}))
