"""A Python-Markdown extension (so MkDocs too) that draws a model's figure at build time.

In mkdocs.yml: ``markdown_extensions: [archviz.integrations.markdown]``; in a page, a fenced
block whose info string starts with ``archviz``::

    ```archviz model=llama-3-8b highlight=mixers.attn size=article
    ```

Pandoc's form, ``{.archviz model=llama-3-8b}`` (integrations/pandoc.py), works too, so one page
builds with either tool. The figure is inlined as SVG. A bad spec or option stops the build with the spec's own message
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

OPENING = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")


class ArchvizFigures(Preprocessor):
    """Replaces each fenced block whose info string starts with `archviz` by its figure. Other
    fenced blocks are passed over whole, so an archviz block shown inside a longer fence (as an
    example of the syntax) stays text."""

    def run(self, lines: list[str]) -> list[str]:
        try:
            return self._run(lines)
        except ArchvizError as e:
            raise _build_error(f"archviz: {e}") from None

    def _run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            opening = OPENING.match(lines[i])
            if not opening:
                out.append(lines[i])
                i += 1
                continue
            fence = opening.group("fence")
            closing = re.compile(rf"{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")  # as long or longer
            end = next((j for j in range(i + 1, len(lines)) if closing.fullmatch(lines[j])), len(lines))
            info = opening.group("info").strip()
            if info.startswith("{.archviz") and info.endswith("}"):  # Pandoc's form: one page, both tools
                info = "archviz" + info[len("{.archviz") : -1]
            if info.split(" ", 1)[0] == "archviz":
                out += ["", self._figure(info[len("archviz") :], " ".join(lines[i + 1 : end])), ""]
            else:
                out += lines[i : end + 1]
            i = end + 1
        return out

    def _figure(self, args: str, body: str) -> str:
        options: dict[str, str] = {}
        for word in shlex.split(args + " " + body):
            name, _, value = word.partition("=")
            options[name] = value if "=" in word else "true"
        model = options.pop("model", None)
        if not model:
            raise ArchvizError(f"an archviz block needs model=ID (got {args.strip()!r})")
        return self.md.htmlStash.store(f'<div class="archviz-figure">{figure_svg(model, options)}</div>')


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
