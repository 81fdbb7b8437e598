"""The poster: a title band with a legend, then every model's compact diagram at one common
scale, packed in rows that keep the chosen order, with even gutters.

All panels share one scale so that the same text is the same size everywhere; the scale is the
largest at which every panel fits the page, and must keep the smallest text at 6 pt or more.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, replace

from archviz.errors import ArchvizError
from archviz.layout.builder import Line, Scene
from archviz.layout.compose import embed, id_prefix
from archviz.layout.geometry import Connector, Layout, Shape
from archviz.layout.model import model_layout
from archviz.spec.limits import bad_text
from archviz.spec.loader import Spec
from archviz.style import POSTER_STYLE, Style, accent_for

PX_PER_MM = 96 / 25.4
PT_PER_PX = 0.75
MIN_TEXT_PT = 6.0

PAPER_MM = {
    "4A0": (1682, 2378),
    "2A0": (1189, 1682),
    "A0": (841, 1189),
    "A1": (594, 841),
    "A2": (420, 594),
    "A3": (297, 420),
    "A4": (210, 297),
    "24x36in": (609.6, 914.4),
    "36x48in": (914.4, 1219.2),
}


AUTO_SIZES = ("A4", "A3", "A2", "A1", "A0", "2A0", "4A0")
"""What --size auto tries, smallest first: the first that holds every panel at 6 pt wins."""


def paper_size(size: str, landscape: bool = False) -> tuple[float, float]:
    """Page (width, height) in mm from a name ('A0', '24x36in') or 'WxHmm' / 'WxHin'."""
    key = size.strip()
    named = {k.lower(): v for k, v in PAPER_MM.items()}
    if key.lower() in named:
        w, h = named[key.lower()]
    else:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in)", key.lower())
        if not m:
            raise ArchvizError(f"unknown paper size '{size}': use auto, {', '.join(PAPER_MM)} or WxHmm / WxHin")
        factor = {"mm": 1.0, "cm": 10.0, "in": 25.4}[m.group(3)]
        w, h = float(m.group(1)) * factor, float(m.group(2)) * factor
    if w <= 0 or h <= 0:
        raise ArchvizError(f"paper size '{size}' must be positive")
    return (max(w, h), min(w, h)) if landscape else (min(w, h), max(w, h))


@dataclass(frozen=True)
class Placement:
    """Where one panel goes (top-left, SVG coordinates) at the common scale."""

    index: int
    x: float
    y: float
    column: int = 0


def pack(
    sizes: Sequence[tuple[float, float]], scale: float, columns: int, width: float, gutter: float
) -> tuple[list[Placement], float] | None:
    """Masonry: equal columns; each panel, in order, goes to the currently shortest column (so the
    order reads left to right, top to bottom). None when a panel is wider than a column."""
    col_w = (width - gutter * (columns - 1)) / columns
    if max(w for w, _ in sizes) * scale > col_w + 1e-9:
        return None
    shortest = [(0.0, k) for k in range(columns)]  # a heap of (height, column): the shortest first
    out = []
    for i, (w, h) in enumerate(sizes):
        top, c = heapq.heappop(shortest)
        x = c * (col_w + gutter) + (col_w - w * scale) / 2
        out.append(Placement(i, x, top, c))
        heapq.heappush(shortest, (top + h * scale + gutter, c))
    return out, max(top for top, _ in shortest) - gutter


def best_packing(
    sizes: Sequence[tuple[float, float]], width: float, height: float, gutter: float
) -> tuple[float, list[Placement], float]:
    """The largest common scale (and its placements and used height) over every column count."""
    best: tuple[float, list[Placement], float] = (0.0, [], 0.0)
    for columns in range(1, len(sizes) + 1):
        lo, hi = 0.0, width / max(w for w, _ in sizes)
        if (width - gutter * (columns - 1)) / columns / max(w for w, _ in sizes) <= best[0]:
            break  # more columns are narrower still: none can hold the panels at a larger scale
        for _ in range(40):
            mid = (lo + hi) / 2
            done = pack(sizes, mid, columns, width, gutter)
            lo, hi = (mid, hi) if done is not None and done[1] <= height else (lo, mid)
        done = pack(sizes, lo, columns, width, gutter)
        if done is not None and lo > best[0]:
            best = (lo, *done)
    return best


LEGEND = (
    ("dark_fill", "dark_stroke", "Token mixer: attention, MLA or linear"),
    ("light_fill", "light_stroke", "Feed forward, MoE, embedding, output"),
    ("white_fill", "white_stroke", "Normalisation"),
    ("white_fill", "accent", "Model-specific norm (QK-Norm, post-norm)"),
    ("accent_fill", "block_stroke", "Block; 'N ×' counts its layers"),
    ("layer_global", "text", "Layer strip: global attention"),
    ("layer_local", "text", "sliding-window or chunked"),
    ("layer_linear", "text", "linear attention or state-space"),
    ("layer_ffn", "text", "MoE-only layer; tab: MoE FFN (white: dense)"),
)
"""The poster's key: box colours, and the layer strips' colours (first layer at the bottom)."""


def _band(sc: Scene, title: str, subtitle: str, width: float, k: float) -> float:
    """Title, subtitle and legend across the top, sized by `k` for the page; returns its height."""
    z, s = sc.style.sizes, sc.style.spacing
    legend_items = []
    for i, (fill, stroke, text) in enumerate(LEGEND):
        sw = sc.box(
            f"legend-{i + 1}-swatch",
            "legend",
            w=34 * k,
            h=18 * k,
            fill=fill,
            stroke=stroke,
            radius=3 * k,
            stroke_width=(2 if stroke == "accent" else 1.2) * k,
            parent="band",
        )
        label = sc.box(
            f"legend-{i + 1}", "legend", [Line(text, z.small * k, "text")], outline="none", pad=2, parent="band"
        )
        legend_items.append((sw, label))
    item_w = max(sw.w + 8 + lb.w for sw, lb in legend_items) + 3 * s.gap * k
    per_row = max(1, int(width // item_w))
    rows = (len(legend_items) + per_row - 1) // per_row
    y = 0.0
    for r in range(rows - 1, -1, -1):
        chunk = legend_items[r * per_row : (r + 1) * per_row]
        x = (width - len(chunk) * item_w) / 2
        for sw, lb in chunk:
            sw.x, sw.y = x, y + (lb.h - sw.h) / 2
            lb.x, lb.y = x + sw.w + 8, y
            x += item_w
        y += legend_items[0][1].h + 6
    head = sc.box(
        "poster-title",
        "title",
        [Line(title, z.title * 2.2 * k, "accent", "bold"), Line(subtitle, z.subtitle * 1.5 * k, "muted")],
        outline="none",
        pad=0,
        parent="band",
    )
    head.x, head.y = width / 2 - head.w / 2, y + s.gap * k
    if head.w > width:
        raise ArchvizError("the poster title is wider than the page; shorten it with --title")
    band = sc.box("band", "band", w=width, h=head.top + s.gap * k, outline="none")
    band.x, band.y = 0, -s.gap * k
    return band.h


@dataclass
class _Fit:
    """How a set of panels sits on one page size."""

    width: float
    height: float
    margin: float
    gutter: float
    band: Scene
    band_h: float
    avail_h: float
    scale: float
    placements: list[Placement]
    used: float
    smallest_pt: float


@dataclass(frozen=True)
class _Panels:
    """The poster's panels with what fitting asks of them again and again (measured once)."""

    layouts: tuple[Layout, ...]
    min_text: tuple[float, ...]
    """Each panel's smallest text size, px."""

    @classmethod
    def of(cls, layouts: Sequence[Layout]) -> _Panels:
        return cls(tuple(layouts), tuple(p.smallest_text() for p in layouts))

    def __getitem__(self, part: slice) -> _Panels:
        return _Panels(self.layouts[part], self.min_text[part])

    def __len__(self) -> int:
        return len(self.layouts)

    @property
    def area(self) -> float:
        return sum(p.width * p.height for p in self.layouts)


