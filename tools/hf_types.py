"""Write the list of config.json model types archviz imports, and of those it refuses with the
construct they need, into README.md and docs/cli.md (between the hf-types markers). A test
checks that both say what the code says."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = (ROOT / "README.md", ROOT / "docs" / "cli.md")
MARKERS = re.compile(r"<!-- hf-types:start -->.*?<!-- hf-types:end -->", flags=re.S)


def block() -> str:
    from archviz.spec.hf import SUPPORTED
    from archviz.spec.hf.families import UNDRAWABLE

    supported = ", ".join(f"`{t}`" for t in sorted(SUPPORTED))
    refused: dict[str, list[str]] = {}
    for model_type, construct in sorted(UNDRAWABLE.items()):
        refused.setdefault(construct, []).append(f"`{model_type}`")
    lines = [
        "<!-- hf-types:start -->",
        f"Imported ({len(SUPPORTED)} model types): {supported}.",
        "",
        "Refused, naming the construct archviz cannot draw yet:",
        "",
        *(f"- {construct}: {', '.join(types)}" for construct, types in refused.items()),
        "",
        "Any other type is refused with the list above; `--as FAMILY` maps it onto one of them.",
        "<!-- hf-types:end -->",
    ]
    return "\n".join(lines)


def main() -> None:
    for path in FILES:
        path.write_text(MARKERS.sub(lambda _: block(), path.read_text()))
        print(f"wrote the model types into {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
