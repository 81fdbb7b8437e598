"""The strict base model every spec section derives from: unknown keys fail with a hint."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError


def did_you_mean(word: str, choices: list[str]) -> str:
    """A ' (did you mean 'x'?)' suffix naming the closest choice, or ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Strict(BaseModel):
    """Frozen, documented, and strict about keys, so a typo never passes silently."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = set(cls.model_fields)
            for key in data:
                if not isinstance(key, str) or key not in known:
                    hint = did_you_mean(str(key), sorted(known))
                    raise PydanticCustomError(
                        "unknown_key",
                        "unknown key '{key}'{hint}",
                        {"key": str(key), "hint": hint},
                    )
        return data