@dataclass(frozen=True)
class SheetPlan:
    """Where every panel of one page goes, before anything is drawn: the poster, or one of its
    sheets (models lo..hi of the catalog). `compose` makes the page from it and those models'
    panels alone, so a caller that keeps panels by spec (the gallery) can redraw one sheet."""

    lo: int
    hi: int
    size: str
    title: str
    subtitle: str
    layout_id: str
    fit: _Fit
    landscape: bool = False
    bleed_mm: float = 0.0
    crop_marks: bool = False

    def fingerprint(self) -> str:
        """All the page depends on besides its models' panels, as canonical JSON."""
        f = self.fit
        numbers = (f.width, f.height, f.margin, f.gutter, f.band_h, f.avail_h, f.scale, f.used, f.smallest_pt)
        fields = (self.lo, self.hi, self.size, self.title, self.subtitle, self.layout_id, self.landscape)
        placements = [astuple(pl) for pl in f.placements]
        return json.dumps([*fields, self.bleed_mm, self.crop_marks, *numbers, placements])


def compose(specs: Sequence[Spec], panels: Sequence[Layout], plan: SheetPlan) -> Layout:
    """The page `plan` describes, from the specs and panels of its models (lo..hi)."""
    if len(specs) != plan.hi - plan.lo or len(panels) != len(specs):
        raise ValueError("compose takes the plan's own models and panels")
    return _compose(specs, _Panels.of(panels), plan)


