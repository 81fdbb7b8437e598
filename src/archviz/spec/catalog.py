"""The bundled catalog of specs, and resolving 'an id or a path' to a Spec."""

from __future__ import annotations

import functools
from pathlib import Path

from archviz.errors import Problem, SpecError
from archviz.spec.base import did_you_mean
from archviz.spec.loader import Spec, load_file


def spec_dir() -> Path:
    """Where the catalog lives: inside the installed package, or specs/ in a source checkout."""
    pkg = Path(__file__).resolve().parent.parent
    for candidate in (pkg / "specs", pkg.parent.parent / "specs"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise SpecError("the spec catalog is missing from this installation")


def catalog_ids() -> list[str]:
    """Ids of every bundled spec, sorted."""
    return sorted(p.stem for p in spec_dir().glob("*.yaml"))


@functools.cache
def _load_catalog(id: str) -> Spec:
    return load_file(spec_dir() / f"{id}.yaml")


def load(ref: str | Path | Spec) -> Spec:
    """A spec from a catalog id ('llama-3-8b'), a path to a YAML spec, or a Spec (returned as is)."""
    if isinstance(ref, Spec):
        return ref
    text = str(ref)
    path = Path(text)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        return load_file(path)
    ids = catalog_ids()
    if text in ids:
        return _load_catalog(text)
    raise SpecError(
        [
            Problem(
                f"no model '{text}' in the catalog{did_you_mean(text, ids)}; "
                "give a catalog id (see 'archviz list') or a path to a spec file"
            )
        ]
    )


def load_all() -> list[Spec]:
    """Every catalog spec, sorted by id."""
    return [_load_catalog(i) for i in catalog_ids()]
