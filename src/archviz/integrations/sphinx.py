"""A Sphinx directive that draws a model's figure at build time.

In conf.py: ``extensions = ["archviz.integrations.sphinx"]``; in a page::

    .. archviz:: llama-3-8b
       :highlight: mixers.attn
       :size: article

The figure is inlined as SVG in HTML output. A bad spec or option is reported at the directive
with the spec's own message (file, line, field), and the build exits with status 1.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from archviz.errors import ArchvizError
from archviz.integrations import OPTIONS, figure_svg

LOG = logging.getLogger(__name__)


class ArchvizDirective(SphinxDirective):
    """``.. archviz:: MODEL`` with the options of draw()."""

    required_arguments = 1
    final_argument_whitespace = False
    option_spec: ClassVar[dict[str, Any]] = {name: directives.unchanged for name in OPTIONS} | {
        "compact": directives.flag
    }

    def run(self) -> list[nodes.Node]:
        options = {k: ("true" if k == "compact" else v) for k, v in self.options.items()}
        try:
            svg = figure_svg(self.arguments[0], options)
        except ArchvizError as e:
            LOG.error("archviz: %s", e, location=self.get_location())
            failed: set[str] = getattr(self.env, "archviz_failed", set())
            failed.add(self.env.docname)
            self.env.archviz_failed = failed  # type: ignore[attr-defined]
            return []
        return [nodes.raw("", f'<div class="archviz-figure">{svg}</div>', format="html")]


def _merge(app: Any, env: Any, docnames: Any, other: Any) -> None:
    """Errors found while reading in parallel come back with each worker's environment."""
    env.archviz_failed = getattr(env, "archviz_failed", set()) | getattr(other, "archviz_failed", set())


def _purge(app: Any, env: Any, docname: str) -> None:
    getattr(env, "archviz_failed", set()).discard(docname)


def _finish(app: Any, exception: BaseException | None) -> None:
    """A page whose figure could not be drawn fails the build (status 1), as a bad spec must."""
    if exception is None and getattr(app.env, "archviz_failed", None):
        app.statuscode = 1


def setup(app: Any) -> dict[str, Any]:
    from archviz import __version__

    app.add_directive("archviz", ArchvizDirective)
    app.connect("env-merge-info", _merge)
    app.connect("env-purge-doc", _purge)
    app.connect("build-finished", _finish)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