def panel_row(spec: Spec, panel: Layout) -> list[object]:
    """All a plan (plan_poster, plan_poster_or_sheets) reads of one model and its panel: its id,
    release date, the panel's size and its smallest text. A changed spec whose panel keeps its
    size changes none of them, and so not the plan."""
    return [spec.id, spec.model.sort_date.isoformat(), panel.width, panel.height, panel.smallest_text()]


def plan_inputs(rows: Sequence[list[object]]) -> str:
    """The panel_row of every model, in order, as canonical JSON (with the page size, title and
    style, all a plan depends on)."""
    return json.dumps(list(rows))


def _fit(panels: _Panels, page: tuple[float, float], title: str, subtitle: str, style: Style) -> _Fit:
    """How `panels` sit on `page`. The area they need at 6 pt is checked first: a page too small
    for it is answered without packing (packing 1,000 panels takes a second)."""
    page_w, page_h = page
    # Title, legend, margins and gutters shrink with the page, but the legend stays above 6 pt.
    k = min(1.0, max(MIN_TEXT_PT / (style.sizes.small * PT_PER_PX) * 1.05, (page_w * page_h / (841 * 1189)) ** 0.5))
    margin, gutter = 12 * PX_PER_MM * k, 8 * PX_PER_MM * k
    width, height = page_w * PX_PER_MM, page_h * PX_PER_MM
    band = Scene(style)
    band_h = _band(band, title, subtitle, width - 2 * margin, k)
    avail_h = height - 2 * margin - band_h - gutter
    text = min(panels.min_text)
    most = math.sqrt(max(avail_h, 0) * (width - 2 * margin) / panels.area)  # no packing beats the area
    if text * most * PT_PER_PX < MIN_TEXT_PT:
        return _Fit(width, height, margin, gutter, band, band_h, avail_h, most, [], 0.0, text * most * PT_PER_PX)
    sizes = [(p.width, p.height) for p in panels.layouts]
    scale, placements, used = best_packing(sizes, width - 2 * margin, avail_h, gutter)
    smallest = min(text * scale, _min_text_scene(band)) * PT_PER_PX
    return _Fit(width, height, margin, gutter, band, band_h, avail_h, scale, placements, used, smallest)


def _first_fit(
    panels: _Panels, title: str, subtitle: str, style: Style, landscape: bool, larger_than: float = 0.0
) -> tuple[str, _Fit] | None:
    """The smallest standard size (of area above `larger_than` mm²) that holds the panels at 6 pt."""
    for name in AUTO_SIZES:
        page = paper_size(name, landscape)
        if page[0] * page[1] <= larger_than:
            continue
        fit = _fit(panels, page, title, subtitle, style)
        if fit.smallest_pt >= MIN_TEXT_PT:
            return name, fit
    return None


def _suggest(panels: _Panels, title: str, subtitle: str, style: Style, landscape: bool, larger_than: float) -> str:
    """The size to name in an error: a standard one, or else 4A0 grown until the panels fit."""
    found = _first_fit(panels, title, subtitle, style, landscape, larger_than)
    if found:
        return found[0]
    w, h = paper_size(AUTO_SIZES[-1], landscape)
    # Text scales about linearly with the page's sides; grow from that estimate until it fits.
    factor = MIN_TEXT_PT / max(_fit(panels, (w, h), title, subtitle, style).smallest_pt, 1e-3)
    for _ in range(60):
        page = (w * factor, h * factor)
        if _fit(panels, page, title, subtitle, style).smallest_pt >= MIN_TEXT_PT:
            break
        factor *= 1.05
    return f"{math.ceil(page[0])}x{math.ceil(page[1])}mm"


def compact_layout(spec: Spec, style: Style = POSTER_STYLE) -> Layout:
    """One model's poster panel: its compact diagram."""
    return model_layout(spec, style, compact=True)


