"""HTML pages of the static gallery. Every value from a spec is escaped here, and only http(s)
links (or the site's own relative ones) are ever emitted."""

from __future__ import annotations

import base64
import html
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from archviz.render.svg import safe_href
from archviz.style import FONT_DIR, FONT_FILES, FONT_STACKS

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'"
)
NAV = (
    ("index.html", "Gallery"),
    ("compare.html", "Compare"),
    ("lineage.html", "Lineage"),
    ("scale.html", "Scale"),
    ("concepts/index.html", "Concepts"),
    ("poster.html", "Poster"),
)


def e(text: object) -> str:
    """Escape for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def ext_link(url: str | None, text: str) -> str:
    """A link to an outside page, only for http(s) URLs; anything else becomes plain text."""
    if url and url.lower().startswith(("https://", "http://")) and safe_href(url):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(text)}</a>'
    return e(text if not url else f"{text} ({url})")


@dataclass(frozen=True)
class Card:
    """What the gallery knows about one model, ready to print."""

    id: str
    name: str
    organization: str
    date: str
    year: str
    decoder_type: str
    attention: str
    attention_kinds: tuple[str, ...]
    total: str
    active: str
    total_n: int
    active_n: int
    kv: str
    kv_n: float
    tier: str
    layer_mix: str
    context: str
    vocab: str
    key_detail: str
    concepts: tuple[tuple[str, str], ...] = ()
    """(concept id, title) pairs."""
    facts: tuple[tuple[str, str], ...] = ()
    """(label, value) rows of the fact sheet."""
    breakdown: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    """(label, URL) of config.json, report, article, code."""
    sources: tuple[tuple[str, str], ...] = ()
    """(URL, what it covers)."""
    notes: tuple[str, ...] = field(default_factory=tuple)
    cache: tuple[dict[str, int | None], ...] = ()
    """Cache profile for the memory calculator (archviz.facts.kvcache.cache_profile)."""
    state_values: int = 0
    """Fixed recurrent state of the linear layers, in values per sequence."""
    context_n: int = 0


def page(title: str, body: str, depth: int, active: str, scripts: Sequence[str] = ()) -> str:
    """A full page: CSP, stylesheet, theme script, navigation. `depth` is how deep in the site it lives."""
    up = "../" * depth
    current = ' aria-current="page"'
    nav = "".join(f'<a href="{up}{href}"{current if label == active else ""}>{label}</a>' for href, label in NAV)
    extra = "".join(f'<script src="{up}{e(s)}"></script>' for s in (*scripts, "data/fonts.js"))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en" data-theme="light">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)} · archviz</title>\n"
        f'<link rel="stylesheet" href="{up}site.css">\n'
        f'<link rel="alternate" type="application/atom+xml" title="New models" href="{up}feed.xml">\n'
        f'{extra}<script src="{up}app.js"></script>\n</head>\n<body>\n'
        f'<header class="site"><a class="brand" href="{up}index.html">archviz</a><nav aria-label="Site">{nav}</nav>'
        '<button id="theme-toggle" type="button" aria-pressed="false">Dark theme</button></header>\n'
        f'<main id="main">\n{body}\n</main>\n'
        '<footer class="site">Drawn by archviz from open specs. Every number cites its source.</footer>\n'
        "</body>\n</html>\n"
    )


def _options(values: Sequence[tuple[str, str]], label: str) -> str:
    return f'<option value="">{e(label)}</option>' + "".join(
        f'<option value="{e(v)}">{e(t)}</option>' for v, t in values
    )


def index_page(
    cards: Sequence[Card], organizations: Sequence[str], years: Sequence[str], attention_kinds: Sequence[str]
) -> str:
    """The card grid with search, filters and sorting (all client-side, on data attributes)."""
    types = [
        ("dense", "Dense"),
        ("moe", "Sparse MoE"),
        ("hybrid", "Dense hybrid"),
        ("hybrid_moe", "Hybrid MoE"),
        ("recurrent", "Recurrent"),
    ]
    controls = (
        '<div class="controls" role="search">'
        '<label>Search<input id="search" type="search" placeholder="Model name" autocomplete="off"></label>'
        f'<label>Type<select id="filter-type" data-filter="type">{_options(types, "All types")}</select></label>'
        f'<label>Attention<select id="filter-attention" data-filter="attention">'
        f"{_options([(a, a) for a in attention_kinds], 'Any attention')}</select></label>"
        f'<label>Organization<select id="filter-org" data-filter="org">'
        f"{_options([(_slug(o), o) for o in organizations], 'Any organization')}</select></label>"
        f'<label>Year<select id="filter-year" data-filter="year">{_options([(y, y) for y in years], "Any year")}'
        "</select></label>"
        '<label>Sort<select id="sort"><option value="-date">Newest first</option><option value="date">Oldest first'
        '</option><option value="-size">Largest first</option><option value="size">Smallest first</option>'
        '<option value="-kv">Most KV cache per token</option><option value="kv">Least KV cache per token</option>'
        '<option value="name">Name</option></select></label>'
        '<span id="count" class="count" aria-live="polite"></span></div>'
    )
    items = "".join(_card(c) for c in cards)
    return (
        f'<h1>LLM architectures</h1><p class="muted">{len(cards)} models drawn from open specs. Click one for '
        f'its diagram and fact sheet.</p>{controls}<ul id="cards" class="cards">{items}</ul>'
    )


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _card(c: Card) -> str:
    search = " ".join((c.name, c.id, c.organization, c.decoder_type, c.attention)).lower()
    active = f"{c.active} active" if c.active_n != c.total_n else "dense"
    chips = "".join(f'<a class="chip" href="concepts/{e(cid)}.html">{e(t)}</a>' for cid, t in c.concepts)
    return (
        f'<li class="card" data-id="{e(c.id)}" data-name="{e(c.name.lower())}" data-search="{e(search)}" '
        f'data-type="{e(c.decoder_type)}" data-attention="{e(" ".join(c.attention_kinds))}" '
        f'data-org="{e(_slug(c.organization))}" data-year="{e(c.year)}" data-date="{e(c.date)}" '
        f'data-size="{c.total_n}" data-kv="{c.kv_n:.0f}">'
        f'<a class="thumb" href="models/{e(c.id)}.html" tabindex="-1" aria-hidden="true">'
        f'<img src="models/{e(c.id)}.svg" alt="Architecture diagram of {e(c.name)}" loading="lazy"></a>'
        f'<h2><a href="models/{e(c.id)}.html">{e(c.name)}</a></h2>'
        f'<div class="muted">{e(c.organization)} · {e(c.date)}</div>'
        f"<dl><dt>Type</dt><dd>{e(c.decoder_type.replace('_', ' '))}</dd><dt>Attention</dt><dd>{e(c.attention)}</dd>"
        f"<dt>Parameters</dt><dd>{e(c.total)} total, {e(active)}</dd>"
        f'<dt>KV cache</dt><dd>{e(c.kv)}/token <span class="tier tier-{e(_slug(c.tier))}">{e(c.tier)}</span></dd>'
        "</dl>" + (f'<p class="concept-chips">{chips}</p>' if chips else "") + "</li>"
    )


def _zoombar(id: str) -> str:
    return (
        f'<div class="zoombar" data-for="{e(id)}"><button type="button" data-zoom-in aria-label="Zoom in">+</button>'
        '<button type="button" data-zoom-out aria-label="Zoom out">−</button>'
        '<button type="button" data-fit>Fit</button><span class="muted">Wheel or pinch to zoom, drag to pan, '
        "keys + − 0 and arrows when focused.</span></div>"
    )


def viewer(id: str, light_svg: str | None, dark_svg: str | None, label: str, svg_id: str = "") -> str:
    """A zoomable, pannable view of an inline SVG in both themes (one shows at a time). A theme
    given as None is filled in from the site's data/svg/`svg_id`.js when it first shows."""

    def holder(theme: str, svg: str | None) -> str:
        if svg is not None:
            return f'<div class="only-{theme}">{_strip_xml(svg)}</div>'
        # Without JavaScript, the light holder shows the SVG file instead.
        img = f'<noscript><img src="{e(svg_id)}.svg" alt="{e(label)}"></noscript>' if theme == "light" else ""
        return f'<div class="only-{theme}" data-svg="{e(svg_id)}" data-theme-of="{theme}">{img}</div>'

    return (
        _zoombar(id) + f'<div class="viewer" id="{e(id)}" tabindex="0" role="img" aria-label="{e(label)}">'
        f'<div class="stage">{holder("light", light_svg)}{holder("dark", dark_svg)}</div></div>'
    )


