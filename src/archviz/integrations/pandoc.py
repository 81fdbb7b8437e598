"""A Pandoc filter (so Quarto too) that draws a model's figure where a document asks for one.

In a document, a code block with the class ``archviz`` and the figure's options as attributes
(or as ``key=value`` words in its body)::

    ```{.archviz model=llama-3-8b highlight=mixers.attn size=article}
    ```

Run it as ``pandoc doc.md --filter archviz-pandoc -o doc.html``, or in Quarto's front matter as
``filters: [archviz-pandoc]``. HTML output (html, revealjs, epub) gets the SVG inline; any other
output gets an image file: a PDF for LaTeX and Beamer, a PNG for Word, PowerPoint and the rest,
written to ``archviz-figures/`` (or ``$ARCHVIZ_FIGURES``) and named by the figure's content, so
a rebuild writes nothing new. A bad spec or option stops Pandoc with the spec's own message.

The filter reads and writes Pandoc's JSON AST with the standard library only: a code block is
``{"t": "CodeBlock", "c": [[id, classes, attributes], text]}``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from archviz.errors import ArchvizError

HTML = ("html", "html4", "html5", "revealjs", "slidy", "slideous", "dzslides", "s5", "epub", "epub2", "epub3")
VECTOR = ("latex", "beamer", "context")


def options_of(block: list[Any]) -> tuple[str, dict[str, str]]:
    """The model and the options of an archviz code block's content ([[id, classes, kvs], text])."""
    (_, _, attributes), text = block
    options = {str(k): str(v) for k, v in attributes}
    for word in shlex.split(text.replace("\n", " ")):
        name, _, value = word.partition("=")
        options[name] = value if "=" in word else "true"
    model = options.pop("model", "")
    if not model:
        raise ArchvizError(f"an archviz block needs model=ID (got {text.strip()!r} and {dict(attributes)!r})")
    return model, options


def figure_block(block: list[Any], fmt: str, folder: Path) -> dict[str, Any]:
    """What replaces an archviz code block in output format `fmt`."""
    from archviz.integrations import figure_bytes, figure_svg
    from archviz.render.files import write_atomic

    model, options = options_of(block)
    if fmt.split("+")[0].split("-")[0] in HTML:
        return {"t": "RawBlock", "c": ["html", f'<div class="archviz-figure">{figure_svg(model, options)}</div>']}
    form = "pdf" if fmt in VECTOR else "png"
    data = figure_bytes(model, options, form)
    path = folder / f"{model}-{hashlib.sha256(data).hexdigest()[:12]}.{form}"
    if not path.exists():
        write_atomic(path, data)
    caption = options.get("caption", "")
    alt = [{"t": "Str", "c": caption or model}]
    image = {"t": "Image", "c": [["", [], []], alt, [path.as_posix(), ""]]}
    return {"t": "Para", "c": [image]}


def walk(node: Any, fmt: str, folder: Path) -> Any:
    """`node` with every archviz code block below it replaced by its figure."""
    if isinstance(node, list):
        return [walk(n, fmt, folder) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("t") == "CodeBlock" and "archviz" in node["c"][0][1]:
        return figure_block(node["c"], fmt, folder)
    return {k: walk(v, fmt, folder) for k, v in node.items()}


def main() -> None:
    """Pandoc runs a JSON filter with the output format as its first argument and the document's
    AST on standard input; the changed AST goes to standard output."""
    fmt = sys.argv[1] if len(sys.argv) > 1 else "html"
    folder = Path(os.environ.get("ARCHVIZ_FIGURES") or "archviz-figures")
    try:
        doc = json.load(sys.stdin)
        doc["blocks"] = walk(doc["blocks"], fmt, folder)
    except ArchvizError as e:
        print(f"archviz: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        print(f"archviz: standard input is not a Pandoc JSON document ({e})", file=sys.stderr)
        raise SystemExit(2) from None
    json.dump(doc, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
