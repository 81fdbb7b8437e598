"""Limits on what a spec may hold, as data in one place, checked before any expensive work.

Every bound sits far above any published model, so a real spec never meets one; they exist so a
hostile or mistyped file ends in a clear error naming the file, line and field instead of minutes
of work, gigabytes of memory or a crash deep inside a later stage.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from archviz.errors import Problem, SpecError


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 1_000_000
    """A spec file (the largest bundled spec is about 6 kB)."""
    values: int = 50_000
    """Keys, items and scalars in a spec once YAML aliases are expanded."""
    depth: int = 24
    """Nesting of mappings and lists (a spec needs about 6)."""
    text: int = 4_000
    """Characters in any string (key details, notes, URLs)."""
    line: int = 200
    """Characters in a one-line field: names, organization, licence."""
    sentence: int = 600
    """Characters in the key detail and in each note, which figures print in full."""
    notes: int = 16
    """Notes drawn on a figure."""
    items: int = 64
    """Entries of other lists: sources, undisclosed details, based_on."""
    kinds: int = 64
    """Distinct mixers, and distinct FFNs, in one spec (a real model has one to three)."""
    number: int = 10**18
    """Magnitude of any integer in the file (parameter counts are bounded separately)."""
    params: int = 10**16
    """A parameter count (10 quadrillion; the largest published model is about 2 trillion)."""
    heads: int = 4096
    """Attention or state heads of one layer."""
    width: int = 1 << 20
    """A hidden size, head dimension, rank or FFN width."""
    experts: int = 1 << 21
    """Routed experts (PEER-style layers reach a million)."""
    vocab: int = 1 << 24
    """Vocabulary entries."""
    context: int = 1 << 31
    """Context length, window or chunk, in tokens."""
    small: int = 1024
    """Small counts: conv kernels, shared experts, MTP modules, groups."""
    theta: float = 1e15
    """A RoPE base frequency."""


LIMITS = Limits()

# Control characters (tab and newline aside), lone surrogates, non-characters, and the bidi
# embedding, override and isolate characters that can make text display as something else.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
ONE_LINE_FORBIDDEN = re.compile("[\t\n]")

Path_ = tuple[str | int, ...]


def bad_text(text: str, one_line: bool = False) -> str | None:
    """Why `text` cannot appear in a spec, or None when it can."""
    hit = FORBIDDEN.search(text) or (ONE_LINE_FORBIDDEN.search(text) if one_line else None)
    if hit:
        what = "a bidi control character" if "\u202a" <= hit.group() <= "\u2069" else "a control character"
        return f"contains {what} (U+{ord(hit.group()):04X}) at position {hit.start() + 1}"
    limit = LIMITS.line if one_line else LIMITS.text
    if len(text) > limit:
        return f"is {len(text):,} characters long; at most {limit:,} are allowed"
    return None


def check_size(size: int, file: str) -> None:
    """Refuse a file too large to be a spec before reading it."""
    if size > LIMITS.file_bytes:
        raise SpecError([Problem(f"the file is {size:,} bytes; a spec is at most {LIMITS.file_bytes:,} bytes", file)])


def read_text(path: Path) -> str:
    """A spec or config file's text, read only if it is a regular file within the size limit (a
    path like /dev/zero or a FIFO would never end), and decoded as UTF-8; errors name the file."""
    file = str(path)
    try:
        if path.exists() and not path.is_dir() and not path.is_file():  # before open(): a FIFO blocks it
            raise SpecError([Problem("not a regular file", file)])
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SpecError([Problem("not a regular file", file)])
            check_size(info.st_size, file)
            data = fh.read(LIMITS.file_bytes + 1)
    except FileNotFoundError:
        raise SpecError([Problem("no such file", file)]) from None
    except IsADirectoryError:
        raise SpecError([Problem("is a folder, not a file", file)]) from None
    except OSError as exc:
        raise SpecError([Problem(f"cannot read: {exc.strerror or exc}", file)]) from None
    check_size(len(data), file)  # it may have grown since fstat
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError([Problem(f"not UTF-8 text (byte {exc.start + 1})", file)]) from None


def check_nodes(root: yaml.Node, file: str) -> None:
    """Refuse YAML whose aliases expand past the value limit, nest too deep, or refer to
    themselves, before anything walks the expanded tree (an 8-line alias chain can expand to
    10^9 values). Shared nodes are measured once, so this costs one pass over the file's nodes."""
    measured: dict[int, tuple[int, int]] = {}  # node id -> (values below it, its height)
    open_: set[int] = set()

    def fail(node: yaml.Node, message: str) -> SpecError:
        return SpecError([Problem(message, file, node.start_mark.line + 1)])

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        if depth > LIMITS.depth:
            raise fail(node, f"the YAML nests deeper than {LIMITS.depth} levels")
        key = id(node)
        if key in measured:
            return measured[key]
        if key in open_:
            raise fail(node, "an alias refers to a mapping or list that contains it")
        open_.add(key)
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        total, height = 1, 0
        for child in children:
            n, h = measure(child, depth + 1)
            total, height = total + n, max(height, h + 1)
            if total > LIMITS.values:
                raise fail(node, f"the YAML expands to more than {LIMITS.values:,} values (through aliases?)")
        if depth + height > LIMITS.depth:
            raise fail(node, f"the YAML nests deeper than {LIMITS.depth} levels (through aliases)")
        open_.discard(key)
        measured[key] = (total, height)
        return total, height

    measure(root, 0)


def check_values(data: Any, file: str, line_of: Callable[[Path_], int | None]) -> None:
    """Refuse text with control or bidi characters or past the length limit, integers past the
    number limit and non-finite floats, anywhere in parsed data (YAML or JSON), naming the field."""
    count = 0

    def fail(path: Path_, message: str) -> SpecError:
        dotted = ".".join(str(p) for p in path) or None
        return SpecError([Problem(message, file, line_of(path), dotted)])

    def walk(value: Any, path: Path_) -> None:
        nonlocal count
        count += 1
        if count > LIMITS.values:
            raise fail(path, f"the data holds more than {LIMITS.values:,} values")
        if len(path) > LIMITS.depth:
            raise fail(path, f"the data nests deeper than {LIMITS.depth} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and (why := bad_text(key, one_line=True)):
                    raise fail((*path, key), f"the key {why}")
                walk(item, (*path, key if isinstance(key, str | int) else str(key)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))
        elif isinstance(value, str):
            if why := bad_text(value):
                raise fail(path, f"the text {why}")
        elif isinstance(value, bool):
            return
        elif isinstance(value, int):
            if abs(value) > LIMITS.number:
                digits = int(value.bit_length() * math.log10(2)) + 1  # str() of a huge int raises
                raise fail(path, f"the number has about {digits} digits; no spec value is that large")
        elif isinstance(value, float) and not math.isfinite(value):
            raise fail(path, f"expected a finite number, got {value}")

    walk(data, ())