def tiled_viewer(id: str, base: str, fallback: str, label: str) -> str:
    """A deep-zoom view of the tile pyramid under `base` (render/tiles.py; its description in
    window.ARCHVIZ_TILES[id]); without JavaScript, the `fallback` image."""
    return (
        _zoombar(id) + f'<div class="viewer" id="{e(id)}" data-tiles="{e(id)}" data-base="{e(base)}" tabindex="0" '
        f'role="img" aria-label="{e(label)}"><div class="stage"></div></div><noscript>{fallback}</noscript>'
    )


def _strip_xml(svg: str) -> str:
    return svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg


def model_page(c: Card, related: Sequence[tuple[str, str]]) -> str:
    """Diagram (zoomable), fact sheet, downloads, links, sources, and compare links: to the models
    it is based on or that build on it, and to the compare page for any other (a link per model of
    the catalog on every page would grow the site with the square of the catalog).

    The figure comes from data/svg/<id>.js (deflated: a tenth of the SVG's size), in the theme
    shown; without JavaScript the page shows <id>.svg. PNGs are drawn by the browser from the
    figure (with the bundled fonts) at the scale asked for: no raster file per model on the site."""
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in c.facts)
    parts = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in c.breakdown)
    links = " · ".join(ext_link(url, label) for label, url in c.links) or "none recorded"
    sources = "".join(f'<li>{ext_link(url, url)} <span class="muted">{e(what)}</span></li>' for url, what in c.sources)
    concepts = "".join(f'<a class="chip" href="../concepts/{e(cid)}.html">{e(t)}</a>' for cid, t in c.concepts)
    compare = "".join(f'<a class="chip" href="../compare.html?a={e(c.id)}&amp;b={e(o)}">{e(n)}</a>' for o, n in related)
    compare += f'<a class="chip" href="../compare.html?a={e(c.id)}">any other model…</a>'
    png = "".join(
        f'<button type="button" data-png="{e(c.id)}" data-scale="{n}" hidden>PNG {n}×</button>' for n in (1, 2, 4)
    )
    downloads = f'<a href="{e(c.id)}.svg" download>SVG</a>{png}' + "".join(
        f'<a href="{e(c.id)}{ext}" download>{label}</a>' for ext, label in ((".pdf", "PDF"), (".yaml", "Spec (YAML)"))
    )
    notes = "".join(f"<li>{e(n)}</li>" for n in c.notes)
    return (
        f'<h1>{e(c.name)}</h1><p class="muted">{e(c.organization)} · {e(c.date)} · {e(c.key_detail)}</p>'
        '<div class="layout2"><section aria-label="Diagram">'
        + viewer("diagram", None, None, f"Architecture diagram of {c.name}", svg_id=c.id)
        + f'<div class="downloads">{downloads}</div></section>'
        f'<section aria-label="Fact sheet"><h2>Fact sheet</h2><table class="facts">{rows}</table>'
        f'<h3>Parameters by part</h3><table class="facts">{parts}</table>'
        + _calculator(c)
        + f"<h3>Concepts</h3><p>{concepts or 'none'}</p>"
        f"<h3>Links</h3><p>{links}</p>"
        + (f"<h3>Notes</h3><ul>{notes}</ul>" if notes else "")
        + f"<h3>Sources</h3><ul>{sources}</ul></section></div>"
        f"<h2>Compare with…</h2><p>{compare}</p>"
    )


