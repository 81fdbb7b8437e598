"""Stage 1: the spec format (pydantic models), loading it, and locating errors.

Names are imported on first use (PEP 562): finding a spec file in a catalog needs no pydantic,
so the command line can answer a cached render without building the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archviz.spec.catalog import BUILTIN, Catalog, catalog_ids, load, load_all, spec_dir
    from archviz.spec.loader import Spec, load_file, parse, validate
    from archviz.spec.models import ModelSpec

_EXPORTS = {
    "BUILTIN": "archviz.spec.catalog",
    "Catalog": "archviz.spec.catalog",
    "catalog_ids": "archviz.spec.catalog",
    "load": "archviz.spec.catalog",
    "load_all": "archviz.spec.catalog",
    "spec_dir": "archviz.spec.catalog",
    "Spec": "archviz.spec.loader",
    "load_file": "archviz.spec.loader",
    "parse": "archviz.spec.loader",
    "validate": "archviz.spec.loader",
    "ModelSpec": "archviz.spec.models",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'archviz.spec' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "BUILTIN",
    "Catalog",
    "ModelSpec",
    "Spec",
    "catalog_ids",
    "load",
    "load_all",
    "load_file",
    "parse",
    "spec_dir",
    "validate",
]
