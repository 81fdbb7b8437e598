"""Choosing and ordering catalog models for multi-model products (poster, gallery)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from archviz.errors import ArchvizError
from archviz.facts.params import breakdown
from archviz.products.models import resolve
from archviz.spec import BUILTIN, Catalog, Spec

SORTS = ("date", "family", "size", "id")
FILTER_KEYS = {
    "type": lambda s: s.model.decoder_type,
    "org": lambda s: s.model.organization.lower(),
    "year": lambda s: s.model.sort_date.year,
    "id": lambda s: s.id,
}


def _matches(spec: Spec, expr: str) -> bool:
    m = re.fullmatch(r"\s*(\w+)\s*(>=|<=|=|>|<)\s*(.+?)\s*", expr)
    if not m or m.group(1) not in FILTER_KEYS:
        raise ArchvizError(
            f"bad filter '{expr}': use KEY=VALUE (or >=, <=, >, < for year) with KEY one of "
            f"{', '.join(FILTER_KEYS)}; e.g. type=moe, org=meta, year>=2025, id=qwen3*"
        )
    key, op, want = m.groups()
    have = FILTER_KEYS[key](spec)
    if key == "year":
        try:
            n = int(want)
        except ValueError:
            raise ArchvizError(f"bad filter '{expr}': year must be a number") from None
        return {"=": have == n, ">=": have >= n, "<=": have <= n, ">": have > n, "<": have < n}[op]
    if op != "=":
        raise ArchvizError(f"bad filter '{expr}': only year compares with {op}")
    return fnmatch.fnmatch(str(have), want.lower() if key == "org" else want) or (
        key == "org" and want.lower() in str(have)
    )


def family_root(spec: Spec, by_id: dict[str, Spec]) -> Spec:
    """The earliest ancestor reached through `based_on` (first parent), for grouping families."""
    seen = {spec.id}
    while spec.model.based_on and spec.model.based_on[0] in by_id and spec.model.based_on[0] not in seen:
        spec = by_id[spec.model.based_on[0]]
        seen.add(spec.id)
    return spec


def select(
    models: Iterable[str | Path | Spec] | None = None,
    filters: Sequence[str] = (),
    sort: str = "date",
    catalog: Catalog = BUILTIN,
) -> list[Spec]:
    """The catalog's models (or the given ids/paths), filtered and sorted (date, family, size or id)."""
    if sort not in SORTS:
        raise ArchvizError(f"unknown sort '{sort}'; choose from {', '.join(SORTS)}")
    every = catalog.load_all()
    specs = [resolve(m, catalog) for m in models] if models else every
    specs = [s for s in specs if all(_matches(s, f) for f in filters)]
    if not specs:
        raise ArchvizError("no model matches the selection")
    by_id = {s.id: s for s in every} | {s.id: s for s in specs}
    keys = {
        "date": lambda s: (s.model.sort_date, s.id),
        "id": lambda s: (s.id,),
        "size": lambda s: (-breakdown(s.model).total, s.id),
        "family": lambda s: (family_root(s, by_id).model.sort_date, family_root(s, by_id).id, s.model.sort_date, s.id),
    }
    return sorted(specs, key=keys[sort])
