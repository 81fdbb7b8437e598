"""Stage 1: the spec format (pydantic models), loading it, and locating errors."""

from archviz.spec.catalog import BUILTIN, Catalog, catalog_ids, load, load_all, spec_dir
from archviz.spec.loader import Spec, load_file, parse, validate
from archviz.spec.models import ModelSpec

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
