"""The poster of many models: vector PDF or SVG, and PNG at print resolution in strips."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from archviz.errors import ArchvizError
from archviz.layout.poster import poster_layout
from archviz.layout.poster import poster_sheets as poster_sheets_layout
from archviz.products.output import Figure
from archviz.products.select import select
from archviz.spec import BUILTIN, Catalog, Spec
from archviz.style import theme as check_theme


class Poster(Figure):
    """A poster Figure; its PNG is drawn in strips so memory stays bounded at 300 DPI."""

    def png(self, dpi: float | None = 300, scale: float | None = None) -> bytes:
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            return self.save(Path(d) / "poster.png", dpi=dpi if scale is None else 96 * scale).read_bytes()

    def save(
        self,
        path: str | Path,
        dpi: float | None = 300,
        progress: Callable[[int, int], None] | None = None,
        each_strip: Callable[[Any], None] | None = None,
    ) -> Path:
        """Write the poster (PNG at `dpi`, 300 by default); a PNG is drawn in strips, each shown
        to `each_strip` (a PIL image)."""
        dpi = 300 if dpi is None else dpi
        p = Path(path)
        if p.suffix.lower() == ".png":
            from archviz.render.bigpng import write_png

            if self.text_as_paths:
                raise ArchvizError("--text-as-paths applies to SVG and PDF posters")
            return write_png(self.layout, p, dpi=dpi, theme=self.theme, progress=progress, each_strip=each_strip)
        return super().save(p, dpi=dpi)


def poster(
    models: Iterable[str | Path | Spec] | None = None,
    size: str = "auto",
    landscape: bool = False,
    sort: str = "date",
    filters: Sequence[str] = (),
    theme: str = "light",
    title: str | None = None,
    bleed_mm: float = 0.0,
    crop_marks: bool = False,
    progress: Callable[[], None] | None = None,
    catalog: Catalog = BUILTIN,
) -> Poster:
    """Lay out a poster of the catalog (or `models`), filtered and sorted, on a page of `size`."""
    check_theme(theme)
    specs = select(models, filters, sort, catalog)
    layout = poster_layout(specs, size, landscape, title, bleed_mm, crop_marks, progress=progress)
    return Poster(layout, theme)


def poster_sheets(
    models: Iterable[str | Path | Spec] | None = None,
    size: str = "A0",
    sheets: int | None = None,
    landscape: bool = False,
    sort: str = "date",
    filters: Sequence[str] = (),
    theme: str = "light",
    title: str | None = None,
    bleed_mm: float = 0.0,
    crop_marks: bool = False,
    progress: Callable[[], None] | None = None,
    catalog: Catalog = BUILTIN,
) -> list[Poster]:
    """The poster over `sheets` sheets of `size` (None: the fewest that hold every model at 6 pt),
    for a catalog that one page cannot hold; each sheet is a poster of its own, numbered."""
    check_theme(theme)
    specs = select(models, filters, sort, catalog)
    layouts = poster_sheets_layout(specs, size, sheets, landscape, title, bleed_mm, crop_marks, progress=progress)
    return [Poster(layout, theme) for layout in layouts]
