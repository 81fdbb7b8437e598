"""The model family tree (lineage) of the catalog or chosen models, as a Figure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from archviz.layout.lineage import lineage_layout
from archviz.products.output import Figure
from archviz.products.select import select
from archviz.spec import BUILTIN, Catalog, Spec
from archviz.style import theme as check_theme


def lineage(
    models: Iterable[str | Path | Spec] | None = None,
    theme: str = "light",
    link: Callable[[str], str] | None = None,
    catalog: Catalog = BUILTIN,
) -> Figure:
    """The family tree of the catalog (or `models`, ids or spec paths), by release date; with
    `link`, each model's box links to `link(model_id)` (http(s) or relative URLs only)."""
    check_theme(theme)
    return Figure(lineage_layout(select(models, sort="date", catalog=catalog), link=link), theme)
