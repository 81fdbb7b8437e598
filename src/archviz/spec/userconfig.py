"""The user's own defaults for figures: a `style:` block in archviz's config file.

The file is `$ARCHVIZ_CONFIG` when set (empty: no config at all, as the tests run), else
`archviz/config.yaml` under `$XDG_CONFIG_HOME` (default `~/.config`). It holds the same fields as a
spec's `style:` (spec/models.py FigureStyle):

    style:
      theme: dark
      font: Liberation Serif
      size: article

A call's own options win over a spec's style, and a spec's style over this file. Products that
must not depend on who builds them (the site, the poster) do not read it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archviz.spec.models import FigureStyle


def config_path() -> Path | None:
    """Where the user config would be (it may not exist), or None when it is switched off."""
    chosen = os.environ.get("ARCHVIZ_CONFIG")
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "archviz" / "config.yaml"


def config_bytes() -> bytes:
    """The config file's bytes (empty without one): what a cached render must be keyed by."""
    path = config_path()
    try:
        return path.read_bytes() if path is not None else b""
    except OSError:
        return b""


def user_style() -> FigureStyle | None:
    """The config file's style block (None without a file); SpecError naming the file, line and
    field when it is broken."""
    from pydantic import ValidationError

    from archviz.errors import Problem, SpecError
    from archviz.spec.loader import problems, read_yaml
    from archviz.spec.models import UserConfig

    path = config_path()
    if path is None or not path.is_file():
        return None

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError([Problem(f"cannot read the archviz config: {e}", str(path))]) from None
    if not text.strip():
        return None
    data, lines = read_yaml(text, str(path), "the archviz config")
    try:
        return UserConfig.model_validate(data).style
    except ValidationError as err:
        raise SpecError(problems(err, lines, str(path))) from None
