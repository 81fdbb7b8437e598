"""MkDocs hooks: the pages made from the code, so they can never drift from it: the spec field
reference (from the pydantic models), the Python API (from signatures and docstrings), and the
gallery of every catalog figure (drawn by archviz's own Markdown extension)."""

from __future__ import annotations

import inspect
from typing import Any

from mkdocs.structure.files import File, Files


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def reference() -> str:
    from archviz.spec.models import json_schema

    schema = json_schema()
    defs = schema.get("$defs", {})

    def kind(prop: dict[str, Any]) -> str:
        if "$ref" in prop:
            name = prop["$ref"].split("/")[-1]
            return f"[{name}](#{name.lower()})"
        if "anyOf" in prop:
            return " or ".join(kind(p) for p in prop["anyOf"])
        if prop.get("type") == "array":
            return f"list of {kind(prop.get('items', {}))}"
        if prop.get("type") == "object" and "additionalProperties" in prop:
            return f"map of {kind(prop['additionalProperties'])}"
        if "enum" in prop:
            return " / ".join(f"`{v}`" for v in prop["enum"])
        if "const" in prop:
            return f"`{prop['const']}`"
        return str(prop.get("type", "any"))

    def table(model: dict[str, Any]) -> str:
        required = set(model.get("required", ()))
        rows = ["| field | type | required | what it means |", "|---|---|---|---|"]
        for name, prop in model.get("properties", {}).items():
            what = _md(prop.get("description", "")) or "—"
            rows.append(f"| `{name}` | {_md(kind(prop))} | {'yes' if name in required else ''} | {what} |")
        return "\n".join(rows)

    parts = [
        "# Spec fields",
        "",
        "Generated from the pydantic models of `archviz.spec.models` when the docs are built; the same "
        "models give `schema/spec.schema.json` (`archviz schema`) for editors.",
        "",
        "## The spec",
        "",
        table(schema),
    ]
    for name in sorted(defs):
        parts += ["", f"## {name}", "", _md(defs[name].get("description", "")), "", table(defs[name])]
    return "\n".join(parts) + "\n"


def api() -> str:
    import archviz

    parts = [
        "# Python API",
        "",
        "Generated from the signatures and docstrings of what `import archviz` offers.",
    ]
    for name in sorted(archviz._EXPORTS):  # the package's own table of exports
        obj = getattr(archviz, name)
        doc = inspect.getdoc(obj) or ""
        try:
            sig = f"{name}{inspect.signature(obj)}"
        except (TypeError, ValueError):
            sig = name
        parts += ["", f"## `{name}`", "", f"```python\n{sig}\n```", "", doc.replace("<", "&lt;")]
    return "\n".join(parts) + "\n"


def gallery() -> str:
    from archviz.spec import catalog_ids

    parts = [
        "# Gallery",
        "",
        "Every model of the bundled catalog, drawn as on the poster (`compact`), when the docs are built.",
    ]
    for i in catalog_ids():
        parts += ["", f"## {i}", "", f"```archviz model={i} compact\n```"]
    return "\n".join(parts) + "\n"


def on_files(files: Files, config: Any) -> Files:
    for uri, make in (("reference.md", reference), ("api.md", api), ("gallery.md", gallery)):
        files.append(File.generated(config, uri, content=make()))
    return files
