"""Atomic file output: write beside the target, then rename, so no half-written file remains.

Temporary files and folders are named `.<target>.<pid>-<random>.tmp` (or `.build`), so a run can
recognise the leftovers of a run that was killed (its process is gone) and remove them, and never
touches anything else.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from archviz.errors import ArchvizError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or we cannot tell: leave its files alone
    return True


def _temporaries(target: Path, suffix: str) -> Iterator[tuple[Path, int]]:
    """archviz's temporaries beside `target` (`.<name>.<pid>-<random><suffix>`), with the pid
    that made each: nothing else beside it is ever listed."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)-[A-Za-z0-9_]+{re.escape(suffix)}")
    try:
        siblings = sorted(target.parent.iterdir())
    except OSError:
        return
    for p in siblings:
        if m := pattern.fullmatch(p.name):
            yield p, int(m.group(1))


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


def clean_stale(target: Path, suffix: str) -> None:
    """Remove temporaries for `target` left by archviz runs whose process no longer exists."""
    for p, pid in _temporaries(target, suffix):
        if pid != os.getpid() and not _alive(pid):
            _remove(p)


def remove_own(target: Path, suffix: str) -> None:
    """Remove this process's temporaries for `target` (on an error or a signal, wherever it
    struck, even before the caller learned the temporary's name)."""
    for p, pid in _temporaries(target, suffix):
        if pid == os.getpid():
            _remove(p)


def temp_file(target: Path) -> tuple[int, str]:
    """An open temporary file beside `target` (fd, path), after clearing stale ones."""
    clean_stale(target, ".tmp")
    return tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)


def temp_dir(target: Path) -> Path:
    """A new temporary folder beside `target`, after clearing stale ones."""
    restore_aside(target)
    clean_stale(target, ".build")
    clean_stale(target, ".build.old")
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".build", dir=target.parent))


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write `data` to `path` via a temporary file in the same directory and an atomic rename."""
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with output_errors(target):
        try:  # from before the temporary file exists, so a signal at any point leaves none behind
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = temp_file(target)
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual permissions
            os.replace(tmp, target)
        except BaseException:
            remove_own(target, ".tmp")
            raise
    return target


@contextlib.contextmanager
def output_errors(target: Path) -> Iterator[None]:
    """Report an OSError while writing `target` as a user's error that names the target (not our
    temporary file): a missing or read-only folder, a directory in the way, a full disk."""
    try:
        yield
    except BrokenPipeError:
        raise
    except IsADirectoryError:
        raise ArchvizError(f"cannot write {target}: it is a directory") from None
    except OSError as exc:
        raise ArchvizError(f"cannot write {target}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


SITE_MARKER = ".archviz-site"
"""A file in every folder `archviz gallery` writes: only such a folder is replaced without --force."""


def check_replaceable(target: Path, force: bool = False) -> None:
    """Refuse to put a folder in place of `target` when that would delete what archviz did not write."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise ArchvizError(f"{target} exists and is not a folder; choose another output folder")
    if (target / SITE_MARKER).is_file() or force:
        return
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        raise ArchvizError(f"cannot use {target}: {exc.strerror or exc}") from None
    if not empty:
        raise ArchvizError(
            f"{target} holds files that archviz did not write; choose another folder, "
            "or pass --force to replace it and everything in it"
        )


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace_dir(work: Path, target: Path) -> None:
    """Put the finished folder `work` at `target`. Where the system can swap two folders in one
    step, a reader (or a kill) sees the old folder or the new one, never none; elsewhere the old
    one is moved aside first, and a run that is killed between the two renames leaves it aside
    under a name the next run recognises and restores."""
    if not target.exists():
        work.rename(target)
        return
    if _exchange(work, target):
        shutil.rmtree(work, ignore_errors=True)  # `work` now holds the old folder
        return
    aside = Path(f"{work}.old")
    target.rename(aside)
    work.rename(target)
    shutil.rmtree(aside, ignore_errors=True)


def restore_aside(target: Path) -> None:
    """If a killed run left `target`'s old folder aside and no folder at `target`, put it back."""
    if target.exists():
        return
    for p, pid in _temporaries(target, ".build.old"):
        if not _alive(pid) and (p / SITE_MARKER).is_file():
            p.rename(target)
            return
