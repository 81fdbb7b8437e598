"""A content-addressed cache of what a build draws, so a rebuild redraws only what changed.

An entry is a folder of named files under a key that hashes everything its content depends on:
the spec's own bytes, the theme, and a fingerprint of this archviz install (every file of the
package, so editing the code, not only releasing it, invalidates the cache). Entries
are written to a temporary folder and renamed into place, so a reader never sees half of one.
Their files are read-only: a build may hard-link them into its output (`place`), and a linked
file must not be edited in place.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archviz.render.files import temp_dir

PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_fingerprint() -> str:
    """A hash of the installed package: every file's path, size and mtime (so a new version, a
    reinstall or an edit all change it). os.walk keeps this to a few milliseconds."""
    digest = hashlib.sha256()
    for folder, dirs, files in sorted(os.walk(PACKAGE)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            info = os.stat(os.path.join(folder, name))
            digest.update(f"{os.path.relpath(folder, PACKAGE)}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    """A cache key from the parts an entry depends on (the code fingerprint is always one)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(raw).to_bytes(8, "big") + raw)
    return digest.hexdigest()


DEFAULT_FIGURE: dict[str, Any] = {
    "highlight": None,
    "caption": None,
    "panels": None,
    "accent": None,
    "compact": None,
    "size": None,
}
"""The figure options of `archviz render` (draw's keywords) when none is given."""


def render_key(spec_file: Path, out: Path, theme: str, dpi: str, text: str, figure: dict[str, Any]) -> str:
    """The key of `archviz render`'s cached output: the spec's bytes and id, the output type,
    the options (with the figure options, as canonical JSON), SOURCE_DATE_EPOCH, the user config
    (its style may set options) and this install."""
    from archviz.spec.userconfig import config_bytes

    parts = ("render", spec_file.stem, out.suffix.lower(), theme, dpi, text, os.environ.get("SOURCE_DATE_EPOCH", ""))
    return key(*parts, json.dumps(figure, sort_keys=True), spec_file.read_bytes(), config_bytes())


PICKLE = "value.pickle"


class Cache:
    """Entries under `root` (None: no caching at all)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _dir(self, k: str) -> Path:
        assert self.root is not None
        return self.root / k[:2] / k

    def file(self, k: str, name: str) -> Path | None:
        """Where an entry's file is (to link it), or None without a cache."""
        return None if self.root is None else self._dir(k) / name

    def files_under(self, k: str, folder: str) -> list[str]:
        """The names of an entry's files under `folder`, sorted ([] when there are none)."""
        if self.root is None:
            return []
        base = self._dir(k)
        return sorted(p.relative_to(base).as_posix() for p in (base / folder).rglob("*") if p.is_file())

    def has(self, k: str, names: tuple[str, ...]) -> bool:
        """Whether the entry holds all these files (without reading them)."""
        return self.root is not None and all((self._dir(k) / n).is_file() for n in names)

    def get(self, k: str, names: tuple[str, ...]) -> dict[str, bytes] | None:
        """The entry's files, or None when it is missing or incomplete."""
        if self.root is None:
            return None
        folder = self._dir(k)
        try:
            return {n: (folder / n).read_bytes() for n in names}
        except OSError:
            return None

    def get_pickled(self, k: str, valid: Callable[[Any], bool]) -> Any | None:
        """An entry's pickled value (our own private cache, so unpickling it is safe), or None
        when it is missing or not what `valid` expects (an entry of an older shape)."""
        hit = self.get(k, (PICKLE,))
        value = pickle.loads(hit[PICKLE]) if hit is not None else None
        return value if value is not None and valid(value) else None

    def put_pickled(self, k: str, value: object, **more: bytes) -> None:
        """Store `value` pickled (exact: floats, object identities), with any `more` files."""
        self.put(k, {PICKLE: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), **more})

    def put(self, k: str, files: dict[str, bytes]) -> None:
        """Store an entry (best effort: a cache that cannot be written only costs time). Names
        may have folders ("tiles/0/0_0.webp")."""
        if self.root is None:
            return
        folder = self._dir(k)
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = temp_dir(folder)  # named by our pid, so a killed build's leftovers are cleared later
            for name, data in files.items():
                path = tmp / name
                if "/" in name:
                    path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                path.chmod(0o444)
            try:
                tmp.rename(folder)
            except OSError:  # another build stored it first: same content
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            return


def place(source: Path | None, target: Path, data: bytes | None = None) -> None:
    """Make `target` hold the bytes of the cached file `source`: a hard link where the two share
    a file system (no bytes copied: a large site is mostly files a rebuild did not change), else
    a copy (`data`, when the caller has the bytes already)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source is not None:
        try:
            os.link(source, target)
            return
        except OSError:
            pass  # another file system, or links not allowed: copy
    if data is None:
        if source is None:
            raise ValueError("place needs a cached file or its bytes")
        data = source.read_bytes()
    target.write_bytes(data)


def default_root() -> Path | None:
    """The per-user cache folder for site builds (None if none is writable)."""
    return user_cache("site")


def _private_dir(path: Path) -> bool:
    """Create `path` (mode 0700) if needed; true when it is a real directory that we own."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and owner_ok and os.access(path, os.W_OK)


def _bases() -> list[Path]:
    """Where a per-user cache may live: the XDG cache directory, then a per-user folder in tmp."""
    bases = []
    xdg = os.environ.get("XDG_CACHE_HOME")
    home = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    bases.append(home / "archviz")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    bases.append(Path(tempfile.gettempdir()) / f"archviz-{uid}")
    return bases


def user_cache(name: str) -> Path | None:
    """A private per-user folder `name` for archviz's caches (None if none is writable)."""
    for base in _bases():
        here = base / name
        if _private_dir(base) and _private_dir(here):
            return here
    return None
