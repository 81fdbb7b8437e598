"""Resolving what a user names, a catalog id, a spec file or a Hugging Face config.json, to a Spec.

Importing a config needs the parameter count (a config has no published figure), which lives in
the facts stage, so the dispatch happens here rather than in the spec stage.
"""

from __future__ import annotations

from pathlib import Path

from archviz.facts.params import breakdown
from archviz.spec import BUILTIN, Catalog, Spec
from archviz.spec.hf import import_config, load_hf, spec_yaml
from archviz.spec.loader import validate
from archviz.spec.models import ModelSpec


def _count(model: ModelSpec) -> int:
    return breakdown(model).total


def is_hf_config(ref: str | Path) -> bool:
    """A path to a .json file, or to a folder that holds config.json."""
    p = Path(ref)
    return p.suffix.lower() == ".json" or (p.is_dir() and (p / "config.json").is_file())


def resolve(ref: str | Path | Spec, catalog: Catalog = BUILTIN) -> Spec:
    """A Spec from an id in `catalog`, a spec YAML file, a config.json (or its folder), or a Spec."""
    if isinstance(ref, Spec):
        return ref
    if is_hf_config(ref):
        return load_hf(ref, count_params=_count)
    return catalog.load(ref)


def import_hf(path: str | Path, id: str | None = None) -> tuple[Spec, str]:
    """Import a config.json as (validated spec, its YAML text with the schema line)."""
    spec_dict, spec_id, file = import_config(path, count_params=_count, id=id)
    return validate(spec_dict, file=file, id=spec_id), spec_yaml(spec_dict)
