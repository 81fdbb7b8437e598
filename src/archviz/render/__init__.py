"""Stage 4: the only place that writes SVG, PNG, PDF and HTML."""

from archviz.render.files import write_atomic
from archviz.render.svg import to_svg

__all__ = ["to_svg", "write_atomic"]
