"""The static gallery site: every model's page, compare, lineage, scale, concepts, poster, feed.

The site works from file:// and any static host: no server code, no CDN, no fetch. Data the
pages need at run time is written as small scripts (window.ARCHVIZ_*); the compare page diffs any
pair in the browser from one record per model, so the site grows linearly with the catalog.
Each model's figures are drawn on all cores and kept in a content-addressed cache, so a rebuild
redraws only what changed. The site is built in a temporary folder beside the target and
swapped in at the end, so a failed build leaves the old site whole.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from archviz import numbers as fmt
from archviz.errors import ArchvizError
from archviz.facts import kvcache, params
from archviz.facts.concepts import concepts, concepts_of, models_using
from archviz.facts.summary import Facts, fact_sheet, facts
from archviz.kinds import mixer_kind
from archviz.layout import model_layout
from archviz.layout.charts import kv_chart, params_chart
from archviz.layout.concept import concept_layout
from archviz.layout.geometry import Layout
from archviz.layout.lineage import lineage_layout
from archviz.layout.poster import (
    SheetPlan,
    compact_layout,
    compose,
    panel_row,
    plan_inputs,
    plan_poster,
    plan_poster_or_sheets,
)
from archviz.products.compare import compare_record, labels
from archviz.products.poster import Poster
from archviz.products.select import select
from archviz.render import site, to_svg
from archviz.render.cache import Cache, default_root, place
from archviz.render.cache import key as cache_key
from archviz.render.files import SITE_MARKER, check_replaceable, output_errors, remove_own, replace_dir, temp_dir
from archviz.spec import BUILTIN, Catalog, Spec
from archviz.spec.limits import bad_text
from archviz.spec.models import ModelSpec
from archviz.style import FONT_DIR

ASSETS = FONT_DIR.parent / "site"
Progress = Callable[[str], None]

BREAKDOWN = (
    ("embedding", "Token embedding"),
    ("positions", "Learned positions"),
    ("mixers", "Attention / mixers"),
    ("ffn", "Dense FFN"),
    ("experts_routed", "Routed experts"),
    ("experts_shared", "Shared experts"),
    ("router", "Routers"),
    ("norms", "Norms"),
    ("output_head", "Output head"),
    ("mtp", "MTP modules (not in the total)"),
)


def attention_kinds(m: ModelSpec) -> tuple[str, ...]:
    """Filter values for the index: GQA, MLA, sliding-window, Gated DeltaNet, ..."""
    kinds: list[str] = []
    for b in m.expanded():
        if b.mixer is not None:
            mixer = m.mixers[b.mixer]
            kinds += [n for n in mixer_kind(mixer).filters(mixer) if n not in kinds]
    return tuple(k.replace(" ", "-") for k in kinds)


def card(spec: Spec, f: Facts, concepts: tuple[tuple[str, str], ...] = ()) -> site.Card:
    """Everything the pages print about one model."""
    m = spec.model
    b = params.breakdown(m)
    rows = [(k, f"{v} ({m.params.note})" if k == "Published" and m.params.note else v) for k, v in fact_sheet(f)]
    rows = [(k, v) for k, v in rows if k != "Key detail"]  # the page prints it under the title
    parts = tuple((label, f"{n:,}") for key, label in BREAKDOWN if (n := getattr(b, key)))
    links = tuple(
        (label, url)
        for label, url in (
            ("config.json", m.links.config),
            ("Technical report", m.links.report),
            ("Article", m.links.article),
            ("Code", m.links.code),
        )
        if url
    )
    notes = (*m.notes, *(f"{u.what}: {u.note}" for u in m.undisclosed))
    year = str(m.release_date.year) if m.release_date else "unknown"
    return site.Card(
        id=spec.id,
        name=m.name,
        organization=m.organization,
        date=m.date_text,
        year=year,
        decoder_type=m.decoder_type,
        attention=f.attention,
        attention_kinds=attention_kinds(m),
        total=fmt.count(f.params_total),
        active=fmt.count(f.params_active),
        total_n=f.params_total,
        active_n=f.params_active,
        kv=fmt.kib(f.kv_cache_bytes_per_token),
        kv_n=f.kv_cache_bytes_per_token,
        tier=f.kv_cache_tier,
        layer_mix=f.layer_mix,
        context=fmt.tokens(m.context_length),
        vocab=f"{m.vocab_size:,}",
        key_detail=m.key_detail,
        concepts=concepts,
        facts=tuple(rows),
        breakdown=parts,
        links=links,
        sources=tuple((s.url, s.covers) for s in m.sources),
        cache=tuple(kvcache.cache_profile(m)),
        state_values=round(kvcache.state_bytes(m, "bf16") / 2),
        context_n=m.context_length or 8192,  # the calculator's starting context
        notes=tuple(notes),
    )


def site_url(base_url: str) -> str:
    """The site's absolute URL for the feed, ending in '/': empty, or http(s) with no spaces,
    quotes, angle brackets or control characters (it lands in XML attributes and links)."""
    if not base_url:
        return ""
    if not re.fullmatch(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f-\x9f]+", base_url) or bad_text(base_url, one_line=True):
        raise ArchvizError(f"--base-url must be an absolute http(s) URL, got {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


MODEL_FILES = ("light.svg", "svg.js", "figure.pdf", "compare.js")
"""What the site keeps of each model, drawn once per spec (and cached). No PNG: the browser draws
one from the page's figure at the scale the reader asks for (site.model_page)."""


