"""Stage 4: the only place that writes SVG, PNG, PDF and HTML.

`to_svg` is imported on first use (PEP 562): the cache and file helpers of this stage must load
without the layout stage behind the SVG writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archviz.render.files import write_atomic

if TYPE_CHECKING:
    from archviz.render.svg import to_svg


def __getattr__(name: str) -> Any:
    if name != "to_svg":
        raise AttributeError(f"module 'archviz.render' has no attribute {name!r}")
    from archviz.render.svg import to_svg

    globals()["to_svg"] = to_svg
    return to_svg


__all__ = ["to_svg", "write_atomic"]