def _panels(
    specs: Sequence[Spec], style: Style, progress: object, panel: Callable[[Spec], Layout] | None = None
) -> _Panels:
    """Every model's compact diagram (the poster's panels), in order; `panel` may supply them
    (the gallery reads them from its cache)."""
    panels = []
    for spec in specs:
        panels.append(panel(spec) if panel else compact_layout(spec, style))
        if progress is not None:
            progress()  # type: ignore[operator]
    return _Panels.of(panels)


def _title(title: str | None) -> str:
    title = title or "LLM architectures"
    if why := bad_text(title, one_line=True):
        raise ArchvizError(f"the poster title {why}")
    return title


def _check_options(specs: Sequence[Spec], size: str, landscape: bool, bleed_mm: float, crop_marks: bool) -> None:
    """What can be refused before any panel is laid out."""
    if not specs:
        raise ArchvizError("the poster needs at least one model")
    if crop_marks and bleed_mm < 3:
        raise ArchvizError("crop marks need a bleed of at least 3 mm (--bleed 3)")
    if size.strip().lower() != "auto":
        paper_size(size, landscape)


def poster_layout(
    specs: Sequence[Spec],
    size: str = "A0",
    landscape: bool = False,
    title: str | None = None,
    bleed_mm: float = 0.0,
    crop_marks: bool = False,
    style: Style = POSTER_STYLE,
    progress: object = None,
) -> Layout:
    """Lay out the poster of `specs` (in the order given) on a page of `size` ('auto': the smallest
    standard size that holds them at 6 pt)."""
    _check_options(specs, size, landscape, bleed_mm, crop_marks)
    panels = _panels(specs, style, progress)
    return _compose(
        specs, panels, _plan_one(specs, panels, size, landscape, _title(title), bleed_mm, crop_marks, style)
    )


def plan_poster(specs: Sequence[Spec], panels: Sequence[Layout], size: str, style: Style = POSTER_STYLE) -> SheetPlan:
    """poster_layout, planned but not composed, from the specs' panels (the gallery's fixed size)."""
    _check_options(specs, size, False, 0.0, False)
    return _plan_one(specs, _Panels.of(panels), size, False, _title(None), 0.0, False, style)


def _plan_one(
    specs: Sequence[Spec],
    panels: _Panels,
    size: str,
    landscape: bool,
    title: str,
    bleed_mm: float,
    crop_marks: bool,
    style: Style,
) -> SheetPlan:
    subtitle = _subtitle(specs)
    if size.strip().lower() == "auto":
        found = _first_fit(panels, title, subtitle, style, landscape)
        if found is None:
            needed = _suggest(panels, title, subtitle, style, landscape, math.inf)
            raise ArchvizError(
                f"{len(specs)} models do not fit even {AUTO_SIZES[-1]} with text of at least {MIN_TEXT_PT:g} pt: "
                f"choose --size {needed} or larger, --sheets, or fewer models"
            )
        size, fit = found
    else:
        page = paper_size(size, landscape)
        fit = _fit(panels, page, title, subtitle, style)
        if fit.smallest_pt < MIN_TEXT_PT:
            needed = _suggest(panels, title, subtitle, style, landscape, page[0] * page[1])
            raise ArchvizError(
                f"{len(specs)} models do not fit {size} with text of at least {MIN_TEXT_PT:g} pt (they would "
                f"get {fit.smallest_pt:.1f} pt): choose --size {needed} or larger, --sheets, or fewer models"
            )
    return SheetPlan(0, len(specs), size, title, subtitle, "poster", fit, landscape, bleed_mm, crop_marks)


def poster_sheets(
    specs: Sequence[Spec],
    size: str = "A0",
    sheets: int | None = None,
    landscape: bool = False,
    title: str | None = None,
    bleed_mm: float = 0.0,
    crop_marks: bool = False,
    style: Style = POSTER_STYLE,
    progress: object = None,
) -> list[Layout]:
    """The poster over several sheets of `size`, the models in order and split evenly: `sheets`
    of them, or (None) the fewest that hold every model at 6 pt. Each sheet is a whole poster,
    numbered in its subtitle, so it can be printed, hung and read on its own."""
    if size.strip().lower() == "auto":
        raise ArchvizError("--sheets needs a sheet size (--size A0, A1, ... or WxHmm), not auto")
    _check_options(specs, size, landscape, bleed_mm, crop_marks)
    if sheets is not None and not 1 <= sheets <= len(specs):
        raise ArchvizError(f"--sheets must be between 1 and the number of models ({len(specs)}), got {sheets}")
    panels = _panels(specs, style, progress)
    plans = _sheets(specs, panels, size, sheets, landscape, _title(title), bleed_mm, crop_marks, style)
    return [_compose(specs[p.lo : p.hi], panels[p.lo : p.hi], p) for p in plans]


