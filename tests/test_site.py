"""The gallery site: static checks on every page, and end-to-end tests in headless Chromium."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import archviz
from archviz.products.gallery import ASSETS, build_site
from archviz.render import site
from archviz.spec import catalog_ids

pytestmark = pytest.mark.xdist_group("site")  # one worker builds the site once

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site")


MIXER = "gqa_a-b"
"""A mixer name (identifiers only: letters, digits, '_' and '-'); the hostile text goes in the model name."""
NAME = 'x "a" <b>|[c] #d.e\\f'
"""A model name full of HTML and CSS selector specials."""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-model site whose models, named with HTML and selector specials, differ in the mixer
    MIXER (so the compare page lights shapes whose ids come from that name)."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "specs").mkdir()
    base = yaml.safe_load((Path(__file__).resolve().parent.parent / "specs" / "llama-3-8b.yaml").read_text())
    for name, kv_heads in (("evil-a", 8), ("evil-b", 4)):
        data = base | {"name": f"{name} {NAME}"}
        data["mixers"] = {
            MIXER: {**base["mixers"]["attn"], "kv_heads": kv_heads},
            "local": {**base["mixers"]["attn"], "window": 1024},
        }
        data["layers"] = [{"repeat": 16, "blocks": [{"mixer": MIXER, "ffn": "mlp"}, {"mixer": "local", "ffn": "mlp"}]}]
        (folder / "specs" / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return build_site(folder / "site", catalog=archviz.Catalog([folder / "specs"], builtin=False))


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


class _Ids(HTMLParser):
    """Every id attribute of an HTML page, inline SVG included."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v or "" for k, v in attrs if k == "id"]


def _documents(root: Path) -> dict[str, list[str]]:
    """The ids of every page and poster SVG of a built site, by file."""
    docs = {str(p.relative_to(root)): _Ids(p.read_text(encoding="utf-8")).ids for p in _pages(root)}
    for svg in ("poster.svg", "poster-dark.svg"):
        docs[svg] = [e.get("id", "") for e in ET.parse(root / svg).iter() if "id" in e.attrib]
    return docs


@pytest.mark.parametrize("which", ["built", "hostile"])
def test_ids_are_unique_per_document(which: str, request: pytest.FixtureRequest) -> None:
    """Two figures (or a light and a dark copy) inlined in one page must not share an id."""
    root = request.getfixturevalue(which)
    docs = _documents(root)
    assert {"index.html", "compare.html", "lineage.html", "scale.html", "poster.html", "poster.svg"} <= set(docs)
    assert any(p.startswith("models/") for p in docs) and any(p.startswith("concepts/") for p in docs)
    for name, ids in docs.items():
        assert ids, name
        dup = [i for i, n in Counter(ids).items() if n > 1]
        assert not dup, (name, dup[:10])
        bad = [i for i in ids if not re.fullmatch(r"[A-Za-z0-9_.-]+", i)]
        assert not bad, (name, bad[:10])


def _record(site_dir: Path, model: str) -> dict:
    text = (site_dir / "data" / "compare" / f"{model}.js").read_text()
    return json.loads(text.split(" = ", 2)[-1].rstrip().rstrip(";"))


def test_compare_data_ids_are_safe(hostile: Path) -> None:
    """The compare page's lit shapes are found by id: ids made from spec names stay plain."""
    shapes = _record(hostile, "evil-a")["shapes"]
    assert any("block-mixer-ffn-mixer-gqa" in i for i in shapes)
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", i) for i in shapes)


def test_the_site_grows_with_the_catalog_not_its_square(built: Path) -> None:
    """One compare record per model and no precomputed pairs."""
    assert not (built / "data" / "diff").exists()
    assert sorted(p.stem for p in (built / "data" / "compare").glob("*.js")) == sorted(catalog_ids())