def _calculator(c: Card) -> str:
    """A small memory calculator: KV cache (and fixed state) for a context, batch and dtype."""
    profile = json.dumps({"cache": list(c.cache), "state": c.state_values}, separators=(",", ":"))
    dtypes = "".join(
        f'<option value="{b}"{" selected" if d == "bf16" else ""}>{d}</option>'
        for d, b in (("fp32", 4), ("bf16", 2), ("fp16", 2), ("fp8", 1), ("int8", 1), ("int4", 0.5))
    )
    return (
        f'<h3>Memory calculator</h3><div class="controls calculator" id="calculator" data-profile="{e(profile)}">'
        f'<label>Context (tokens)<input id="calc-context" type="number" min="1" step="1" value="{c.context_n}">'
        '</label><label>Batch<input id="calc-batch" type="number" min="1" step="1" value="1"></label>'
        f'<label>Cache type<select id="calc-dtype">{dtypes}</select></label></div>'
        '<p id="calc-result" aria-live="polite" class="muted"></p>'
    )


def compare_page(cards: Sequence[Card], a: str, b: str) -> str:
    def options(chosen: str) -> str:
        return "".join(
            f'<option value="{e(c.id)}"{" selected" if c.id == chosen else ""}>{e(c.name)}</option>' for c in cards
        )

    side = (
        '<div><h2 id="name-{s}"></h2><div class="zoombar" data-for="side-{s}"><button type="button" data-zoom-in '
        'aria-label="Zoom in">+</button><button type="button" data-zoom-out aria-label="Zoom out">−</button>'
        '<button type="button" data-fit>Fit</button></div><div class="viewer" id="side-{s}" tabindex="0" role="img" '
        'aria-label="Diagram {s}"><div class="stage"></div></div></div>'
    )
    return (
        f'<h1>Compare two models</h1><form id="compare-form" class="controls" data-base="">'
        f'<label>Model A<select id="model-a">{options(a)}</select></label>'
        f'<label>Model B<select id="model-b">{options(b)}</select></label><button type="submit">Compare</button>'
        '<span class="muted"><span class="legend-hl"></span> differs between the two models</span></form>'
        f'<p id="summary" aria-live="polite"></p><div class="pair">{side.format(s="a")}{side.format(s="b")}</div>'
        '<table class="diff"><thead><tr><th>Component</th><th>Kind</th><th>A</th><th>B</th></tr></thead>'
        f'<tbody id="diff-rows"></tbody></table>'
        "<noscript>The compare page needs JavaScript; each model page links its own diagram.</noscript>"
    )


