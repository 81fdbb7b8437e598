"""The `archviz` command's entry point, with a fast path for the call Makefiles and hooks repeat.

`archviz render MODEL -o OUT` of a spec that has not changed since it was last rendered is a
copy from the render cache (archviz.cli keeps it). Recognising that call needs neither click
nor the rest of the command line, so it is answered here before they load; any other call, or
any trouble on the way, goes to the full command line (archviz.cli), which does the same thing
with its own errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

FORMATS = (".svg", ".png", ".pdf")


def cached_render(argv: list[str]) -> Path | None:
    """Answer `render MODEL -o OUT` (default options, the bundled catalog) from the cache, or
    None when the call is any other or the cache has no such render."""
    if len(argv) != 4 or argv[0] != "render":
        return None
    rest = argv[1:]
    at = next((i for i, a in enumerate(rest) if a in ("-o", "--output")), None)
    if at is None or at == 2:
        return None
    out = Path(rest[at + 1])
    model = rest[2] if at == 0 else rest[0]
    if model.startswith("-") or out.suffix.lower() not in FORMATS:
        return None
    from archviz.render.cache import DEFAULT_FIGURE, Cache, default_root, render_key
    from archviz.render.files import write_atomic
    from archviz.spec.catalog import BUILTIN

    spec_file, root = BUILTIN.file_of(model), default_root()
    if spec_file is None or root is None:
        return None
    hit = Cache(root).get(render_key(spec_file, out, "", repr(96.0), "text", DEFAULT_FIGURE), ("output",))
    return write_atomic(out, hit["output"]) if hit is not None else None


def main() -> None:
    try:
        out = cached_render(sys.argv[1:])
    except Exception:
        out = None
    if out is not None:
        print(f"wrote {out}")
        return
    from archviz.cli import main as cli

    cli()