def _expected(a: str, b: str) -> dict:
    """What the compare page must show for (a, b): diff_specs's rows and summary, and the shapes
    `touches` outlines, as the site used to precompute them for every pair."""
    from archviz import numbers as fmt
    from archviz.facts.diff import diff_specs
    from archviz.layout import model_layout
    from archviz.layout.diff import touches
    from archviz.render.svg import svg_id
    from archviz.spec import load

    sa, sb = load(a), load(b)
    result = diff_specs(sa, sb)
    rows = [
        [d.path, d.label, d.kind, fmt.cell(d.before, d.kind == "added"), fmt.cell(d.after, d.kind == "removed")]
        for d in result.differences
    ]
    rows += [
        [d.path, d.label, "effect", d.describe().split(": ", 1)[1].split(" → ")[0], d.describe().split(" → ", 1)[1]]
        for d in result.effects
    ]

    def lit(spec: object) -> list[str]:
        lay = model_layout(spec)  # type: ignore[arg-type]
        return [svg_id(lay, x.id) for x in lay.shapes if any(touches(d, x) for d in result.differences)]

    return {"summary": result.summary(), "rows": rows, "a": lit(sa), "b": lit(sb)}


def test_the_browser_diffs_any_pair_as_the_python_diff_does(built: Path, page: object) -> None:
    """Every model against a few others, computed by app.js from the per-model records, matches
    diff_specs (rows, kinds, cells, effects, summary) and the outlined shapes exactly."""
    import random

    pg = page
    pg.goto((built / "compare.html").as_uri())
    pg.wait_for_selector("body[data-compared]")
    ids = sorted(catalog_ids())
    rng = random.Random(7)
    pairs = [(a, b) for a in ids for b in rng.sample([i for i in ids if i != a], 3)]
    pairs += [("deepseek-v3", "deepseek-r1"), ("gemma-3-27b", "gemma-3-270m"), ("gpt-2-xl", "qwen3-next-80b-a3b")]
    records = {i: _record(built, i) for i in ids}
    got = pg.evaluate(
        "([pairs, records]) => pairs.map(([a, b]) => { const d = window.archvizCompare(records[a], records[b]);"
        " return {summary: d.summary, rows: d.rows.map(r => [r.path, r.label, r.kind, r.before, r.after]),"
        " a: d.a, b: d.b}; })",
        [pairs, records],
    )
    for (a, b), d in zip(pairs, got, strict=True):
        assert d == _expected(a, b), (a, b)
    assert not pg.errors


def _operands(js: str, start: int) -> list[str]:
    """The `+`-joined operands of the call argument starting at js[start] (quote-aware)."""
    parts, cur, depth, quote, i = [], "", 1, "", start
    while depth:
        ch = js[i]
        if quote and ch == "\\":
            cur, i = cur + js[i : i + 2], i + 2
            continue
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        if not quote and ((ch == "+" and depth == 1) or depth == 0):
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    return parts


def test_app_js_escapes_selectors() -> None:
    """No selector in app.js is glued from data unless the data goes through CSS.escape."""
    js = (ASSETS / "app.js").read_text()
    calls = list(re.finditer(r"\.(?:querySelector|querySelectorAll|closest|matches)\(", js))
    assert len(calls) > 5
    for call in calls:
        for part in _operands(js, call.end()):
            literal = re.fullmatch(r""""[^"\\]*"|'[^'\\]*'""", part)
            assert literal or part.startswith("CSS.escape("), (js[call.start() : call.end() + 80], part)


def test_every_page_has_csp_and_safe_links(built: Path) -> None:
    pages = _pages(built)
    assert len(pages) >= len(catalog_ids()) + 6
    for page in pages:
        text = page.read_text()
        assert 'http-equiv="Content-Security-Policy"' in text and "script-src 'self'" in text, page
        assert "<script>" not in text and " onclick=" not in text and " onsubmit=" not in text, page
        for href in re.findall(r'href="([^"]*)"', text):
            assert not re.match(r"(?i)\s*(javascript|data|file|vbscript):", href), (page, href)
            assert href.startswith(("http://", "https://")) or "://" not in href, (page, href)


