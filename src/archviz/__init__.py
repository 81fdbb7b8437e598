"""archviz: turn LLM architecture specs into facts and publication-quality diagrams.

>>> import archviz
>>> spec = archviz.load("llama-3-8b")
>>> archviz.facts(spec).kv_cache_bytes_per_token
131072.0

The names below are imported on first use (PEP 562), so `import archviz` and the command line
start quickly and load pydantic, the layout engines or cairo only when they are needed.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archviz.errors import ArchvizError, SpecError
    from archviz.facts import Facts
    from archviz.products import Figure, ModelDiff, Poster, draw, import_hf
    from archviz.products import resolve as load
    from archviz.products.diff import diff
    from archviz.products.poster import poster
    from archviz.spec import Catalog, ModelSpec, Spec, load_all

_EXPORTS = {
    "ArchvizError": ("archviz.errors", "ArchvizError"),
    "SpecError": ("archviz.errors", "SpecError"),
    "Facts": ("archviz.facts", "Facts"),
    "Figure": ("archviz.products", "Figure"),
    "ModelDiff": ("archviz.products", "ModelDiff"),
    "Poster": ("archviz.products", "Poster"),
    "diff": ("archviz.products", "diff"),
    "draw": ("archviz.products", "draw"),
    "import_hf": ("archviz.products", "import_hf"),
    "poster": ("archviz.products", "poster"),
    "load": ("archviz.products", "resolve"),
    "Catalog": ("archviz.spec", "Catalog"),
    "ModelSpec": ("archviz.spec", "ModelSpec"),
    "Spec": ("archviz.spec", "Spec"),
    "load_all": ("archviz.spec", "load_all"),
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        globals()[name] = version("archviz")
        return globals()[name]
    if name not in _EXPORTS:
        raise AttributeError(f"module 'archviz' has no attribute {name!r}")
    module, attr = _EXPORTS[name]
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value  # later lookups skip this function
    return value


class _Package(types.ModuleType):
    """Keeps `archviz.facts` the function below: importing the subpackage `archviz.facts` (which
    happens lazily now) would otherwise set the package's attribute to the module."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "facts" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def facts(model: str | Spec, dtype: str = "bf16") -> Facts:
    """The derived facts of a model: a catalog id, a spec or config.json path, or a loaded Spec."""
    from archviz.facts import facts as _facts
    from archviz.products import resolve

    return _facts(resolve(model), dtype)


def list_models() -> list[str]:
    """Ids of every model in the bundled catalog."""
    from archviz.spec import catalog_ids

    return catalog_ids()


__all__ = [  # the same names as _EXPORTS, written out so tools see them
    "ArchvizError",
    "Catalog",
    "Facts",
    "Figure",
    "ModelDiff",
    "ModelSpec",
    "Poster",
    "Spec",
    "SpecError",
    "diff",
    "draw",
    "facts",
    "import_hf",
    "list_models",
    "load",
    "load_all",
    "poster",
]
