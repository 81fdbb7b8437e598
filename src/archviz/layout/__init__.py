"""Stage 3: pure geometry. Specs in, frozen JSON-serialisable layouts out."""

from archviz.layout.geometry import Connector, Layout, Shape, TextRun
from archviz.layout.model import model_layout

__all__ = ["Connector", "Layout", "Shape", "TextRun", "model_layout"]