def poster_or_sheets(
    specs: Sequence[Spec],
    sheet: str = "A0",
    title: str | None = None,
    style: Style = POSTER_STYLE,
    panel: Callable[[Spec], Layout] | None = None,
) -> list[Layout]:
    """One poster on the smallest standard size that holds `specs` at 6 pt, or, past 4A0, the
    fewest sheets of `sheet` that do (the gallery's choice). Panels are laid out once for both
    (or come from `panel`)."""
    _check_options(specs, sheet, False, 0.0, False)
    panels = _panels(specs, style, None, panel)
    plans = plan_poster_or_sheets(specs, panels.layouts, sheet, title, style)
    return [compose(specs[p.lo : p.hi], panels.layouts[p.lo : p.hi], p) for p in plans]


def plan_poster_or_sheets(
    specs: Sequence[Spec],
    panels: Sequence[Layout],
    sheet: str = "A0",
    title: str | None = None,
    style: Style = POSTER_STYLE,
) -> list[SheetPlan]:
    """poster_or_sheets, planned but not composed, from the specs' panels."""
    _check_options(specs, sheet, False, 0.0, False)
    measured = _Panels.of(panels)
    title = _title(title)
    subtitle = _subtitle(specs)
    found = _first_fit(measured, title, subtitle, style, False)
    if found is not None:
        return [SheetPlan(0, len(specs), found[0], title, subtitle, "poster", found[1])]
    return _sheets(specs, measured, sheet, None, False, title, 0.0, False, style)


def plan_sheets(
    specs: Sequence[Spec],
    panels: Sequence[Layout],
    size: str = "A0",
    sheets: int | None = None,
    title: str | None = None,
    style: Style = POSTER_STYLE,
) -> list[SheetPlan]:
    """poster_sheets, planned but not composed, from the specs' panels."""
    _check_options(specs, size, False, 0.0, False)
    return _sheets(specs, _Panels.of(panels), size, sheets, False, _title(title), 0.0, False, style)


def _subtitle(specs: Sequence[Spec], sheet: tuple[int, int, int, int] | None = None) -> str:
    """The band's second line; for a sheet (k, n, lo, hi), which sheet and which models."""
    latest = max(s.model.sort_date for s in specs).isoformat()
    tail = f"drawn from open specs by archviz · releases up to {latest}"
    if sheet is None:
        return f"{len(specs)} models, {tail}"
    k, n, lo, hi = sheet
    which = f"model {hi}" if hi == lo + 1 else f"models {lo + 1}-{hi}"
    return f"Sheet {k} of {n}: {which} of {len(specs)}, {tail}"


def _sheets(
    specs: Sequence[Spec],
    panels: _Panels,
    size: str,
    sheets: int | None,
    landscape: bool,
    title: str,
    bleed_mm: float,
    crop_marks: bool,
    style: Style,
) -> list[SheetPlan]:
    page = paper_size(size, landscape)
    # No split into fewer sheets can work than the panels' area at 6 pt over the page's area.
    scale = MIN_TEXT_PT / (max(panels.min_text) * PT_PER_PX)
    fewest = max(1, math.ceil(panels.area * scale**2 / (page[0] * page[1] * PX_PER_MM**2)))
    for n in [sheets] if sheets else range(min(fewest, len(specs)), len(specs) + 1):
        per = math.ceil(len(specs) / n)
        chunks = [(lo, min(lo + per, len(specs))) for lo in range(0, len(specs), per)]
        planned = []
        for k, (lo, hi) in enumerate(chunks, start=1):
            subtitle = _subtitle(specs, (k, len(chunks), lo, hi))
            fit = _fit(panels[lo:hi], page, title, subtitle, style)  # the band shows the sheet in its subtitle
            if fit.smallest_pt < MIN_TEXT_PT:
                break
            name = f"{title} · sheet {k} of {len(chunks)}" if len(chunks) > 1 else title
            layout_id = f"poster-{k}"
            planned.append(SheetPlan(lo, hi, size, name, subtitle, layout_id, fit, landscape, bleed_mm, crop_marks))
        else:
            return planned
        if sheets:
            need = _sheets(specs, panels, size, None, landscape, title, bleed_mm, crop_marks, style)
            raise ArchvizError(
                f"{len(specs)} models do not fit {sheets} sheet(s) of {size} with text of at least "
                f"{MIN_TEXT_PT:g} pt: choose --sheets {len(need)} or more, or a larger --size"
            )
    raise ArchvizError(f"a single model does not fit {size} with text of at least {MIN_TEXT_PT:g} pt")