def figure_page(title: str, intro: str, views: Sequence[tuple[str, str, str]]) -> str:
    """A page of zoomable figures: (id, light SVG, dark SVG) triples."""
    body = f"<h1>{e(title)}</h1><p>{e(intro)}</p>"
    for id, light, dark in views:
        body += viewer(id, light, dark, f"{title}: {id}")
    return body


def concept_page(title: str, text: str, light: str, dark: str, users: Sequence[tuple[str, str]]) -> str:
    models = "".join(f'<a class="chip" href="../models/{e(i)}.html">{e(n)}</a>' for i, n in users)
    return (
        f"<h1>{e(title)}</h1><p>{e(text)}</p>"
        + viewer("concept", light, dark, f"{title}, drawn on an example")
        + f"<h2>Models that use it ({len(users)})</h2><p>{models or 'none in the catalog'}</p>"
    )


def concepts_index(items: Sequence[tuple[str, str, int]]) -> str:
    lis = "".join(
        f'<li><a href="{e(i)}.html">{e(t)}</a> <span class="muted">({n} models)</span></li>' for i, t, n in items
    )
    return f'<h1>Concepts</h1><ul class="concepts">{lis}</ul>'


@dataclass(frozen=True)
class Sheet:
    """One poster sheet on the site: its file stem (poster, poster-1, ...), paper size and size in px."""

    stem: str
    size: str
    width: int
    height: int
    title: str

    def downloads(self) -> str:
        s = e(self.stem)
        return (
            f'Download the <a href="{s}.pdf">vector PDF ({e(self.size)})</a>, the <a href="{s}.png">PNG</a>, '
            f'or the SVG (<a href="{s}.svg">light</a>, <a href="{s}-dark.svg">dark</a>).'
        )

    def view(self, label: str) -> str:
        img = f'<img src="{e(self.stem)}.svg" width="{self.width}" height="{self.height}" alt="{e(self.title)}">'
        return tiled_viewer(self.stem, f"tiles/{self.stem}/", img, label)


