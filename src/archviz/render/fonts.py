"""Make the bundled fonts visible to cairo (through fontconfig) before anything is rasterised."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from archviz.style import FONT_DIR

SYSTEM_CONF = Path("/etc/fonts/fonts.conf")


def ensure_fontconfig() -> None:
    """Point FONTCONFIG_FILE at a config that adds archviz's font directory (unless the user set one).

    cairosvg finds fonts by family name through fontconfig and ignores @font-face, so shipping a
    font is not enough: fontconfig must be told where it lives. Called before cairo loads.
    """
    if os.environ.get("FONTCONFIG_FILE"):
        return
    cache = Path(tempfile.gettempdir()) / f"archviz-fontconfig-{os.getuid() if hasattr(os, 'getuid') else 0}"
    cache.mkdir(parents=True, exist_ok=True)
    include = f'<include ignore_missing="yes">{SYSTEM_CONF}</include>' if SYSTEM_CONF.exists() else ""
    conf = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  {include}\n  <dir>{FONT_DIR}</dir>\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n"
    )
    path = cache / "fonts.conf"
    if not path.exists() or path.read_text() != conf:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(conf)
        tmp.replace(path)
    os.environ["FONTCONFIG_FILE"] = str(path)
