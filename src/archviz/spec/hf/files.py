"""Reading a config.json from disk, so the importer can name the file in every error and pick an id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archviz.errors import Problem, SpecError
from archviz.spec.hf.build import Metadata, ParamCounter, spec_dict_from_config
from archviz.spec.limits import LIMITS, check_values, read_text
from archviz.spec.loader import Spec, slug, validate


def read_config(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a config.json (or a folder holding one) into a mapping."""
    file = path / "config.json" if path.is_dir() else path
    if path.is_dir() and not file.exists():
        raise SpecError([Problem("no config.json in this folder", str(file))])
    text = read_text(file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError([Problem(f"not valid JSON: {exc.msg} (column {exc.colno})", str(file), exc.lineno)]) from None
    except RecursionError:
        raise SpecError([Problem(f"the JSON nests deeper than {LIMITS.depth} levels", str(file))]) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise SpecError([Problem(f"not valid JSON: {str(exc).split(';')[0]}", str(file))]) from None
    if not isinstance(data, dict):
        raise SpecError([Problem("a config.json must be a JSON object of keys to values", str(file), 1)])
    check_values(data, str(file), lambda path: None)
    return data, str(file)


def _default_id(file: Path) -> str:
    """A model id from the file name, or from the folder name for a file called config.json."""
    stem = file.parent.name if file.name == "config.json" else file.stem
    return slug(stem) or "imported-model"


def import_config(
    path: str | Path,
    *,
    count_params: ParamCounter,
    id: str | None = None,
    source: str | None = None,
    meta: Metadata | None = None,
) -> tuple[dict[str, Any], str, str]:
    """Read a config.json file (or a folder holding one): (spec mapping, its id, the file read).

    `source` is recorded as where the hyperparameters come from (default: the file's path)."""
    data, file = read_config(Path(path))
    spec_id = id or _default_id(Path(file))
    spec_dict = spec_dict_from_config(
        data, source=source or file, id=spec_id, count_params=count_params, file=file, meta=meta
    )
    return spec_dict, spec_id, file


def load_hf(
    path: str | Path,
    *,
    count_params: ParamCounter,
    source: str | None = None,
    id: str | None = None,
    meta: Metadata | None = None,
) -> Spec:
    """Import a config.json file (or a folder holding config.json) as a validated spec."""
    spec_dict, spec_id, file = import_config(path, count_params=count_params, source=source, id=id, meta=meta)
    return validate(spec_dict, file=file, id=spec_id)