def _compose(specs: Sequence[Spec], panels: _Panels, plan: SheetPlan) -> Layout:
    """The poster page: panels placed as the plan's fit packed them, the title band, the marks."""
    fit, size, title, bleed_mm, crop_marks = plan.fit, plan.size, plan.title, plan.bleed_mm, plan.crop_marks
    page = paper_size(size, plan.landscape)
    bleed = bleed_mm * PX_PER_MM
    margin, gutter, scale, band_h = fit.margin, fit.gutter, fit.scale, fit.band_h
    width, height, band, smallest_pt = fit.width, fit.height, fit.band, fit.smallest_pt
    placements, avail_h = fit.placements, fit.avail_h
    shapes: list[Shape] = []
    conns: list[Connector] = []
    top = bleed + margin + band_h + gutter
    spread = _spread(placements, [(p.height * scale) for p in panels.layouts], avail_h, gutter)
    for pl in placements:
        p, spec = panels.layouts[pl.index], specs[pl.index]
        x, y = bleed + margin + pl.x, top + pl.y + spread[pl.index]
        prefix = id_prefix(spec.id)
        frame = Shape(
            f"{prefix}panel", "poster-panel", x, y, p.width * scale, p.height * scale, tooltip=spec.model.name
        )
        panel_shapes, panel_conns = embed(p, scale, x, y, prefix, parent=f"{prefix}panel")
        shapes += [frame, *panel_shapes]
        conns += panel_conns
    band_layout = band.finish("band", title, "", accent_for("poster", None), 0)
    dx, dy = bleed + margin, bleed + margin
    for b in band_layout.shapes:
        moved = tuple(replace(t, x=t.x + dx, y=t.y + dy) for t in b.texts)
        shapes.append(replace(b, x=b.x + dx, y=b.y + dy, texts=moved))
    if crop_marks:
        shapes += _crop_marks(width, height, bleed)
    desc = f"Poster of {len(specs)} LLM architectures ({', '.join(s.id for s in specs)}), drawn by archviz."
    meta = {
        "size": size,
        "page_mm": [page[0] + 2 * bleed_mm, page[1] + 2 * bleed_mm],
        "scale": scale,
        "smallest_text_pt": round(smallest_pt, 2),
        "models": [s.id for s in specs],
        "batch": True,  # thousands of strip chips: the renderer draws them as a few paths
    }
    return Layout(
        plan.layout_id,
        width + 2 * bleed,
        height + 2 * bleed,
        title,
        desc,
        accent_for("poster", None),
        tuple(shapes),
        tuple(conns),
        meta,
    )


def _spread(placements: Sequence[Placement], heights: Sequence[float], avail: float, gutter: float) -> dict[int, float]:
    """Extra downward shift per panel so each column fills the page: its leftover height goes into
    the gaps between its panels (at most two more gutters per gap; the rest stays at the bottom)."""
    shift: dict[int, float] = {}
    for column in {p.column for p in placements}:
        mine = sorted((p for p in placements if p.column == column), key=lambda p: p.y)
        used = mine[-1].y + heights[mine[-1].index]
        extra = min((avail - used) / (len(mine) - 1), 2 * gutter) if len(mine) > 1 else 0.0
        for n, p in enumerate(mine):
            shift[p.index] = n * max(extra, 0.0)
    return shift


def _min_text_scene(sc: Scene) -> float:
    return min((ln.size for b in sc.boxes for ln in b.lines), default=1e9)


def _crop_marks(width: float, height: float, bleed: float) -> list[Shape]:
    """Thin marks in the bleed at the four trim corners."""
    out = []
    length, t = bleed - 1 * PX_PER_MM, 0.6
    for cx, sx in ((bleed, -1), (bleed + width, 1)):
        for cy, sy in ((bleed, -1), (bleed + height, 1)):
            name = f"{'l' if sx < 0 else 'r'}{'t' if sy < 0 else 'b'}"
            hx = cx if sx > 0 else cx - length
            out.append(Shape(f"crop-{name}-h", "crop-mark", hx, cy - t / 2, length, t, fill="text"))
            vy = cy if sy > 0 else cy - length
            out.append(Shape(f"crop-{name}-v", "crop-mark", cx - t / 2, vy, t, length, fill="text"))
    return out