def test_outputs_exist(built: Path) -> None:
    for i in catalog_ids():
        for ext in (".html", ".svg", ".pdf", ".yaml"):
            assert (built / "models" / f"{i}{ext}").is_file(), (i, ext)
        assert (built / "data" / "compare" / f"{i}.js").is_file()
        assert (built / "data" / "svg" / f"{i}.js").is_file()
    assert not list((built / "models").glob("*.png")), "the browser draws model PNGs; the site holds none"
    assert (built / "data" / "fonts.js").is_file()
    data = json.loads((built / "catalog.json").read_text())
    assert {d["id"] for d in data} == set(catalog_ids())
    feed = ET.parse(built / "feed.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == len(catalog_ids())
    for name in ("poster.pdf", "poster.png", "lineage.html", "scale.html", "concepts/index.html"):
        assert (built / name).is_file(), name


def test_cards_and_fact_sheets_link_to_concepts(built: Path) -> None:
    index = (built / "index.html").read_text()
    assert 'href="concepts/mla.html"' in index and 'href="concepts/gated-deltanet.html"' in index
    sheet = (built / "models" / "deepseek-v3.html").read_text()
    assert 'href="../concepts/mla.html"' in sheet and 'href="../concepts/mtp.html"' in sheet
    for link in re.findall(r'href="concepts/([^"]+)"', index):
        assert (built / "concepts" / link).is_file(), link


def test_spec_text_is_escaped() -> None:
    evil = "<img src=x onerror=alert(1)>"
    c = site.Card(
        id="x",
        name=evil,
        organization=evil,
        date="2025-01-01",
        year="2025",
        decoder_type="dense",
        attention=evil,
        attention_kinds=("GQA",),
        total="1B",
        active="1B",
        total_n=1,
        active_n=1,
        kv="1 KiB",
        kv_n=1024,
        tier="very low",
        layer_mix="",
        context="1k",
        vocab="1",
        key_detail=evil,
        links=(("config.json", "javascript:alert(1)"), ("report", "https://example.org/a?b=<c>")),
        sources=(("https://example.org", evil),),
    )
    html = site.page("t", site.model_page(c, [("y", evil)]), 1, "") + site.index_page([c], [evil], ["2025"], ["GQA"])
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html
    assert 'href="https://example.org/a?b=&lt;c&gt;"' in html


# --- in a real browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})  # type: ignore[attr-defined]
    pg = ctx.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def test_index_loads_and_filters(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "index.html").as_uri())
    cards = pg.locator(".card")
    assert cards.count() == len(catalog_ids())
    assert pg.locator(".card:visible").count() == len(catalog_ids())
    pg.fill("#search", "deepseek")
    names = pg.locator(".card:visible h2").all_inner_texts()
    assert names and all("deepseek" in n.lower() for n in names)
    pg.fill("#search", "")
    pg.select_option("#filter-type", "hybrid_moe")
    types = pg.locator(".card:visible").evaluate_all("els => els.map(e => e.dataset.type)")
    assert types and set(types) == {"hybrid_moe"}
    pg.select_option("#filter-type", "")
    pg.select_option("#sort", "-size")
    sizes = [float(s) for s in pg.locator(".card:visible").evaluate_all("els => els.map(e => e.dataset.size)")]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 2e12  # Kimi K3 and Ember-1, 2.8T
    assert not pg.errors


def test_model_page_zooms(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "models" / "deepseek-v3.html").as_uri())
    pg.wait_for_selector("#diagram svg")  # the figure arrives from its data script
    pg.wait_for_timeout(300)
    viewer = pg.locator("#diagram")
    before = float(viewer.get_attribute("data-scale"))
    pg.click('.zoombar[data-for="diagram"] [data-zoom-in]')
    pg.wait_for_timeout(300)
    assert float(viewer.get_attribute("data-scale")) > before
    viewer.focus()
    pg.keyboard.press("0")
    pg.wait_for_timeout(300)
    assert abs(float(viewer.get_attribute("data-scale")) - before) < 0.01
    box = viewer.bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.mouse.wheel(0, -400)
    pg.wait_for_timeout(200)
    assert float(viewer.get_attribute("data-scale")) > before
    assert pg.locator("#diagram svg").first.is_visible()
    assert not pg.errors


