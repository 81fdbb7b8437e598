"""archviz: turn LLM architecture specs into facts and publication-quality diagrams.

>>> import archviz
>>> spec = archviz.load("llama-3-8b")
>>> archviz.facts(spec).kv_cache_bytes_per_token
131072.0
"""

from __future__ import annotations

from archviz.errors import ArchvizError, SpecError
from archviz.facts import Facts
from archviz.facts import facts as _facts
from archviz.products import Figure, ModelDiff, Poster, diff, draw, import_hf, poster
from archviz.products import resolve as load
from archviz.spec import Catalog, ModelSpec, Spec, catalog_ids, load_all


def facts(model: str | Spec, dtype: str = "bf16") -> Facts:
    """The derived facts of a model: a catalog id, a spec or config.json path, or a loaded Spec."""
    return _facts(load(model), dtype)


def list_models() -> list[str]:
    """Ids of every model in the bundled catalog."""
    return catalog_ids()


__all__ = [
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