def both_themes(layout: Layout) -> tuple[str, str]:
    """The light SVG and the dark one (its ids prefixed, so both can sit in one page)."""
    return to_svg(layout, "light"), to_svg(layout, "dark", id_prefix="dark-")


def draw_model(spec: Spec) -> dict[str, bytes]:
    """One model's site files (a top-level function, so worker processes can run it)."""
    from archviz.render import raster

    layout = model_layout(spec)
    light, dark = both_themes(layout)
    return {
        "light.svg": light.encode(),
        "svg.js": site.js_svgs(spec.id, {"light": light, "dark": dark}).encode(),
        "figure.pdf": raster.pdf(light),
        "compare.js": site.js_data("ARCHVIZ_COMPARE", spec.id, compare_record(spec, layout)).encode(),
    }


class SiteBuilder:
    """Plans the whole site (everything that can fail on the catalog), then writes it into a folder."""

    def __init__(
        self,
        base_url: str,
        progress: Progress | None,
        poster_dpi: float,
        catalog: Catalog = BUILTIN,
        poster_size: str = "auto",
        cache_root: Path | None = None,
    ) -> None:
        self.out = Path()
        self.pool: ProcessPoolExecutor | None = None
        self.base_url = site_url(base_url)
        self.progress = progress or (lambda _: None)
        self.poster_dpi = poster_dpi
        self.specs = select(sort="date", catalog=catalog)
        # The poster is laid out first: a catalog that does not fit its page fails before any rendering.
        self.cache = Cache(cache_root)
        self.model_keys = [self._key(s) for s in self.specs]
        self.progress("poster layout")
        self.panels: dict[str, Layout] = {}
        self.plans = self._plan_posters(poster_size)
        known = [self._facts_and_card(s, k) for s, k in zip(self.specs, self.model_keys, strict=True)]
        self.facts = {s.id: f for s, (f, _) in zip(self.specs, known, strict=True)}
        self.cards = [c for _, c in known]

    def _facts_and_card(self, spec: Spec, model_key: str) -> tuple[Facts, site.Card]:
        """A model's facts and index card: pure functions of its spec, so cached under its key."""
        k = cache_key("gallery-card", model_key)
        known = self.cache.get_pickled(
            k, lambda v: isinstance(v, tuple) and isinstance(v[0], Facts) and isinstance(v[1], site.Card)
        )
        if known is None:
            f = facts(spec)
            known = (f, card(spec, f, tuple((c.id, c.title) for c in concepts_of(spec))))
            self.cache.put_pickled(k, known)
        return known

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    def build(self, out: Path) -> None:
        self.out = out
        try:
            self._build()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
                self.pool = None

    def _map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        """fn over items, results in order: on all cores when there are two or more, submitted at
        once so they draw while this process goes on (one pool of worker processes serves the
        whole build); else in this process, as the results are asked for."""
        cores = os.cpu_count() or 1
        if len(items) < 2 or cores < 2:
            return map(fn, items)
        if self.pool is None:
            self.pool = ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("spawn"))
        return self.pool.map(fn, items)

    def _build(self) -> None:
        for name in ("site.css", "app.js"):
            self.write(name, (ASSETS / name).read_text(encoding="utf-8"))
        self.write("data/fonts.js", site.fonts_js())
        by_date = sorted(self.cards, key=lambda c: c.date, reverse=True)
        orgs = sorted({c.organization for c in self.cards})
        years = sorted({c.year for c in self.cards}, reverse=True)
        kinds = sorted({k for c in self.cards for k in c.attention_kinds})
        self.write("index.html", site.page("Gallery", site.index_page(by_date, orgs, years, kinds), 0, "Gallery"))
        catalog = {c.id: {"name": c.name} for c in self.cards}
        self.write("data/catalog.js", site.js_data("ARCHVIZ_CATALOG", None, catalog))
        self.write("catalog.json", json.dumps([self._export(s) for s in self.specs], indent=1, ensure_ascii=False))
        # The models to draw go to the workers first, then the poster sheets and the catalog-wide
        # figures, which draw while this process writes the model pages.
        models = self._models()
        poster = self._poster()
        extras = self._extras()
        self._pages(models)
        extras()
        poster()
        entries = [(c.id, c.name, c.date, c.key_detail) for c in by_date if c.date[:1].isdigit()]
        latest = by_date[0].date if by_date and by_date[0].date[:1].isdigit() else "1970-01-01"
        self.write("feed.xml", site.atom_feed(entries, self.base_url, latest))

    def _plan_posters(self, size: str) -> list[SheetPlan]:
        """Where each model goes on the poster, or (size 'auto', when even 4A0 cannot hold the
        catalog at 6 pt) on the fewest A0 sheets that can. Cached (pickled: exact) under every
        model's key, and again under what the plan reads of the panels (plan_inputs), so an edit
        that keeps each panel's size reuses the packing."""

        def cached(k: str) -> list[SheetPlan] | None:
            return self.cache.get_pickled(k, lambda v: isinstance(v, list) and all(isinstance(p, SheetPlan) for p in v))

        k = cache_key("gallery-plan", size, *self.model_keys)
        plans = cached(k)
        if plans is None:
            shape = cache_key("gallery-plan-shape", size, plan_inputs([self._row(s) for s in self.specs]))
            plans = cached(shape)
            if plans is None:
                panels = [self._compact(s) for s in self.specs]
                if size.strip().lower() == "auto":
                    plans = plan_poster_or_sheets(self.specs, panels, "A0")
                else:
                    plans = [plan_poster(self.specs, panels, size)]
                self.cache.put_pickled(shape, plans)
            self.cache.put_pickled(k, plans)
        return plans

    def _compact(self, spec: Spec) -> Layout:
        """A model's poster panel, from the cache when its spec and this install are unchanged
        (pickled: exact, so a poster from cached panels is byte-identical to a fresh one)."""
        if spec.id in self.panels:
            return self.panels[spec.id]
        k = self._compact_key(spec)
        layout = self.cache.get_pickled(k, lambda v: isinstance(v, Layout))
        if layout is None:
            layout = compact_layout(spec)
            self.cache.put_pickled(k, layout, **{"row.json": json.dumps(panel_row(spec, layout)).encode()})
        self.panels[spec.id] = layout
        return layout

    def _compact_key(self, spec: Spec) -> str:
        return cache_key("gallery-compact", spec.id, Path(spec.origin).read_bytes())

    def _row(self, spec: Spec) -> list[object]:
        """A model's panel_row, from beside its cached panel (a few bytes, where the panel is
        tens of kilobytes to unpickle)."""
        hit = self.cache.get(self._compact_key(spec), ("row.json",))
        row = json.loads(hit["row.json"]) if hit is not None else None
        return row if isinstance(row, list) else panel_row(spec, self._compact(spec))

    def _key(self, spec: Spec) -> str:
        """What a model's drawn files depend on: its id, its spec's bytes, and this install."""
        return cache_key("gallery-model", spec.id, Path(spec.origin).read_bytes())

    def _pages(self, models: Iterator[tuple[Spec, str, dict[str, bytes]]]) -> None:
        """Each model's page and downloads as its figures arrive (so memory holds one model's
        files at a time, not the catalog's), then the compare data and the other pages."""
        name = {s.id: s.model.name for s in self.specs}
        card = {s.id: c for s, c in zip(self.specs, self.cards, strict=True)}
        children: dict[str, list[str]] = {}
        for s in self.specs:
            for parent in s.model.based_on:
                children.setdefault(parent, []).append(s.id)
        for s, k, art in models:
            c = card[s.id]
            kin = [i for i in (*s.model.based_on, *children.get(s.id, ())) if i in name and i != s.id]
            related = [(i, name[i]) for i in dict.fromkeys(kin)]
            body = site.model_page(c, related)
            self.write(f"models/{s.id}.html", site.page(s.model.name, body, 1, "", scripts=(f"data/svg/{s.id}.js",)))
            self.write(f"models/{s.id}.yaml", Path(s.origin).read_text(encoding="utf-8"))
            for rel, name_in_cache in (
                (f"models/{s.id}.svg", "light.svg"),
                (f"models/{s.id}.pdf", "figure.pdf"),
                (f"data/svg/{s.id}.js", "svg.js"),
                (f"data/compare/{s.id}.js", "compare.js"),
            ):
                place(self.cache.file(k, name_in_cache), self.out / rel, art[name_in_cache])
        self._compare()

    def _export(self, s: Spec) -> dict[str, object]:
        data = self.facts[s.id].to_dict()
        data["attention_kinds"] = list(attention_kinds(s.model))
        data["based_on"] = list(s.model.based_on)
        data["page"] = f"models/{s.id}.html"
        return data

    def _models(self) -> Iterator[tuple[Spec, str, dict[str, bytes]]]:
        """Every model's figures (SVG light and dark, PDF) and compare record with its key, one
        model at a time: from the cache when its spec, id and this install are unchanged, else
        drawn on all cores (and stored). The drawing starts now; the files arrive as iterated."""
        missing = [
            (s, k) for s, k in zip(self.specs, self.model_keys, strict=True) if not self.cache.has(k, MODEL_FILES)
        ]
        drawn = self._map(draw_model, [s for s, _ in missing])
        todo = {s.id for s, _ in missing}

        def models() -> Iterator[tuple[Spec, str, dict[str, bytes]]]:
            for s, k in zip(self.specs, self.model_keys, strict=True):
                if s.id not in todo:
                    files = self.cache.get(k, MODEL_FILES)
                    if files is None:  # the entry went away since: draw it here
                        files = draw_model(s)
                        self.cache.put(k, files)
                    yield s, k, files
            for (s, k), files in zip(missing, drawn, strict=True):
                self.progress(f"model {s.id}")
                self.cache.put(k, files)
                yield s, k, files

        return models()

    def _compare(self) -> None:
        """The compare page. It diffs any pair in the browser from one record per model
        (products/compare.py, placed with each model's files), so the site grows with the
        catalog, not with its square."""
        self.progress("compare")
        self.write("data/labels.js", site.js_data("ARCHVIZ_LABELS", None, labels()))
        ids = {s.id for s in self.specs}
        first, second = (self.specs[0].id, self.specs[1].id) if len(self.specs) > 1 else (self.specs[0].id,) * 2
        pair = ("gpt-2-xl", "llama-3-8b") if {"gpt-2-xl", "llama-3-8b"} <= ids else (first, second)
        page = site.compare_page(self.cards, *pair)
        self.write(
            "compare.html", site.page("Compare", page, 0, "Compare", scripts=("data/catalog.js", "data/labels.js"))
        )

    def _extras(self) -> Callable[[], None]:
        """Start drawing the lineage, scale and concept figures that changed (on the workers),
        and return what writes their pages. Each figure is cached by its layout: one an edit did
        not touch is not drawn again. Their modules are imported at the top, never behind an
        ImportError guard: a broken module must fail the build, not write a "Not built" page."""
        link = lambda i: f"models/{i}.html"  # noqa: E731
        by_id = {s.id: s for s in self.specs}
        layouts = {
            "lineage": lineage_layout(self.specs, link=link),
            "parameters": params_chart(self.specs, link=link),
            "kv-cache": kv_chart(self.specs, link=link),
        }
        users = {c.id: models_using(c, self.specs) for c in concepts()}
        for c in concepts():
            example = by_id.get(c.example) or (users[c.id][0] if users[c.id] else self.specs[0])
            layouts[f"concept {c.id}"] = concept_layout(c, example)
        keys = {name: cache_key("gallery-figure", layout.fingerprint()) for name, layout in layouts.items()}
        svgs = {name: self.cache.get(k, ("light.svg", "dark.svg")) for name, k in keys.items()}
        todo = [name for name, got in svgs.items() if got is None]
        drawn = self._map(both_themes, [layouts[name] for name in todo])

        def finish() -> None:
            for name, (light, dark) in zip(todo, drawn, strict=True):
                files = {"light.svg": light.encode(), "dark.svg": dark.encode()}
                self.cache.put(keys[name], files)
                svgs[name] = files

            def view(name: str) -> tuple[str, str, str]:
                got = svgs[name]
                assert got is not None  # drawn above
                return name, got["light.svg"].decode(), got["dark.svg"].decode()

            body = site.figure_page(
                "Lineage",
                "Which model builds on which (from each spec's based_on), ordered by "
                "release date and coloured by decoder type. Click a model to open it.",
                [view("lineage")],
            )
            self.write("lineage.html", site.page("Lineage", body, 0, "Lineage"))
            body = site.figure_page(
                "Scale",
                "Total and active parameters (log scale), and KV cache per token in "
                "bf16, across the catalog. Each bar opens its model.",
                [view("parameters"), view("kv-cache")],
            )
            self.write("scale.html", site.page("Scale", body, 0, "Scale"))
            items = []
            for c in concepts():
                items.append((c.id, c.title, len(users[c.id])))
                _, light, dark = view(f"concept {c.id}")
                body = site.concept_page(c.title, c.text, light, dark, [(u.id, u.model.name) for u in users[c.id]])
                self.write(f"concepts/{c.id}.html", site.page(c.title, body, 1, "Concepts"))
            self.write("concepts/index.html", site.page("Concepts", site.concepts_index(items), 1, "Concepts"))

        return finish

    def _poster(self) -> Callable[[], None]:
        """Start drawing the poster sheets that changed (a sheet is its plan composed with its
        models' panels, which their keys cover, so one changed spec redraws only its own sheet),
        and return what writes the poster's files and page once they are drawn."""
        many = len(self.plans) > 1
        stems = [f"poster-{n}" if many else "poster" for n in range(1, len(self.plans) + 1)]
        keys = [
            cache_key("gallery-poster", stem, str(self.poster_dpi), p.fingerprint(), *self.model_keys[p.lo : p.hi])
            for stem, p in zip(stems, self.plans, strict=True)
        ]
        names = ("pdf", "png", "svg", "dark.svg", "pyramid.js")
        found = {stem: self.cache.get(k, names) for stem, k in zip(stems, keys, strict=True)}
        todo = [(stem, k, p) for stem, k, p in zip(stems, keys, self.plans, strict=True) if found[stem] is None]
        tasks: list[tuple[Any, ...]] = []
        for stem, _, plan in todo:  # each sheet's raster and vector files are drawn side by side
            mine = self.specs[plan.lo : plan.hi]
            layout = compose(mine, [self._compact(s) for s in mine], plan)
            tasks += [(sheet_raster, layout, self.poster_dpi, stem), (sheet_vector, layout)]
        drawn = self._map(run, tasks)

        def finish() -> None:
            self.progress("poster")
            for stem, k, _ in todo:
                files = {**next(drawn), **next(drawn)}
                self.cache.put(k, files)
                found[stem] = files
            sheets = []
            for stem, k, plan in zip(stems, keys, self.plans, strict=True):
                got = found[stem]
                assert got is not None  # drawn above
                files = {"pdf": f"{stem}.pdf", "png": f"{stem}.png", "svg": f"{stem}.svg"}
                files |= {"dark.svg": f"{stem}-dark.svg", "pyramid.js": f"tiles/{stem}/pyramid.js"}
                tiles = [n for n in got if n.startswith("tiles/")] or self.cache.files_under(k, "tiles")
                files |= {n: f"tiles/{stem}/{n.removeprefix('tiles/')}" for n in tiles}
                for name, rel in files.items():
                    place(self.cache.file(k, name), self.out / rel, got.get(name))
                w, h = round(plan.fit.width), round(plan.fit.height)
                sheets.append(site.Sheet(stem, plan.size, w, h, plan.title))
            scripts = tuple(f"tiles/{sheet.stem}/pyramid.js" for sheet in sheets)
            self.write("poster.html", site.page("Poster", site.poster_page(sheets), 0, "Poster", scripts=scripts))

        return finish


