"""A Python-Markdown extension (so MkDocs too) that draws a model's figure at build time.

In mkdocs.yml: ``markdown_extensions: [archviz.integrations.markdown]``; in a page, a fenced
block whose info string starts with ``archviz``::

    ```archviz model=llama-3-8b highlight=mixers.attn size=article
    ```

The figure is inlined as SVG. A bad spec or option stops the build with the spec's own message
(under MkDocs as a build error: the page named, no traceback).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from archviz.errors import ArchvizError
from archviz.integrations import figure_svg

FENCE = re.compile(
    r"^(?P<fence>```+|~~~+)[ \t]*archviz\b(?P<args>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)


class ArchvizFigures(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)

        def figure(m: re.Match[str]) -> str:
            words = shlex.split(m.group("args") + " " + m.group("body").replace("\n", " "))
            options: dict[str, str] = {}
            for word in words:
                name, _, value = word.partition("=")
                options[name] = value if "=" in word else "true"
            model = options.pop("model", None)
            if not model:
                raise ArchvizError(f"an archviz block needs model=ID (got {m.group('args').strip()!r})")
            svg = figure_svg(model, options)
            return "\n" + self.md.htmlStash.store(f'<div class="archviz-figure">{svg}</div>') + "\n"

        try:
            return FENCE.sub(figure, text).split("\n")
        except ArchvizError as e:
            raise _build_error(f"archviz: {e}") from None


def _build_error(message: str) -> Exception:
    """MkDocs's own build error where MkDocs runs (it reports one without a traceback)."""
    try:
        from mkdocs.exceptions import PluginError
    except ImportError:
        return ArchvizError(message)
    return PluginError(message)


class ArchvizExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(ArchvizFigures(md), "archviz", 30)  # before fenced code (25)


def makeExtension(**kwargs: Any) -> ArchvizExtension:
    return ArchvizExtension(**kwargs)
