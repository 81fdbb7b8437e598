"""Resolving what a user names, a catalog id, a spec file, a Hugging Face config.json (or its
folder) or a Hub id ('Qwen/Qwen3-8B'), to a Spec.

Importing a config needs the parameter count (a config has no published figure), which lives in
the facts stage, so the dispatch happens here rather than in the spec stage.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archviz.facts.params import breakdown
from archviz.spec import BUILTIN, Catalog, Spec
from archviz.spec.hf import Metadata, hub, import_config, load_hf, spec_yaml
from archviz.spec.hf.config import text_part, unread_keys
from archviz.spec.hf.files import read_config
from archviz.spec.loader import slug, validate
from archviz.spec.models import ModelSpec


def _count(model: ModelSpec) -> int:
    return breakdown(model).total


def is_hf_config(ref: str | Path) -> bool:
    """A path to a .json file, or to a folder that holds config.json."""
    p = Path(ref)
    return p.suffix.lower() == ".json" or (p.is_dir() and (p / "config.json").is_file())


def resolve(ref: str | Path | Spec, catalog: Catalog = BUILTIN) -> Spec:
    """A Spec from an id in `catalog`, a spec YAML file, a config.json (or its folder), a Hugging
    Face Hub id, or a Spec."""
    if isinstance(ref, Spec):
        return ref
    if is_hf_config(ref):
        return load_hf(ref, count_params=_count)
    if hub.is_hub_id(ref):
        return import_hf(str(ref))[0]
    return catalog.load(ref)


def import_hf(ref: str | Path, id: str | None = None, meta: Metadata | None = None) -> tuple[Spec, str]:
    """Import a config.json, its folder or a Hub id as (validated spec, its YAML text with the
    schema line). `meta` fills what a config cannot tell; for a Hub id, the repository names the
    model and its organization, and the model card gives the licence and the base models.
    `import_warnings` says what to check in the result."""
    source = None
    if hub.is_hub_id(ref):
        repo = str(ref)
        ref = hub.fetch_config(repo)  # first: a repository that cannot be had stops here
        meta = _from_hub(repo, meta or Metadata())
        source, id = hub.config_url(repo), id or slug(repo.split("/")[1])
    spec_dict, spec_id, file = import_config(ref, count_params=_count, id=id, source=source, meta=meta)
    return validate(spec_dict, file=file, id=spec_id), spec_yaml(spec_dict)


def _from_hub(repo: str, given: Metadata) -> Metadata:
    """What the repository id and its model card say, under what the user gave."""
    org, name = repo.split("/")
    card = hub.card_metadata(repo)
    licence = card.get("license_name") or card.get("license")
    base = card.get("base_model") or []
    bases = [base] if isinstance(base, str) else [b for b in base if isinstance(b, str)]
    return replace(
        given,
        name=given.name or name,
        organization=given.organization or org,
        license=given.license or (str(licence) if isinstance(licence, str) and licence != "other" else None),
        based_on=given.based_on or tuple(_catalog_id(b) for b in bases if _catalog_id(b)),
    )


def _catalog_id(repo: str) -> str:
    """The catalog id of a Hub repository (matched by the config its spec links to), else a slug
    of its name, so a base model the catalog has joins the lineage graph."""
    for spec in BUILTIN.load_all():
        config = spec.model.links.config or ""
        if f"huggingface.co/{repo}/".lower() in config.lower():
            return spec.id
    return slug(repo.split("/")[-1])


def import_warnings(spec: Spec, as_family: str | None = None) -> list[str]:
    """What to check after an import: a total far from the size the name states, and with --as,
    the config's keys the chosen family does not read (what could not be checked)."""
    from archviz.facts.checks import warnings

    out = [f"{p.field}: {p.message}" for p in warnings(spec) if p.field and p.field.startswith("params")]
    if as_family:
        config, _ = read_config(Path(spec.origin))
        own = text_part(config)[1]
        unread = unread_keys(config, as_family)
        note = f"model_type '{own}' read as '{as_family}'; nothing checks that it is built the same way"
        out.append(note + (f"; keys {as_family} does not read: {', '.join(unread)}" if unread else ""))
    return out