def poster_page(sheets: Sequence[Sheet]) -> str:
    """The poster, or its sheets, each in a deep-zoom viewer (only the tiles in view load)."""
    if len(sheets) == 1:
        return f"<h1>The poster</h1><p>Every model at one scale. {sheets[0].downloads()}</p>" + sheets[0].view(
            "Poster of the catalog"
        )
    body = (
        f"<h1>The poster</h1><p>The catalog is too large for one page at a readable size, so it is spread "
        f"over {len(sheets)} sheets of {e(sheets[0].size)}, in order, each at one scale.</p>"
    )
    for n, sheet in enumerate(sheets, start=1):
        body += f"<h2>Sheet {n} of {len(sheets)}</h2><p>{sheet.downloads()}</p>" + sheet.view(f"Poster sheet {n}")
    return body


def js_data(variable: str, key: str | None, value: Any) -> str:
    """A script that stores data on window (scripts load from file://, fetch does not)."""
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    if key is None:
        return f"window.{variable} = {payload};\n"
    return f"window.{variable} = window.{variable} || {{}};\nwindow.{variable}[{json.dumps(key)}] = {payload};\n"


def js_svgs(key: str, svgs: dict[str, str]) -> str:
    """A figure's SVGs for the browser, deflated and in base64 (app.js inflates them): the same
    figure as text would be ten times larger, and there is one per model."""
    packed = {
        theme: base64.b64encode(zlib.compress(_strip_xml(svg).encode(), 9)).decode() for theme, svg in svgs.items()
    }
    return js_data("ARCHVIZ_SVG", key, packed)


def fonts_js() -> str:
    """The bundled fonts, for the pages (so inline figures show in the fonts they were measured in,
    where the system lacks them) and for PNGs drawn in the browser. A script, not font files:
    browsers refuse font files from file://."""
    files = sorted(set(FONT_FILES.values()))
    faces = [
        [FONT_STACKS[family].split(",")[0].strip("' "), weight, name] for (family, weight), name in FONT_FILES.items()
    ]
    data = {name: base64.b64encode((FONT_DIR / name).read_bytes()).decode() for name in files}
    return js_data("ARCHVIZ_FONTS", None, {"faces": faces, "files": data})


def atom_feed(entries: Sequence[tuple[str, str, str, str]], base_url: str, updated: str) -> str:
    """An Atom feed of models by release date: (id, title, date, summary)."""
    items = "".join(
        f"<entry><title>{e(t)}</title><id>{e(base_url)}models/{e(i)}.html</id>"
        f'<link href="{e(base_url)}models/{e(i)}.html"/><updated>{e(d)}T00:00:00Z</updated>'
        f"<summary>{e(s)}</summary></entry>\n"
        for i, t, d, s in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>archviz: LLM architectures</title><id>{e(base_url)}feed.xml</id>"
        f'<link href="{e(base_url)}index.html"/><updated>{e(updated)}T00:00:00Z</updated>\n{items}</feed>\n'
    )