def test_compare_shows_differences(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "compare.html").as_uri() + "?a=olmo-2-7b&b=llama-3-8b")
    pg.wait_for_selector('#diff-rows tr[data-path="norm.placement"]')
    rows = pg.locator("#diff-rows tr").evaluate_all("els => els.map(e => e.dataset.path)")
    assert "attention.variant" in rows and "norm.placement" in rows
    assert pg.locator("#side-a .hl").count() > 0 and pg.locator("#side-b .hl").count() > 0
    pg.select_option("#model-b", "deepseek-r1")
    pg.select_option("#model-a", "deepseek-v3")
    pg.wait_for_selector('body[data-compared="deepseek-v3|deepseek-r1"]')
    assert "architecture identical" in pg.inner_text("#summary")
    assert not pg.errors


def test_compare_lights_shapes_named_with_selector_specials(hostile: Path, page: object) -> None:
    pg = page
    pg.goto((hostile / "compare.html").as_uri() + "?a=evil-a&b=evil-b")
    pg.wait_for_selector('body[data-compared="evil-a|evil-b"]')
    rows = pg.locator("#diff-rows tr").evaluate_all("els => els.map(e => e.dataset.path)")
    assert "attention.kv_heads" in rows
    for side in ("a", "b"):
        lit = pg.locator(f"#side-{side} .hl").evaluate_all("els => els.map(e => e.id)")
        assert any("block-mixer-ffn-mixer-gqa" in i for i in lit), lit
    assert NAME in pg.inner_text("#name-a")
    assert not pg.errors


def test_lineage_nodes_link_to_models(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "lineage.html").as_uri())
    link = pg.locator('#lineage .only-light a[href$="deepseek-r1.html"]').first
    if link.count() == 0:
        pytest.skip("the lineage page was built without Graphviz")
    link.click()
    pg.wait_for_url("**/models/deepseek-r1.html")
    assert "DeepSeek-R1" in pg.inner_text("h1")
    assert not pg.errors


def test_dark_mode_toggles_and_persists(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "index.html").as_uri())
    start = pg.get_attribute("html", "data-theme")
    pg.click("#theme-toggle")
    flipped = pg.get_attribute("html", "data-theme")
    assert flipped != start
    pg.goto((built / "scale.html").as_uri())
    assert pg.get_attribute("html", "data-theme") == flipped
    assert not pg.errors


def test_memory_calculator(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "models" / "gemma-3-27b.html").as_uri())
    result = pg.locator("#calc-result")
    per_layer_values = 2 * 16 * 128  # K and V, 16 KV heads of 128
    full = per_layer_values * (10 * 131072 + 52 * 1024) * 2  # 10 global layers, 52 sliding (1,024), bf16
    assert float(result.get_attribute("data-bytes")) == full
    pg.select_option("#calc-dtype", label="fp8")
    assert float(result.get_attribute("data-bytes")) == full / 2
    pg.fill("#calc-context", "512")
    assert float(result.get_attribute("data-bytes")) == per_layer_values * 62 * 512
    assert "KV cache" in result.inner_text()
    assert not pg.errors


def test_png_download_is_the_figure_at_the_scale_asked_for(built: Path, page: object) -> None:
    """The browser draws the PNG from the page's figure; it must match what cairo draws from the
    same SVG (same size, same picture up to anti-aliasing)."""
    from PIL import Image, ImageChops, ImageStat

    from archviz.render import raster

    pg = page
    pg.goto((built / "models" / "deepseek-v3.html").as_uri())
    with pg.expect_download() as download:  # type: ignore[attr-defined]
        pg.click('[data-png][data-scale="2"]')
    assert download.value.suggested_filename == "deepseek-v3@2x.png"
    got = Image.open(download.value.path()).convert("RGB")
    svg = (built / "models" / "deepseek-v3.svg").read_text()
    want = Image.open(io.BytesIO(raster.png(svg, dpi=192, background="#ffffff"))).convert("RGB")
    assert abs(got.width - want.width) <= 1 and abs(got.height - want.height) <= 1
    diff = ImageStat.Stat(ImageChops.difference(want, got.resize(want.size))).mean
    assert max(diff) < 6, diff
    assert not pg.errors


