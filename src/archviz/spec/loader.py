"""Load specs from YAML with every error located by file, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from archviz.errors import Problem, SpecError
from archviz.spec.limits import LIMITS, check_nodes, check_size, check_values, read_text
from archviz.spec.models import ModelSpec

Path_ = tuple[str | int, ...]


class Spec:
    """A validated spec together with its id and where it came from."""

    __slots__ = ("id", "lines", "model", "origin")

    def __init__(self, id: str, model: ModelSpec, origin: str, lines: dict[Path_, int] | None = None) -> None:
        self.id = id
        self.model = model
        self.origin = origin
        self.lines = lines or {}

    def line_of(self, path: Path_) -> int | None:
        """The line of the field at `path` in the spec's file (or of its nearest parent)."""
        return _nearest_line(self.lines, path)

    def __repr__(self) -> str:
        return f"Spec({self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spec) and (self.id, self.model) == (other.id, other.model)

    def __hash__(self) -> int:
        return hash(self.id)


ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")


def _line_index(node: yaml.Node, path: Path_, out: dict[Path_, int], file: str) -> None:
    """Record the 1-based line of every key and item below `node`; reject duplicate keys."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise SpecError(
                    [Problem(f"duplicate key '{key}'", file, key_node.start_mark.line + 1, _dotted((*path, key)))]
                )
            seen.add(key)
            _line_index(value_node, (*path, key), out, file)
            out[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), out, file)


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _nearest_line(lines: dict[Path_, int], path: Path_) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def problems(err: ValidationError, lines: dict[Path_, int], file: str) -> list[Problem]:
    """A pydantic error as Problems, each with the line of the field it is about."""
    out = []
    errors = err.errors()
    members = {tuple(e["loc"]) for e in errors if _literal_at(e["loc"]) is None}
    for e in errors:
        at = _literal_at(e["loc"])
        if at is not None and any(m[:at] == tuple(e["loc"][:at]) for m in members):
            continue  # 'X | shared': the other member's error says what is wrong
        loc = _without_tags(tuple(p for p in e["loc"] if not _wrapper(p)))
        ctx = e.get("ctx") or {}
        if e["type"] == "unknown_key":
            loc = (*loc, ctx["key"])
        elif e["type"] == "invalid" and "field" in ctx:
            loc = loc + tuple(int(p) if p.isdigit() else p for p in str(ctx["field"]).split("."))
        msg = e["msg"]
        if e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] == "union_tag_not_found":
            loc, msg = (*loc, ctx.get("discriminator", "kind").strip("'")), "required field is missing"
        elif e["type"] not in ("unknown_key", "invalid") and isinstance(e.get("input"), str | int | float):
            shown = repr(e["input"])
            msg += f" (got {shown[:60]}...)" if len(shown) > 60 else f" (got {shown})"
        out.append(Problem(msg, file, _nearest_line(lines, loc), _dotted(loc) or None))
    return out


def _wrapper(part: object) -> bool:
    """A location part pydantic adds for a validator or a union member (users never wrote it)."""
    return isinstance(part, str) and bool(re.match(r"(function-[a-z]+|literal)\[", part))


def _literal_at(loc: Any) -> int | None:
    """Where a union's literal member ('shared', 'undisclosed') appears in an error location."""
    return next((i for i, p in enumerate(loc) if isinstance(p, str) and p.startswith("literal[")), None)


def _without_tags(loc: Path_) -> Path_:
    """Drop the discriminator tag pydantic puts after mixers.NAME / ffns.NAME; users never wrote it."""
    out = list(loc)
    if len(out) >= 3 and out[0] in ("mixers", "ffns"):
        del out[2]
    return tuple(out)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader (libyaml's when present: faster, and it bounds nesting itself) whose
    values that YAML cannot represent (2024-02-30, an integer of 5,000 digits) are errors that
    carry their line, like syntax errors (only the scalar constructors that can fail are wrapped)."""


def _carrying_line(construct: Any) -> Any:
    def wrapped(loader: _Loader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            text = str(node.value)
            why = f"an integer of {len(text):,} digits" if node.tag.endswith(":int") and len(text) > 1000 else exc
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {text[:40]!r}{'...' if len(text) > 40 else ''}: {why}", node.start_mark
            ) from None

    return wrapped


for _tag in ("int", "float", "timestamp"):
    _Loader.add_constructor(
        f"tag:yaml.org,2002:{_tag}", _carrying_line(yaml.SafeLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"])
    )


def parse(text: str, file: str = "<string>", id: str | None = None) -> Spec:
    """Validate YAML text as a spec; raise SpecError naming file, line and field."""
    data, lines = read_yaml(text, file, "a spec")
    return validate(data, file=file, id=id, lines=lines)


def read_yaml(text: str, file: str, what: str) -> tuple[dict[str, Any], dict[Path_, int]]:
    """YAML text as a mapping, with the line of every key and item; SpecError naming the file and
    line on anything else (`what` names the document: 'a spec', 'the archviz config').

    The text is composed into nodes once; their size and nesting are checked (limits.py) before
    anything expands aliases, then the same nodes are indexed by line and constructed."""
    check_size(len(text.encode("utf-8", "surrogatepass")), file)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            raise SpecError([Problem(f"{what} must be a YAML mapping of keys to values", file, 1)])
        check_nodes(node, file)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        kind = "" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error: "
        raise SpecError([Problem(f"{kind}{exc.problem or exc}", file, line)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(f"YAML error: {exc}", file)]) from None
    except RecursionError:
        raise SpecError([Problem(f"the YAML nests deeper than {LIMITS.depth} levels", file)]) from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _line_index(node, (), lines, file)
    return data, lines


def validate(
    data: dict[str, Any], file: str = "<mapping>", id: str | None = None, lines: dict[Path_, int] | None = None
) -> Spec:
    """Validate an already-parsed mapping as a spec."""
    if not isinstance(data, dict):
        raise SpecError([Problem("a spec must be a mapping of keys to values", file, 1)])
    check_values(data, file, lambda path: _nearest_line(lines or {}, path))
    try:
        model = ModelSpec.model_validate(data)
    except ValidationError as err:
        raise SpecError(problems(err, lines or {}, file)) from None
    spec_id = id or slug(model.name)
    if not ID_RE.match(spec_id):
        raise SpecError([Problem(f"'{spec_id}' is not a valid model id (lower-case letters, digits, '.', '-')", file)])
    return Spec(spec_id, model, file, lines)


def slug(name: str) -> str:
    """A model id from a display name: 'Llama 3 8B' -> 'llama-3-8b'."""
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")


def load_file(path: str | Path) -> Spec:
    """Load and validate one spec file; its id is the file name."""
    p = Path(path)
    return parse(read_text(p), file=str(p), id=p.stem.lower())
