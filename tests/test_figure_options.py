"""Figure options: highlighting (layout/emphasis.py), panels, accent, compact and size presets
(layout/media.py), in draw() and on the command line."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import archviz
from archviz.errors import ArchvizError
from archviz.spec import catalog_ids

NS = "{http://www.w3.org/2000/svg}"


def _groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg.split("?>", 1)[1])
    return {g.get("id", ""): g for g in root.iter() if g.get("id")}


def test_highlight_outlines_the_part_and_fades_the_rest() -> None:
    plain = archviz.draw("gemma-3-27b").svg()
    svg = archviz.draw("gemma-3-27b", highlight="mixers.global").svg()
    assert svg == archviz.draw("gemma-3-27b", highlight=["mixers.global"]).svg(), "deterministic"
    g = _groups(svg)
    chosen = g["gemma-3-27b-block-mixer-ffn-mixer-global"]
    assert chosen.get("opacity") is None
    rings = [e for e in chosen if e.get("fill") == "none" and e.get("stroke-width") == "3"]
    assert len(rings) == 1, "one accent outline around the chosen part"
    assert g["gemma-3-27b-block-mixer-ffn-mixer-local"].get("opacity") == "0.25"
    chips = [e for e in g.values() if e.get("data-kind") == "layer-chip"]
    global_chips = [e for e in chips if "layer_global" in e.get("data-tags", "")]
    local_chips = [e for e in chips if "layer_local" in e.get("data-tags", "")]
    assert len(global_chips) == 10 and len(local_chips) == 52
    assert all(e.get("opacity") is None for e in global_chips), "the chosen mixer's layers stay visible"
    assert all(e.get("opacity") == "0.25" for e in local_chips)
    # Nothing moves: without the fading and the one outline, it is the plain figure.
    ring = re.compile(r'<(rect|circle) fill="none"[^>]*stroke-width="3"[^>]*/>')
    assert not ring.search(plain) and len(ring.findall(svg)) == 1
    unwrapped = re.sub(r'<g opacity="0\.25">(<path [^>]*/>)</g>', r"\1", svg)  # a faded arrow's own group
    assert ring.sub("", re.sub(r' opacity="0\.25"', "", unwrapped)) == plain


def test_a_tag_highlights_every_part_it_names() -> None:
    svg = archviz.draw("deepseek-v3", highlight="moe").svg()
    g = _groups(svg)
    assert g["deepseek-v3-panel-ffns-moe"].get("opacity") is None
    assert g["deepseek-v3-panel-mixers-mla"].get("opacity") == "0.25"
    # The layer strip keeps the MoE layers' FFN tabs (58 of them) and fades the 3 dense ones.
    cues = [e for e in g.values() if e.get("data-kind") == "layer-cue"]
    assert len(cues) == 61 and sum(e.get("opacity") is None for e in cues) == 58


def test_an_unknown_part_is_a_clear_error() -> None:
    with pytest.raises(ArchvizError, match=r"nothing in the figure of llama-3-8b is 'mixers\.nope'.*mixers\.attn"):
        archviz.draw("llama-3-8b", highlight="mixers.nope")


def test_render_highlight_on_the_command_line(tmp_path: Path) -> None:
    def render(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "archviz.cli", "render", "gemma-3-27b", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    for name, sel in (("a.svg", "mixers.global"), ("b.svg", "mixers.local")):
        r = render("-o", str(tmp_path / name), "--highlight", sel)
        assert r.returncode == 0, r.stderr
    a, b = (tmp_path / "a.svg").read_text(), (tmp_path / "b.svg").read_text()
    assert a != b, "each highlight has its own cached render"
    assert a == archviz.draw("gemma-3-27b", highlight="mixers.global").svg()
    r = render("-o", str(tmp_path / "c.svg"), "--highlight", "nope")
    assert r.returncode == 2 and "nothing in the figure" in r.stderr and "Traceback" not in r.stderr


def _panels(svg: str) -> list[str]:
    return sorted(set(re.findall(r'data-panel="([^"]+)"', svg)))


def test_panels_keep_only_the_zooms_asked_for() -> None:
    assert _panels(archviz.draw("deepseek-v3").svg()) == ["ffns.dense", "ffns.moe", "mixers.mla"]
    assert _panels(archviz.draw("deepseek-v3", panels=["ffns"]).svg()) == ["ffns.dense", "ffns.moe"]
    assert _panels(archviz.draw("deepseek-v3", panels="mixers.mla").svg()) == ["mixers.mla"]
    bare = archviz.draw("deepseek-v3", panels=[]).svg()
    assert _panels(bare) == [] and 'data-kind="zoom"' not in bare
    assert "Cached per token" not in bare, "the legend keeps only what the figure shows"
    have = r"its panels: mixers\.mla, ffns\.moe, ffns\.dense"
    with pytest.raises(ArchvizError, match=r"no zoom panel 'ffns\.nope'; " + have):
        archviz.draw("deepseek-v3", panels=["ffns.nope"])


def test_accent_and_compact() -> None:
    plain = archviz.draw("llama-3-8b")
    red = archviz.draw("llama-3-8b", accent="#C0392B")
    assert red.layout.accent == "#c0392b" and plain.layout.accent != red.layout.accent
    strip = lambda s: re.sub(r'(fill|stroke)="[^"]*"', "", s)  # noqa: E731
    assert strip(red.svg()) == strip(plain.svg()), "the accent changes colours, nothing else"
    with pytest.raises(ArchvizError, match="#rrggbb"):
        archviz.draw("llama-3-8b", accent="red")
    small = archviz.draw("llama-3-8b", compact=True)
    assert small.layout.width < plain.layout.width and _panels(small.svg()) == []


def test_figure_options_on_the_command_line(tmp_path: Path) -> None:
    def render(name: str, *args: str) -> str:
        cmd = [sys.executable, "-m", "archviz.cli", "render", "deepseek-v3", "-o", str(tmp_path / name), *args]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return (tmp_path / name).read_text()

    assert _panels(render("a.svg", "--panels", "none")) == []
    assert _panels(render("b.svg", "--panels", "ffns.moe, mixers.mla")) == ["ffns.moe", "mixers.mla"]
    assert render("c.svg", "--accent", "#c0392b") == archviz.draw("deepseek-v3", accent="#c0392b").svg()
    assert render("d.svg", "--compact") == archviz.draw("deepseek-v3", compact=True).svg()


@pytest.mark.parametrize("model_id", catalog_ids())
def test_size_presets_keep_text_legible(model_id: str) -> None:
    """article: 700 px wide, no text under 9 px there; paper: within 178 x 230 mm, no text under
    6 pt, or a clear refusal, and then the stack alone always fits."""
    from archviz.layout.media import smallest_at
    from archviz.style import MEDIA
    from geometry_checks import assert_clean

    article = archviz.draw(model_id, size="article")
    assert article.layout.meta["page_px"][0] == 700 and smallest_at(article.layout, "article") >= 9
    assert 'width="700px"' in article.svg().split(">", 2)[1]
    try:
        paper = archviz.draw(model_id, size="paper")
    except ArchvizError as e:
        assert "under the 6 pt a reader needs" in str(e)
        archviz.draw(model_id, size="paper", compact=True)
        paper = archviz.draw(model_id, size="paper", panels=[])  # the stack and its callouts fit
    w, h = paper.layout.meta["page_mm"]
    assert w <= MEDIA["paper"].width + 1e-9 and h <= MEDIA["paper"].height + 1e-9
    assert smallest_at(paper.layout, "paper") >= 6
    for medium in ("slide", "card"):  # every stack fits a slide and a card, its text beside it if need be
        framed = archviz.draw(model_id, size=medium, compact=True)
        assert smallest_at(framed.layout, medium) >= 16, medium
        assert_clean(framed.layout)


def test_a_tall_stack_sets_its_title_and_facts_beside_it_on_a_slide() -> None:
    """Landscape media take the arrangement that shows the text largest: a tall stack's title
    and facts move into a column beside it, wider for a slide than for a square card."""
    from archviz.layout.media import scale_for

    tall = archviz.draw("glm-4.5-355b", compact=True).layout
    slide = archviz.draw("glm-4.5-355b", compact=True, size="slide").layout
    card = archviz.draw("glm-4.5-355b", compact=True, size="card").layout
    for lay in (slide, card):
        title, stack = lay.shape("title"), lay.shape("container")
        assert title.x > stack.right and lay.shape("footer").x == title.x, "title and facts beside the stack"
        assert lay.height < tall.height
    assert slide.shape("footer").w > card.shape("footer").w
    assert scale_for(slide, "slide") > scale_for(tall, "slide")
    short = archviz.draw("llama-3-8b", size="article").layout
    assert short.shape("title").cx == pytest.approx(short.width / 2), "an article column keeps the title on top"


def test_size_presets_set_the_output_size(tmp_path: Path) -> None:
    from PIL import Image

    png = Image.open(archviz.draw("llama-3-8b", size="article").save(tmp_path / "a.png"))
    assert png.width == 1400, "the article PNG is drawn at twice its 700 px, for sharp screens"
    paper = archviz.draw("llama-3-8b", size="paper")
    png = Image.open(paper.save(tmp_path / "p.png"))
    assert png.width == round(paper.layout.meta["page_mm"][0] / 25.4 * 300) and round(png.info["dpi"][0]) == 300
    pdf = paper.pdf().decode("latin-1")
    box = [float(v) for v in re.search(r"MediaBox \[\s*([\d.\s]+)\]", pdf).group(1).split()]  # type: ignore[union-attr]
    assert abs(box[2] / 72 * 25.4 - paper.layout.meta["page_mm"][0]) < 0.1, "the PDF page is the figure's size"
    with pytest.raises(ArchvizError, match="unknown size 'poster'"):
        archviz.draw("llama-3-8b", size="poster")


def test_render_size_on_the_command_line(tmp_path: Path) -> None:
    from PIL import Image

    def render(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "archviz.cli", "render", "deepseek-v3", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    assert render("-o", str(tmp_path / "a.png"), "--size", "article").returncode == 0
    assert Image.open(tmp_path / "a.png").width == 1400
    assert render("-o", str(tmp_path / "b.png"), "--size", "article", "--dpi", "96").returncode == 0
    assert Image.open(tmp_path / "b.png").width == 700, "--dpi, when given, wins over the preset's"
    r = render("-o", str(tmp_path / "c.pdf"), "--size", "paper")
    assert r.returncode == 2 and re.search(r"would be \d\.\d pt", r.stderr) and "Traceback" not in r.stderr
    assert render("-o", str(tmp_path / "c.pdf"), "--size", "paper", "--panels", "none").returncode == 0


@pytest.mark.parametrize("medium", ["slide", "card"])
def test_slide_and_card_frame_the_figure_on_their_page(medium: str) -> None:
    """slide (1920 x 1080) and card (1080 x 1080): the figure centred on a page of exactly that
    size, text at least 16 px; the full figure of a tall model is refused, its stack fits."""
    import io

    from PIL import Image

    from archviz.layout.media import smallest_at

    with pytest.raises(ArchvizError, match="under the 16 px a reader needs"):
        archviz.draw("deepseek-v3", size=medium)
    fig = archviz.draw("deepseek-v3", size=medium, compact=True)
    page = fig.layout.meta["page_px"]
    assert page == ([1920, 1080] if medium == "slide" else [1080, 1080])
    assert Image.open(io.BytesIO(fig.png())).size == tuple(page)
    assert smallest_at(fig.layout, medium) >= 16
    x, y, w, h = fig.layout.meta["frame"]
    assert abs(w / h - page[0] / page[1]) < 1e-9, "the page keeps the medium's shape"
    assert abs(x + w / 2 - fig.layout.width / 2) < 1e-6 and abs(y + h / 2 - fig.layout.height / 2) < 1e-6
    inside = x <= 1e-9 and y <= 1e-9 and x + w >= fig.layout.width - 1e-9 and y + h >= fig.layout.height - 1e-9
    assert inside, "the figure is inside"
    svg = fig.svg()
    assert (
        f'width="{page[0]}px"' in svg
        and f'viewBox="{" ".join(f"{v:.2f}".rstrip("0").rstrip(".") for v in (x, y, w, h))}"' in svg
    )


def test_two_model_figures_take_the_same_options(tmp_path: Path) -> None:
    """diff(a, b).figure(highlight=, size=) and `archviz diff --highlight --size`."""
    d = archviz.diff("olmo-2-7b", "llama-3-8b")
    svg = d.figure(highlight="norm").svg()
    assert 'opacity="0.25"' in svg
    rings = re.findall(r'<(?:rect|circle) fill="none"[^>]*stroke-width="3"[^>]*/>', svg)
    assert len(rings) >= 2, "the norms of both models are outlined"
    with pytest.raises(ArchvizError, match="under the 9 px a reader needs"):
        d.figure(size="article")  # two full figures side by side do not fit a 700 px column
    cmd = [sys.executable, "-m", "archviz.cli", "diff", "olmo-2-7b", "llama-3-8b", "-o", str(tmp_path / "d.svg")]
    r = subprocess.run(
        [*cmd, "--highlight", "norm"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "d.svg").read_text() == svg


def test_the_command_line_offers_every_size_preset() -> None:
    from archviz.cli import SIZE
    from archviz.style import MEDIA

    @SIZE
    def command(medium: str | None) -> None: ...

    choices = command.__click_params__[0].type.choices  # type: ignore[attr-defined]
    assert list(choices) == list(MEDIA)


# --- font= and caption= ----------------------------------------------------------------------------

MONO_FILE = Path(archviz.__file__).parent / "data" / "fonts" / "DejaVuSansMono.ttf"
"""A font file every install has, and much wider than DejaVu Sans: a test that text is measured
in the face asked for, not in the default."""


def test_a_font_file_is_measured_drawn_and_embedded() -> None:
    from archviz.layout.text import measuring, text_width
    from archviz.layout.typeface import find_typeface
    from geometry_checks import assert_clean

    fig = archviz.draw("gemma-3-27b", font=MONO_FILE)
    face = find_typeface(MONO_FILE)
    assert face.family == "DejaVu Sans Mono" and fig.layout.meta["font"]["family"] == "DejaVu Sans Mono"
    with measuring(face):
        for s in fig.layout.shapes:
            for t in s.texts:
                assert t.width == pytest.approx(text_width(t.text, t.size, t.weight, t.family)), t.text
    title = fig.layout.shape("title").texts[0]  # a monospaced face: 0.602 em a character
    assert title.width == pytest.approx(len(title.text) * 0.602 * title.size, rel=1e-3)
    assert title.width != archviz.draw("gemma-3-27b").layout.shape("title").texts[0].width
    assert_clean(fig.layout)
    svg = fig.svg()
    assert svg == archviz.draw("gemma-3-27b", font=str(MONO_FILE)).svg(), "deterministic"
    assert "@font-face{font-family:'DejaVu Sans Mono';font-weight:bold;" in svg
    assert "font-family=\"'DejaVu Sans Mono', 'DejaVu Sans'" in svg
    # cairo draws the glyph outlines of the very file the layout was measured in
    assert fig._drawable_svg().count("<use ") > 500 and fig.png()[:4] == b"\x89PNG"
    assert archviz.draw("gemma-3-27b").layout.meta.get("font") is None, "the default face leaves no trace"


def test_an_installed_family_is_found_by_name() -> None:
    from archviz.layout.typeface import find_typeface

    face = find_typeface("DejaVu Sans Mono")  # the bundled fonts are always visible to the lookup
    assert face.family == "DejaVu Sans Mono" and face.regular.name.startswith("DejaVuSansMono")
    assert find_typeface("dejavu sans").bundled


def test_a_font_that_is_not_there_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArchvizError, match=r"no installed font is named 'No Such Sans' \(the nearest is"):
        archviz.draw("llama-3-8b", font="No Such Sans")
    with pytest.raises(ArchvizError, match=r"font file '.*missing\.ttf' does not exist"):
        archviz.draw("llama-3-8b", font=tmp_path / "missing.ttf")
    (tmp_path / "fake.ttf").write_text("not a font")
    with pytest.raises(ArchvizError, match=r"is not a font archviz can read"):
        archviz.draw("llama-3-8b", font=tmp_path / "fake.ttf")
    cmd = [sys.executable, "-m", "archviz.cli", "render", "llama-3-8b", "--font", "No Such Sans", "-o", "-"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "no installed font is named" in r.stderr and "Traceback" not in r.stderr
    assert not r.stdout


def test_font_on_the_command_line_and_for_two_models(tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    cmd = [sys.executable, "-m", "archviz.cli", "render", "llama-3-8b", "--font", str(MONO_FILE), "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.read_text() == archviz.draw("llama-3-8b", font=MONO_FILE).svg()
    fig = archviz.diff("llama-3-8b", "qwen3-8b").figure(font=MONO_FILE)
    assert fig.layout.meta["font"]["family"] == "DejaVu Sans Mono" and "@font-face" in fig.svg()


def test_a_caption_says_what_the_highlight_shows() -> None:
    from geometry_checks import assert_clean

    words = (
        "The MoE layer: a router sends each token to 8 of 256 routed experts, and every token also "
        "passes through one shared expert, so 9 experts run per token."
    )
    plain = archviz.draw("deepseek-v3", highlight="ffns.moe").layout
    fig = archviz.draw("deepseek-v3", highlight="ffns.moe", caption=words)
    lay = fig.layout
    caption, key = lay.shape("caption"), lay.shape("caption-key")
    assert " ".join(t.text for t in caption.texts) == words and all(t.role == "accent" for t in caption.texts)
    assert len(caption.texts) >= 2, "wrapped to the figure's width"
    assert caption.y > max(s.bottom for s in plain.shapes) and lay.height > plain.height
    assert key.stroke == "accent" and key.bottom <= caption.bottom
    assert_clean(lay)
    g = _groups(fig.svg())
    assert g["deepseek-v3-caption"].get("opacity") is None, "the caption is not faded"
    assert (
        archviz.draw("deepseek-v3", highlight="ffns.moe", caption=words, size="article").layout.meta["page_px"][0]
        == 700
    )
    with pytest.raises(ArchvizError, match="give highlight= too"):
        archviz.draw("deepseek-v3", caption=words)
    d = archviz.diff("llama-3-8b", "qwen3-8b").figure(highlight="qk_norm", caption="QK-norm is new in Qwen3.")
    assert d.layout.shape("caption").texts[0].text == "QK-norm is new in Qwen3."


def test_the_caption_escapes_what_it_is_given() -> None:
    svg = archviz.draw("llama-3-8b", highlight="mixers.attn", caption="<script>alert(1)</script> & more").svg()
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in svg


@pytest.mark.browser
def test_a_browser_sets_the_text_in_the_embedded_font(tmp_path: Path) -> None:
    """Open the SVG in Chromium (which has no DejaVu Sans Mono of its own to fall back on: the
    page may only use what the SVG embeds) and compare each text's drawn length to the layout's."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    fig = archviz.draw("llama-3-8b", font=MONO_FILE)
    path = tmp_path / "f.svg"
    path.write_text(fig.svg().replace("DejaVu Sans Mono", "Archviz Test Mono"))  # only the embedded face has this name
    measured = {(t.text, round(t.size, 2)): t.width for s in fig.layout.shapes for t in s.texts if t.family == "sans"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready")
        drawn = page.evaluate(
            "[...document.querySelectorAll('text')].map(t => "
            "[t.textContent, +t.getAttribute('font-size'), t.getComputedTextLength()])"
        )
        browser.close()
    checked = [((text, round(size, 2)), width) for text, size, width in drawn if (text, round(size, 2)) in measured]
    assert len(checked) > 20
    for key, width in checked:
        assert width == pytest.approx(measured[key], rel=0.01, abs=0.5), key


# --- style: in a spec and in the user config -------------------------------------------------------


def _spec_with_style(tmp_path: Path, minimal_text: str, style: str) -> Path:
    path = tmp_path / "styled.yaml"
    path.write_text(minimal_text + style)
    return path


def test_a_specs_style_sets_the_figures_defaults(tmp_path: Path, minimal_text: str) -> None:
    style = "style:\n  theme: dark\n  highlight: [mixers.attn]\n  caption: The one attention.\n  panels: []\n"
    path = _spec_with_style(tmp_path, minimal_text, style)
    fig = archviz.draw(path)
    assert fig.theme == "dark" and fig.layout.meta["emphasis"]["selectors"] == ["mixers.attn"]
    assert fig.layout.shape("caption").texts[0].text == "The one attention."
    assert not _panels(fig.svg())
    # the call's own options win, field by field
    other = archviz.draw(path, theme="print", highlight="ffns.mlp", caption="The FFN.", panels=["ffns.mlp"])
    assert other.theme == "print" and other.layout.meta["emphasis"]["selectors"] == ["ffns.mlp"]
    assert _panels(other.svg()) == ["ffns.mlp"]


def test_a_specs_style_accent_is_its_accent(tmp_path: Path, minimal_text: str) -> None:
    path = _spec_with_style(tmp_path, minimal_text, "style:\n  accent: '#aa3300'\n")
    assert archviz.draw(path).layout.accent == "#aa3300"
    assert archviz.draw(path, accent="#0055aa").layout.accent == "#0055aa"
    twice = _spec_with_style(tmp_path, minimal_text + "accent: '#112233'\n", "style:\n  accent: '#aa3300'\n")
    with pytest.raises(archviz.SpecError, match=r"accent is set twice"):
        archviz.load(twice)


def test_a_specs_font_file_is_found_beside_it(tmp_path: Path, minimal_text: str) -> None:
    import shutil

    (tmp_path / "fonts").mkdir()
    shutil.copy(MONO_FILE, tmp_path / "fonts" / "Mono.ttf")
    path = _spec_with_style(tmp_path, minimal_text, "style:\n  font: fonts/Mono.ttf\n")
    assert archviz.draw(path).layout.meta["font"]["family"] == "DejaVu Sans Mono"


def test_the_user_config_sets_defaults_under_the_spec_and_the_call(
    tmp_path: Path, minimal_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("style:\n  theme: dark\n  size: article\n  accent: '#0055aa'\n")
    monkeypatch.setenv("ARCHVIZ_CONFIG", str(config))
    fig = archviz.draw("llama-3-8b")
    assert (fig.theme, fig.layout.meta["medium"], fig.layout.accent) == ("dark", "article", "#0055aa")
    assert archviz.draw("llama-3-8b", theme="light").theme == "light"
    styled = _spec_with_style(tmp_path, minimal_text, "style:\n  theme: print\n  accent: '#aa3300'\n")
    assert (archviz.draw(styled).theme, archviz.draw(styled).layout.accent) == ("print", "#aa3300")
    config.write_text("style:\n  theme: dark\n")
    assert archviz.diff("llama-3-8b", "qwen3-8b").figure().theme == "dark"
    monkeypatch.setenv("ARCHVIZ_CONFIG", "")
    assert archviz.draw("llama-3-8b").theme == "light", "an empty ARCHVIZ_CONFIG reads no config"


def test_a_broken_user_config_names_its_file_line_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("style:\n  theme: dark\n  sise: article\n")
    monkeypatch.setenv("ARCHVIZ_CONFIG", str(config))
    with pytest.raises(archviz.SpecError) as err:
        archviz.draw("llama-3-8b")
    assert f"{config}:3" in str(err.value) and "style.sise" in str(err.value) and "size" in str(err.value)
    r = subprocess.run(
        [sys.executable, "-m", "archviz.cli", "render", "llama-3-8b", "-o", str(tmp_path / "x.svg")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "ARCHVIZ_CONFIG": str(config)},
    )
    assert r.returncode == 2 and f"{config}:3" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.svg").exists()
    config.write_text("style:\n  theme: sepia\n")
    with pytest.raises(archviz.SpecError, match=r"config\.yaml:2.*style\.theme"):
        archviz.draw("llama-3-8b")


def test_a_cached_render_follows_the_user_config(tmp_path: Path) -> None:
    """The fast path answers an unchanged render from the cache; a changed config is a change."""
    import os

    config = tmp_path / "config.yaml"
    env = {**os.environ, "ARCHVIZ_CONFIG": str(config)}
    out = tmp_path / "x.svg"

    def render() -> str:
        r = subprocess.run(
            [sys.executable, "-c", "from archviz.quick import main; main()", "render", "llama-3-8b", "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert r.returncode == 0, r.stderr
        return out.read_text()

    config.write_text("style:\n  theme: light\n")
    light = render()
    config.write_text("style:\n  theme: dark\n")
    dark = render()
    assert light != dark and 'data-theme="dark"' in dark
