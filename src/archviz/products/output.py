"""What every product returns: a figure that knows its SVG and turns into PNG, PDF or a file."""

from __future__ import annotations

import functools
from pathlib import Path

from archviz.errors import ArchvizError
from archviz.layout.geometry import Layout
from archviz.render import to_svg, write_atomic
from archviz.style import theme

FORMATS = (".svg", ".png", ".pdf")


class Figure:
    """A laid-out figure: `.svg()`, `.png(dpi=)`, `.pdf()`, `.save(path)`, and inline in Jupyter."""

    def __init__(self, layout: Layout, theme: str = "light", text_as_paths: bool = False) -> None:
        self.layout = layout
        self.theme = theme
        self.text_as_paths = text_as_paths

    @functools.cache  # noqa: B019  (a figure is immutable; caching its SVG is the point)
    def svg(self) -> str:
        """The SVG. Its ids come from the spec, led by the theme when it is not the light one, so
        the same model in two themes can share an HTML page (a notebook, an article) without one
        figure's markers and references taking the other's."""
        return self._svg(self.text_as_paths)

    def _svg(self, text_as_paths: bool) -> str:
        prefix = "" if self.theme == "light" else f"{self.theme}-"
        return to_svg(self.layout, self.theme, text_as_paths, id_prefix=prefix)

    def png(self, dpi: float | None = None, scale: float | None = None) -> bytes:
        """The PNG at `dpi` (default: the size preset's resolution, else 96), or at `scale`."""
        from archviz.render import raster
        from archviz.render.pixels import check_pixels

        if dpi is None:
            dpi = float(self.layout.meta.get("png_dpi", 96))
        shown = self.layout.meta.get("page_px") or [w / 25.4 * 96 for w in self.layout.meta.get("page_mm", ())]
        k = shown[0] / self.layout.width if shown else 1.0  # a preset shows the figure at its own size
        check_pixels(self.layout.width * k, self.layout.height * k, dpi if scale is None else 96 * scale)
        background = theme(self.theme).colour("background", self.layout.accent)
        return raster.png(self._drawable_svg(), dpi=dpi, scale=scale, background=background)

    def pdf(self) -> bytes:
        from archviz.render import raster

        return raster.pdf(self._drawable_svg())

    def _drawable_svg(self) -> str:
        """The SVG cairo draws: a figure in a font of its own has its text as glyph outlines
        from the files it was measured in (cairo finds fonts through fontconfig only, by family
        name, and a font given as a file is unknown there)."""
        if self.text_as_paths or "font" not in self.layout.meta:
            return self.svg()
        return self._svg(text_as_paths=True)

    def save(self, path: str | Path, dpi: float | None = None) -> Path:
        """Write SVG, PNG or PDF, chosen by the file suffix; atomically."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix not in FORMATS:
            raise ArchvizError(f"cannot write '{p}': choose a file ending in {', '.join(FORMATS)}")
        data: bytes | str = self.svg() if suffix == ".svg" else self.png(dpi=dpi) if suffix == ".png" else self.pdf()
        return write_atomic(p, data)

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        return f"<Figure {self.layout.id} {self.layout.width:.0f}×{self.layout.height:.0f}px theme={self.theme}>"