def test_dark_figure_arrives_when_first_shown(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "models" / "deepseek-v3.html").as_uri())
    html = (built / "models" / "deepseek-v3.html").read_text()
    assert 'data-theme="dark"' not in html.split("<main", 1)[1], "the page holds only the light figure"
    if pg.get_attribute("html", "data-theme") != "dark":
        pg.click("#theme-toggle")
    pg.wait_for_selector("#diagram .only-dark svg")
    assert pg.locator("#diagram .only-dark svg").get_attribute("data-theme") == "dark"
    assert pg.locator("#diagram .only-dark svg").is_visible()
    with pg.expect_download() as download:  # type: ignore[attr-defined]
        pg.click('[data-png][data-scale="1"]')
    assert download.value.suggested_filename == "deepseek-v3-dark.png"
    assert not pg.errors


def test_browser_png_embeds_the_bundled_fonts(built: Path, page: object) -> None:
    """Text in a browser-drawn PNG uses the bundled fonts, even under a family the system lacks."""
    pg = page
    pg.goto((built / "models" / "deepseek-v3.html").as_uri())
    sums = pg.evaluate(
        """async () => {
        const F = window.ARCHVIZ_FONTS, saved = F.faces;
        F.faces = [["ArchvizProbe", "normal", "DejaVuSansMono.ttf"]];
        const text = (family) => '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">' +
          '<rect width="300" height="40" fill="#fff"/><text x="4" y="30" font-size="24" font-family="' +
          family + '">iiiiWWWW</text></svg>';
        const ink = async (family) => {
          const blob = await window.archvizPng(text(family), 1);
          const bmp = await createImageBitmap(blob), c = document.createElement("canvas");
          c.width = bmp.width; c.height = bmp.height;
          const ctx = c.getContext("2d");
          ctx.drawImage(bmp, 0, 0);
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          let right = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 128) right = Math.max(right, (i / 4) % c.width);
          return right;
        };
        const probe = await ink("ArchvizProbe, serif"), serif = await ink("serif");
        F.faces = saved;
        return [probe, serif];
    }"""
    )
    probe, serif = sums
    # DejaVu Sans Mono at 24 px: 8 glyphs of 14.45 px, so the ink ends near x = 4 + 115.
    assert 110 <= probe <= 122 and probe != serif, sums
    assert not pg.errors


def test_poster_deep_zoom_loads_finer_tiles_as_it_zooms(built: Path, page: object) -> None:
    pg = page
    pg.goto((built / "poster.html").as_uri())
    viewer = pg.locator("#poster")
    pg.wait_for_function("document.querySelector('#poster').dataset.level !== undefined")
    start = int(viewer.get_attribute("data-level"))
    box = viewer.bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
    for _ in range(8):
        pg.mouse.wheel(0, -300)
        pg.wait_for_timeout(50)
    pg.wait_for_timeout(400)
    info = pg.evaluate("window.ARCHVIZ_TILES.poster")
    assert int(viewer.get_attribute("data-level")) == info["levels"] - 1 > start
    pg.wait_for_function("Array.from(document.querySelectorAll('#poster img.tile')).every(i => i.complete)")
    tiles = pg.locator("#poster img.tile").evaluate_all(
        "els => els.map(i => [i.getAttribute('src'), i.naturalWidth, i.getBoundingClientRect().width])"
    )
    finest = [t for t in tiles if t[0].startswith(f"tiles/poster/{info['levels'] - 1}/")]
    assert finest and all(t[1] > 0 for t in tiles), tiles
    # Only the tiles in view load: far fewer than the level holds.
    full = math.ceil(info["width"] / info["tile"]) * math.ceil(info["height"] / info["tile"])
    assert len(finest) < full / 4
    assert not pg.errors
