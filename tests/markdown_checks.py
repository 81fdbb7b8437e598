"""Checks that Markdown built from spec text is inert: it renders to plain text in table cells,
never to tags, links, emphasis or code, and no cell is split or row ended by the text."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt


def cells(row: str) -> list[str]:
    """A Markdown table row split at its unescaped pipes (the outer ones included)."""
    out, cur, escaped = [], "", False
    for ch in row:
        if ch == "|" and not escaped:
            out.append(cur)
            cur = ""
        else:
            cur += ch
        escaped = ch == "\\" and not escaped
    return [*out, cur]


def assert_inert(md: str, columns: int, strong: int = 0) -> None:
    """`md` is a bold title line then a table of `columns` columns, whatever text it holds;
    `strong` is how many bold spans the title itself makes."""
    assert "<" not in md and ">" not in md and "](" not in md
    assert not re.search(r"(?<!\\)[`\[\]]", re.sub(r"\\\\", "", md))
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert rows and all(len(cells(r)) == columns + 2 for r in rows), rows
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    for tag in ("<img", "<a ", "<script", "<em>", "<code>", "<s>", "<h1>", "<h2>", "<p>#"):
        assert tag not in html, (tag, html)
    assert html.count("<strong>") == strong
    assert html.count("<tr>") == len(rows) - 1  # the delimiter row is not a row
    assert all(r.count("<td>") + r.count("<th>") == columns for r in html.split("<tr>")[1:])
