"""Figures in documentation: a Sphinx directive (archviz.integrations.sphinx) and a Markdown
extension for MkDocs and Python-Markdown (archviz.integrations.markdown). Both draw at build
time, cache by content, and stop the build with the spec's own error message."""

from __future__ import annotations

import json
from collections.abc import Mapping

from archviz.errors import ArchvizError
from archviz.products.diagram import draw
from archviz.products.models import resolve
from archviz.render.cache import Cache, default_root, key
from archviz.spec.userconfig import config_bytes

OPTIONS = ("highlight", "caption", "panels", "accent", "compact", "size", "theme", "font")
"""What a figure in the docs may set, as in draw()."""


def figure_svg(model: str, options: Mapping[str, str]) -> str:
    """The SVG (without its XML declaration, to sit inside HTML) of `model` drawn with `options`
    given as text: highlight and panels are comma-separated lists ('none': no panels), compact
    is a flag. Options not given take the spec's style, then the user config's."""
    return figure_bytes(model, options, "svg").decode().split("?>", 1)[-1].lstrip()


def figure_bytes(model: str, options: Mapping[str, str], form: str) -> bytes:
    """`model`'s figure as svg, pdf or png bytes, drawn with `options` as figure_svg takes them.
    Cached by the spec's content, the options, the user config and this install."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ArchvizError(f"unknown option {', '.join(unknown)} for {model}; choose from {', '.join(OPTIONS)}")
    spec = resolve(model)
    parts = (json.dumps(dict(options), sort_keys=True), spec.model.model_dump_json(), config_bytes())
    k = key("docs-figure", form, spec.id, *parts)
    cache = Cache(default_root())
    hit = cache.get(k, ("figure",))
    if hit is not None:
        return hit["figure"]

    def listed(name: str) -> list[str] | None:
        raw = options.get(name)
        if raw is None:
            return None
        return [] if raw.strip() == "none" else [p.strip() for p in raw.replace(" ", ",").split(",") if p.strip()]

    compact = options.get("compact")
    fig = draw(
        spec,
        theme=options.get("theme"),
        highlight=listed("highlight"),
        caption=options.get("caption"),
        panels=listed("panels"),
        accent=options.get("accent"),
        compact=None if compact is None else compact.lower() not in ("false", "no", "0"),
        size=options.get("size"),
        font=options.get("font"),
    )
    data = fig.svg().encode() if form == "svg" else fig.pdf() if form == "pdf" else fig.png()
    cache.put(k, {"figure": data})
    return data
