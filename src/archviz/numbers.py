"""Human formatting of counts, sizes and Markdown text, shared by the CLI, diagrams and sheets."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MD_SPECIAL = re.compile(r"([\\`*_\[\]()#!|~$])")
"""Characters that start Markdown syntax (emphasis, code, links, headings, tables, GFM
strikethrough, Jupyter's $math$); `&<>"'` become HTML entities instead."""


def count(n: float, exact: bool = False) -> str:
    """1_234_000_000 -> '1.23B'; 671e9 -> '671B'; 1.04e12 -> '1.04T'. With `exact`, up to four
    significant digits, so a published 120.6B stays '120.6B' rather than '121B'."""
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= div:
            v = n / div
            digits = 0 if v >= 100 else 1 if v >= 10 else 2
            text = f"{v:.4g}" if exact else f"{v:.{digits}f}"
            return (text.rstrip("0").rstrip(".") if "." in text else text) + suffix
    return str(int(n))


def kib(nbytes: float) -> str:
    """Bytes as KiB with up to three decimals and grouped digits: 70272 -> '68.625 KiB',
    1572864 -> '1,536 KiB'."""
    v = nbytes / 1024
    return f"{v:,.3f}".rstrip("0").rstrip(".") + " KiB"


def size(nbytes: float) -> str:
    """Bytes in the largest binary unit that keeps the number at or above 1: '21.4 MiB'."""
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if nbytes >= div:
            return f"{nbytes / div:.1f} {unit}"
    return kib(nbytes)


def tokens(n: int | None) -> str:
    """131072 -> '128k'; 8192 -> '8k'; 1000000 and 1048576 -> '1M'; None (no fixed limit) -> 'no limit'."""
    if n is None:
        return "no limit"
    for unit in (1_000_000, 1 << 20):
        if n >= unit and n % unit == 0:
            return f"{n // unit}M"
    if n % 1024 == 0:
        return f"{n // 1024}k"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return f"{n:,}"


def cell(value: object, absent: bool = False) -> str:
    """A value in a comparison table: '—' when absent, yes/no, grouped digits."""
    if absent or value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def md(text: object) -> str:
    """Text (from a spec) as inert Markdown, the way `render.site.e` makes it inert HTML: HTML
    specials become entities, Markdown specials are backslash-escaped, and line breaks become
    spaces, so a name cannot open a tag, a link, emphasis or code, nor end a table row."""
    flat = " ".join(str(text).split())
    return html.escape(MD_SPECIAL.sub(r"\\\1", flat), quote=True)


def md_row(cells: Iterable[object]) -> str:
    """One Markdown table row, every cell escaped with `md` (so a `|` cannot split it)."""
    return "| " + " | ".join(md(c) for c in cells) + " |"
