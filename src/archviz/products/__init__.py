"""Stage 5: products built from layouts and renderers (diagram, and more to come)."""

from archviz.products.diagram import draw
from archviz.products.diff import ModelDiff, diff
from archviz.products.models import import_hf, resolve
from archviz.products.output import Figure
from archviz.products.poster import Poster, poster
from archviz.products.select import select

__all__ = ["Figure", "ModelDiff", "Poster", "diff", "draw", "import_hf", "poster", "resolve", "select"]
