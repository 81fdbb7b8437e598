"""Make the bundled fonts visible to cairo (through fontconfig) before anything is rasterised.

cairosvg finds fonts by family name through fontconfig and ignores @font-face, so shipping a font
is not enough: fontconfig must be told where it lives. The configuration we write is keyed by
archviz's version and its font directory, so two installs (two virtual environments, two
versions, a test run beside a real build) never share or rewrite each other's file or font cache.
A file, once written, never changes: it is created under a temporary name and renamed into place,
and a second writer would write the same bytes. Rescanning is off, since nothing it names changes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from archviz.render.cache import user_cache
from archviz.style import FONT_DIR

SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
OURS = "archviz-fontconfig-"  # directory-name prefix: how a config we wrote is recognised


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("archviz")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "source"


def _config_text(font_dir: Path, cache_dir: Path) -> str:
    include = f'<include ignore_missing="yes">{SYSTEM_CONF}</include>' if SYSTEM_CONF.exists() else ""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <cachedir>{cache_dir}</cachedir>\n  {include}\n  <dir>{font_dir}</dir>\n"
        "  <config><rescan><int>0</int></rescan></config>\n</fontconfig>\n"
    )


def config_dir(font_dir: Path = FONT_DIR, version: str | None = None) -> Path | None:
    """The directory for this install's fontconfig file and cache (None if none is writable)."""
    version = version or _version()
    # The key covers everything the file will say, so one name always holds the same bytes.
    template = _config_text(font_dir, Path("cache"))
    key = hashlib.sha256(f"{version}\n{font_dir}\n{template}".encode()).hexdigest()[:16]
    safe_version = "".join(c if c.isalnum() or c in ".-+" else "_" for c in version)
    return user_cache(f"{OURS}{safe_version}-{key}")


def write_once(path: Path, text: str) -> None:
    """Leave `path` alone when it already holds `text`; else write it whole and rename it in."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    fd, tmp = tempfile.mkstemp(prefix=".fonts.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ensure_fontconfig() -> None:
    """Point FONTCONFIG_FILE at this install's config, unless the user chose one of their own.

    A FONTCONFIG_FILE that another archviz install set (inherited by a child process) is not the
    user's choice and is replaced. Called before cairo loads.
    """
    current = os.environ.get("FONTCONFIG_FILE")
    if current and not Path(current).parent.name.startswith(OURS):
        return
    here = config_dir()
    if here is None:
        return  # no writable cache anywhere: fall back to the system fonts (DejaVu is common)
    path = here / "fonts.conf"
    try:
        write_once(path, _config_text(FONT_DIR, here / "cache"))
    except OSError:
        return
    os.environ["FONTCONFIG_FILE"] = str(path)
