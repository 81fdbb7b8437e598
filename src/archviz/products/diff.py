"""Model-vs-model diff: the structured result, as a table (text, Markdown, JSON) or a figure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archviz import numbers as fmt
from archviz.errors import ArchvizError
from archviz.facts.diff import Difference, SpecDiff, diff_specs
from archviz.layout.diff import diff_layout
from archviz.layout.media import for_medium
from archviz.layout.typeface import find_typeface
from archviz.products.diagram import with_emphasis
from archviz.products.models import resolve
from archviz.products.options import figure_options
from archviz.products.output import FORMATS, Figure
from archviz.render import write_atomic
from archviz.spec import Spec
from archviz.style import theme as check_theme

TEXT_FORMATS = ("table", "markdown", "json")


class ModelDiff:
    """What differs between two models. `.differences` lists them (path, kind, before, after);
    `.figure()` draws both models side by side; `.text(form)` writes a table."""

    def __init__(self, a: Spec, b: Spec) -> None:
        self.a, self.b = a, b
        self.result: SpecDiff = diff_specs(a, b)

    @property
    def differences(self) -> tuple[Difference, ...]:
        return self.result.differences

    @property
    def identical(self) -> bool:
        return self.result.identical

    def figure(
        self,
        theme: str | None = None,
        text_as_paths: bool = False,
        highlight: str | Sequence[str] | None = None,
        size: str | None = None,
        font: str | Path | None = None,
        caption: str | None = None,
    ) -> Figure:
        """Both models side by side, their differences outlined; `highlight`, `caption`, `size`
        and `font` as in draw() (a part named by path or tag is emphasised in both). Options left
        at None take the user config's style, then the default (each model keeps its accent)."""
        given: dict[str, Any] = {"theme": theme, "highlight": highlight, "caption": caption, "size": size, "font": font}
        o = figure_options(given)
        check_theme(o["theme"])
        face = find_typeface(o["font"])  # None: the bundled face
        layout = with_emphasis(diff_layout(self.a, self.b, self.result, font=face), o["highlight"], o["caption"])
        if o["size"] is not None:
            layout = for_medium(layout, o["size"])
        return Figure(layout, o["theme"], text_as_paths)

    def text(self, form: str = "table") -> str:
        """The differences as an aligned plain-text table, Markdown, or JSON."""
        if form == "json":
            return json.dumps(self.result.to_dict(), indent=2, ensure_ascii=False)
        rows = [(d.label, d.kind, d.describe()) for d in self.result.differences + self.result.effects]
        if not self.result.differences and form != "markdown":  # Markdown says it in its title
            rows.insert(0, ("architecture", "identical", self.result.summary()))
        rows += [
            (d.label, "metadata", f"{_stated(d.before)} → {_stated(d.after)}")
            for d in self.result.metadata
            if d.path != "key_detail"
        ]
        if form == "markdown":
            names = f"**{fmt.md(self.a.model.name)} → {fmt.md(self.b.model.name)}**"
            n = len(self.result.differences)
            verdict = f"{n} architectural difference{'' if n == 1 else 's'}" if n else "architecture identical"
            title = f"{names}: {verdict}" + (", metadata differs" if not n and self.result.metadata else "") + "."
            out = [title, "", "| component | kind | difference |", "|---|---|---|", *map(fmt.md_row, rows)]
            return "\n".join(out) + "\n"
        if form != "table":
            raise ArchvizError(f"unknown format '{form}'; choose from {', '.join(TEXT_FORMATS)}")
        w0 = max(len(c) for c, _, _ in rows)
        w1 = max(len(k) for _, k, _ in rows)
        head = self.result.summary()
        return "\n".join([head, *(f"  {c:<{w0}}  {k:<{w1}}  {t}" for c, k, t in rows)]) + "\n"

    def save(
        self,
        path: str | Path,
        theme: str | None = None,
        dpi: float | None = None,
        highlight: str | Sequence[str] | None = None,
        size: str | None = None,
        font: str | Path | None = None,
        caption: str | None = None,
    ) -> Path:
        """A figure (.svg, .png, .pdf; with figure()'s options) or a table (.md, .json, .txt),
        chosen by the suffix."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix in FORMATS:
            return self.figure(theme, highlight=highlight, caption=caption, size=size, font=font).save(p, dpi=dpi)
        forms = {".md": "markdown", ".json": "json", ".txt": "table"}
        if suffix not in forms:
            raise ArchvizError(f"cannot write '{p}': choose .svg, .png, .pdf, .md, .json or .txt")
        return write_atomic(p, self.text(forms[suffix]))

    def _repr_markdown_(self) -> str:
        return self.text("markdown")

    def __repr__(self) -> str:
        return f"<ModelDiff {self.a.id} → {self.b.id}: {len(self.differences)} differences>"


def _stated(value: object) -> str:
    """A metadata value as a reader should see it: a missing one is 'not stated', not None."""
    return "not stated" if value is None or value == "" else str(value)


def diff(a: str | Path | Spec, b: str | Path | Spec) -> ModelDiff:
    """Compare two models (catalog ids, spec or config.json paths, or Specs)."""
    return ModelDiff(resolve(a), resolve(b))
