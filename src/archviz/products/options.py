"""Figure options as the caller, the spec's style: and the user's config give them, in that order.

draw(), render and the two-model figure take the same options (spec/models.py FigureStyle lists
them). A caller's None means 'not said', so a spec or the user config may say it; what nobody
says takes the built-in default.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archviz.spec import Spec
from archviz.spec.models import FigureStyle
from archviz.spec.userconfig import config_path, user_style

DEFAULTS: Mapping[str, Any] = {
    "theme": "light",
    "highlight": (),
    "caption": None,
    "panels": None,
    "accent": None,
    "compact": False,
    "size": None,
    "font": None,
}
"""What a figure option is when nobody gives it (the keys are FigureStyle's fields)."""


def _said(style: FigureStyle | None, base: Path | None) -> dict[str, Any]:
    """What a style block sets, its font file (if it names one by a relative path) resolved
    against the folder of the file that holds it."""
    if style is None:
        return {}
    out = {name: getattr(style, name) for name in style.model_fields_set}
    font = out.get("font")
    if font and base is not None and Path(font).suffix.lower() in (".ttf", ".otf", ".ttc"):
        out["font"] = str(base / Path(font).expanduser())  # an absolute path stays itself
    return out


def figure_options(given: Mapping[str, Any], spec: Spec | None = None) -> dict[str, Any]:
    """Every figure option, from `given` (None: not given), then `spec`'s style (and its accent),
    then the user config, then DEFAULTS."""
    sources: list[Mapping[str, Any]] = [{k: v for k, v in given.items() if v is not None}]
    if spec is not None:
        here = Path(spec.origin).parent if Path(spec.origin).is_file() else None
        own = _said(spec.model.style, here)
        if spec.model.accent_colour:
            own["accent"] = spec.model.accent_colour
        sources.append(own)
    config = config_path()
    sources.append(_said(user_style(), config.parent if config else None))
    return {name: next((src[name] for src in sources if name in src), default) for name, default in DEFAULTS.items()}
