"""Catalogs of specs: the bundled one, folders of the user's own, and resolving 'an id or a path'.

A Catalog is the set of specs that multi-model products (list, facts --all, poster, lineage,
gallery, render --all) draw from: the bundled specs unless `builtin=False`, plus any folders of
YAML specs. A spec's id is its file name, so ids must be unique across the folders.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archviz.errors import Problem, SpecError

if TYPE_CHECKING:  # finding files needs no pydantic; loading imports it (inside the functions)
    from archviz.spec.loader import Spec


def spec_dir() -> Path:
    """Where the bundled catalog lives: inside the installed package, or specs/ in a checkout."""
    pkg = Path(__file__).resolve().parent.parent
    for candidate in (pkg / "specs", pkg.parent.parent / "specs"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise SpecError("the spec catalog is missing from this installation")


@functools.cache
def _load_cached(path: Path, stamp: tuple[int, int]) -> Spec:
    """Specs are cached per file and version of it (mtime, size), so an edited file is re-read."""
    from archviz.spec.loader import load_file

    return load_file(path)


def _load(path: Path) -> Spec:
    from archviz.spec.loader import load_file

    try:
        info = path.stat()
    except OSError:
        return load_file(path)  # reports the missing or unreadable file in the usual way
    return _load_cached(path, (info.st_mtime_ns, info.st_size))


@dataclass(frozen=True)
class Catalog:
    """The bundled specs (unless `builtin` is false) and the specs in `folders`, by id."""

    folders: tuple[Path, ...]
    builtin: bool

    def __init__(self, folders: Iterable[str | Path] = (), builtin: bool = True) -> None:
        object.__setattr__(self, "folders", tuple(Path(f) for f in folders))
        object.__setattr__(self, "builtin", builtin)

    def files(self) -> dict[str, Path]:
        """Spec file of every id, sorted by id; an id found twice is an error naming both files."""
        found: dict[str, Path] = {}
        folders: dict[Path, Path] = {}  # a folder named twice (or the bundled one named again) counts once
        for folder in ((spec_dir(),) if self.builtin else ()) + self.folders:
            folders.setdefault(folder.resolve(), folder)
        for folder in folders.values():
            if not folder.is_dir():
                raise SpecError(f"{folder}: no such folder of specs (--specs takes a folder of .yaml files)")
            files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
            if not files:
                raise SpecError(f"{folder}: the folder holds no spec (.yaml or .yml files)")
            for path in files:
                if path.stem in found:
                    raise SpecError(
                        f"{path}: the id '{path.stem}' is already taken by {found[path.stem]}; "
                        "spec ids (file names) must be unique across the catalog's folders"
                    )
                found[path.stem] = path
        if not found:
            raise SpecError("the catalog is empty: give --specs FOLDER, or leave out --no-builtin")
        return dict(sorted(found.items()))

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return list(self.files())

    def load_all(self) -> list[Spec]:
        """Every spec, sorted by id."""
        return [_load(p) for p in self.files().values()]

    def file_of(self, ref: str | Path) -> Path | None:
        """The spec file that `ref` (a path to a YAML spec, or an id of this catalog) names, or
        None when it names none (a config.json, a folder, an unknown id)."""
        path = Path(str(ref))
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            return path
        if path.suffix or path.exists():
            return None
        return self.files().get(str(ref))

    def load(self, ref: str | Path | Spec) -> Spec:
        """A spec from an id of this catalog, a path to a YAML spec, or a Spec (returned as is)."""
        from archviz.spec.base import did_you_mean
        from archviz.spec.loader import Spec, load_file

        if isinstance(ref, Spec):
            return ref
        text = str(ref)
        path = Path(text)
        if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
            return load_file(path)
        files = self.files()
        if text in files:
            return _load(files[text])
        raise SpecError(
            [
                Problem(
                    f"no model '{text}' in the catalog{did_you_mean(text, list(files))}; "
                    "give a catalog id (see 'archviz list') or a path to a spec file"
                )
            ]
        )


BUILTIN = Catalog()


def catalog_ids() -> list[str]:
    """Ids of every bundled spec, sorted."""
    return BUILTIN.ids()


def load(ref: str | Path | Spec) -> Spec:
    """A spec from a bundled id ('llama-3-8b'), a path to a YAML spec, or a Spec (returned as is)."""
    return BUILTIN.load(ref)


def load_all() -> list[Spec]:
    """Every bundled spec, sorted by id."""
    return BUILTIN.load_all()