def run(task: tuple[Any, ...]) -> Any:
    """Call task[0] with the rest as arguments (a top-level function, for worker processes)."""
    return task[0](*task[1:])


def sheet_raster(layout: Layout, dpi: float, stem: str) -> dict[str, bytes]:
    """A poster sheet's PNG and its deep-zoom tiles ("tiles/LEVEL/COL_ROW.webp"), cut from one
    pass of strips. Drawn in a private folder and returned as bytes: workers never write into
    the site."""
    import tempfile

    from archviz.render.pixels import check_pixels
    from archviz.render.tiles import PyramidWriter

    with tempfile.TemporaryDirectory() as d:
        tiles = Path(d) / "tiles"
        pyramid = PyramidWriter(tiles, *check_pixels(layout.width, layout.height, dpi, strips=True), dpi=dpi)
        try:
            png = Poster(layout, "light").save(Path(d) / "sheet.png", dpi=dpi, each_strip=pyramid.add)
        finally:
            info = pyramid.close()
        files = {
            f"tiles/{p.relative_to(tiles).as_posix()}": p.read_bytes() for p in sorted(tiles.rglob("*")) if p.is_file()
        }
        return {
            "png": png.read_bytes(),
            "pyramid.js": site.js_data("ARCHVIZ_TILES", stem, info.to_dict()).encode(),
            **files,
        }


def sheet_vector(layout: Layout) -> dict[str, bytes]:
    """A poster sheet's PDF and SVGs."""
    return {
        "pdf": Poster(layout, "light").pdf(),
        "svg": to_svg(layout, "light").encode(),
        "dark.svg": to_svg(layout, "dark").encode(),
    }


def build_site(
    out: str | Path,
    base_url: str = "",
    progress: Progress | None = None,
    poster_dpi: float = 150,
    catalog: Catalog = BUILTIN,
    poster_size: str = "auto",
    force: bool = False,
    cache: bool = True,
) -> Path:
    """Write the gallery site of `catalog` to `out`, replacing what is there only once the build
    succeeded, and only if archviz wrote it (or it is empty, or `force`). The poster takes the
    smallest standard size that holds the catalog, or `poster_size`."""
    target = Path(out)
    check_replaceable(target, force)
    root = default_root() if cache else None
    builder = SiteBuilder(base_url, progress, poster_dpi, catalog, poster_size, root)  # fails before any output
    try:  # from before the build folder exists, so a signal at any point leaves none behind
        with output_errors(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            work = temp_dir(target)
            builder.build(work)
            builder.write(SITE_MARKER, "This folder was written by `archviz gallery`, which may replace it.\n")
            work.chmod(0o755)
            replace_dir(work, target)
    except BaseException:
        remove_own(target, ".build")
        raise
    return target
