"""The `archviz` command line: thin wrappers over the Python API, with clean errors."""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import os
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from archviz import numbers as fmt
from archviz.errors import ArchvizError

if TYPE_CHECKING:  # imported where used, so `archviz --help` and simple commands start quickly
    from rich.console import Console
    from rich.progress import Progress

    from archviz.facts.summary import Facts
    from archviz.spec import Catalog

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def err_console() -> Console:
    """The console for messages and progress bars (standard error)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def escape(text: str) -> str:
    """`text` with rich's markup escaped, so brackets from a spec print as written."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def progress_bar(*counted: bool) -> Progress:
    """A transient progress bar on standard error (with a done/total column when `counted`)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (
        (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        if counted
        else (TextColumn("{task.description}"),)
    )
    return Progress(*columns, console=err_console(), transient=True)


def printable(text: str) -> str:
    """Text safe for a terminal: control, bidi and unpaired surrogate characters shown as escapes
    (a message may quote a spec's text)."""
    from archviz.spec.limits import FORBIDDEN

    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return FORBIDDEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _say_error(message: str) -> None:
    err_console().print(f"[bold red]error:[/] {escape(printable(message))}", soft_wrap=True)


def _os_error(exc: OSError) -> str:
    """'cannot write x.png: Permission denied', from any OSError a user's paths can cause."""
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot use{where}: {exc.strerror or exc}"


def _quiet_pipe() -> None:
    """The reader of our output went away (`archviz facts --all | head -1`): stop without a word."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit does not fail again
    sys.exit(141)


def clean_errors(fn: F) -> F:
    """Turn every error a user can cause into a message and exit code 2, never a traceback;
    exit 1 stays for real bugs."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ArchvizError as exc:
            for p in exc.problems:
                _say_error(str(p))
            sys.exit(2)
        except BrokenPipeError:
            _quiet_pipe()
        except OSError as exc:  # an output or input path: missing, read-only, a directory, a full disk
            _say_error(_os_error(exc))
            sys.exit(2)
        except KeyboardInterrupt:
            err_console().print("interrupted")
            sys.exit(130)
        except Exception as exc:  # a bug, not bad input: say so briefly (ARCHVIZ_DEBUG=1 shows the traceback)
            if os.environ.get("ARCHVIZ_DEBUG"):
                raise
            err_console().print(
                f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(printable(str(exc)))} "
                "(set ARCHVIZ_DEBUG=1 for details; please report it)"
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM or SIGHUP: unwind like Ctrl-C, so temporary files and folders are removed."""
    raise KeyboardInterrupt


class FiniteFloat(click.FloatRange):
    """A FloatRange that also refuses nan and inf (nan passes every comparison)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="archviz")
def main() -> None:
    """archviz: diagrams, facts and comparisons of LLM architectures."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)


THEME = click.option("--theme", default="light", show_default=True, help="light, dark or print.")
FIGURE_THEME = click.option(
    "--theme", default=None, help="light, dark or print (default: the spec's or your config's style, else light)."
)
SIZE = click.option(
    "--size",
    "medium",
    type=click.Choice(["article", "paper", "slide", "card"]),  # style.MEDIA (tested to match)
    default=None,
    help="Show it at a preset size, its text kept legible there: article (a 700 px column), paper "
    "(178 x 230 mm, PNG at 300 DPI), slide (1920 x 1080), card (1080 x 1080).",
)

FONT = click.option(
    "--font",
    default=None,
    help="Set the text in this font, measured in it: an installed family ('Liberation Serif') or a "
    ".ttf/.otf file (default: the bundled DejaVu Sans).",
)

CAPTION = click.option(
    "--caption", default=None, help="With --highlight: a sentence set under the figure on what it shows."
)


def png_dpi(dpi: float, medium: str | None) -> float | None:
    """The PNG resolution: --dpi when given, else a size preset's own (None), else the default."""
    given = click.get_current_context().get_parameter_source("dpi") != click.core.ParameterSource.DEFAULT
    return dpi if given or medium is None else None


def dpi_option(default: float = 96.0) -> Callable[[F], F]:
    """--dpi, shared by every command that can write PNG."""
    return click.option(
        "--dpi", default=default, show_default=True, type=FiniteFloat(min=10, max=2400), help="PNG resolution."
    )


def catalog_options(fn: F) -> F:
    """--specs FOLDER (repeatable) and --no-builtin; the command receives them as `catalog`."""

    @click.option(
        "--specs",
        "spec_folders",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Also use the specs in this folder (repeatable; ids must stay unique).",
    )
    @click.option("--no-builtin", is_flag=True, help="Leave the bundled catalog out (use only --specs folders).")
    @wraps(fn)
    def wrapper(*args: Any, spec_folders: tuple[Path, ...], no_builtin: bool, **kwargs: Any) -> Any:
        from archviz.spec import Catalog

        return fn(*args, catalog=Catalog(spec_folders, builtin=not no_builtin), **kwargs)

    return wrapper  # type: ignore[return-value]


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@catalog_options
@clean_errors
def list_cmd(as_json: bool, catalog: Catalog) -> None:
    """List the models in the catalog."""
    specs = catalog.load_all()
    if as_json:
        rows = [
            {
                "id": s.id,
                "name": s.model.name,
                "organization": s.model.organization,
                "release_date": s.model.release_date.isoformat() if s.model.release_date else None,
                "decoder_type": s.model.decoder_type,
            }
            for s in specs
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "name", "organization", "date", "type", box=None)
    for s in specs:
        table.add_row(s.id, s.model.name, s.model.organization, s.model.date_text, s.model.decoder_type)
    Console(highlight=False).print(table)


COLUMNS = (
    ("id", lambda f: f.id),
    ("name", lambda f: f.name),
    ("date", lambda f: f.release_date),
    ("type", lambda f: f.decoder_type),
    ("attention", lambda f: f.attention),
    ("layer mix", lambda f: f.layer_mix),
    ("total", lambda f: fmt.count(f.params_total)),
    ("active", lambda f: fmt.count(f.params_active)),
    ("active %", lambda f: f"{100 * f.active_share:.1f}"),
    ("KV/token", lambda f: fmt.kib(f.kv_cache_bytes_per_token)),
    ("context", lambda f: fmt.tokens(f.context_length)),
    ("vocab", lambda f: f"{f.vocab_size:,}"),
)


def _facts_json(f: Facts) -> dict[str, Any]:
    return f.to_dict()


@main.command("facts")
@click.argument("model", required=False)
@click.option("--all", "all_", is_flag=True, help="Every catalog model, side by side.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--format", "form", type=click.Choice(["text", "table", "csv", "json"]), default=None)
@click.option("--dtype", default="bf16", show_default=True, help="KV cache element type (bf16, fp8, fp32, ...).")
@click.option("--context", type=click.IntRange(min=1), default=None, help="Also the KV cache at this many tokens.")
@click.option("--sort", type=click.Choice(["id", "date", "total", "active", "kv"]), default="id")
@catalog_options
@clean_errors
def facts_cmd(
    model: str | None,
    all_: bool,
    as_json: bool,
    form: str | None,
    dtype: str,
    context: int | None,
    sort: str,
    catalog: Catalog,
) -> None:
    """Print the facts of MODEL (a catalog id, a spec file, a config.json or a Hub id), or of --all models."""
    if bool(model) == all_:
        raise ArchvizError("give one MODEL or --all")
    form = "json" if as_json else form or ("table" if all_ else "text")
    try:
        from archviz.facts.summary import facts as facts_of
        from archviz.products.models import resolve

        specs = catalog.load_all() if all_ else [resolve(model or "", catalog)]
        rows = [facts_of(s, dtype, context) for s in specs]
    except ValueError as exc:
        raise ArchvizError(str(exc)) from None
    key = {
        "id": lambda f: f.id,
        "date": lambda f: f.release_date,
        "total": lambda f: -f.params_total,
        "active": lambda f: -f.params_active,
        "kv": lambda f: -f.kv_cache_bytes_per_token,
    }[sort]
    rows.sort(key=key)
    if form == "json":
        data = [_facts_json(f) for f in rows]
        click.echo(json.dumps(data if all_ else data[0], indent=2))
    elif form == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([c for c, _ in COLUMNS])
        for f in rows:
            w.writerow([get(f) for _, get in COLUMNS])
        click.echo(buf.getvalue(), nl=False)
    elif form == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(*(c for c, _ in COLUMNS), box=None)
        for f in rows:
            table.add_row(*(get(f) for _, get in COLUMNS))
        Console(highlight=False, width=max(200, Console().width)).print(table)
    else:
        for f in rows:
            _print_sheet(f)


def _print_sheet(f: Facts) -> None:
    from archviz.facts.summary import fact_sheet

    click.echo(f"{f.name}  ({f.organization})")
    for label, value in fact_sheet(f):
        click.echo(f"{label:>26}  {value}")
    click.echo()


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (unused parts, totals far from published) as errors.")
@catalog_options
@clean_errors
def validate_cmd(paths: tuple[Path, ...], strict: bool, catalog: Catalog) -> None:
    """Validate spec files (default: the whole catalog); exit 2 if any is invalid. Also warns about
    mixers or FFNs that no layer uses and totals outside the tolerance of the published ones."""
    from archviz.facts.checks import warnings
    from archviz.products.models import is_hf_config, resolve
    from archviz.spec import load_file

    problems: list[ArchvizError] = []
    targets = list(paths) if paths else list(catalog.files().values())
    checked, warned = 0, 0
    for p in targets:
        try:
            spec = resolve(p) if is_hf_config(p) else load_file(p)
            checked += 1
        except ArchvizError as exc:
            problems.append(exc)
            continue
        for w in warnings(spec):
            warned += 1
            err_console().print(f"[bold yellow]warning:[/] {escape(printable(str(w)))}", soft_wrap=True)
    if problems:
        raise ArchvizError([pr for exc in problems for pr in exc.problems])
    if strict and warned:
        raise ArchvizError(f"{warned} warning(s), and --strict makes them errors")
    click.echo(f"{checked} spec(s) valid" + (f", {warned} warning(s)" if warned else ""))


@main.command("render")
@click.argument("model", required=False)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file (.svg, .png or .pdf), '-' for standard output, or a directory with --all.",
)
@click.option("--all", "all_", is_flag=True, help="Every catalog model, into the directory given by -o.")
@click.option(
    "--format",
    "form",
    type=click.Choice(["svg", "png", "pdf"]),
    default="svg",
    show_default=True,
    help="File type with --all or -o -.",
)
@FIGURE_THEME
@dpi_option()
@click.option("--text-as-paths", is_flag=True, help="Draw text as glyph outlines (identical everywhere).")
@click.option(
    "--highlight",
    "highlight",
    multiple=True,
    help="Outline this part and fade the rest: a spec path (mixers.attn) or a tag (moe, norm); repeatable.",
)
@click.option(
    "--panels",
    default=None,
    help="Only these zoom panels, by spec path, comma-separated (ffns.moe,mixers); 'none' for none.",
)
@CAPTION
@click.option("--accent", default=None, help="The model's colour, #rrggbb.")
@click.option(
    "--compact/--no-compact", default=None, help="The stack alone, as on the poster (or not, whatever a style says)."
)
@SIZE
@FONT
@click.option("--no-cache", is_flag=True, help="Draw anew (default: reuse the output of an identical earlier render).")
@catalog_options
@clean_errors
def render_cmd(
    model: str | None,
    out: Path,
    all_: bool,
    form: str,
    theme: str | None,
    dpi: float,
    text_as_paths: bool,
    highlight: tuple[str, ...],
    caption: str | None,
    panels: str | None,
    accent: str | None,
    compact: bool | None,
    medium: str | None,
    font: str | None,
    no_cache: bool,
    catalog: Catalog,
) -> None:
    """Draw MODEL to an SVG, PNG or PDF file (or to standard output with -o -), or --all models.

    MODEL is a catalog id (archviz list), a spec file (.yaml), a Hugging Face config.json, a
    folder holding one, or a Hugging Face Hub id (org/name: only its config.json is fetched).
    """
    if bool(model) == all_:
        raise ArchvizError("give one MODEL or --all")
    chosen = None if panels is None else [] if panels.strip() == "none" else [p.strip() for p in panels.split(",")]
    figure: dict[str, Any] = {
        "highlight": list(highlight) or None,
        "caption": caption,
        "panels": chosen,
        "accent": accent,
        "compact": compact,
        "size": medium,
    }
    resolution = png_dpi(dpi, medium)
    if font is not None:  # not part of a cache key: a family name may resolve to other files later
        figure["font"], no_cache = font, True
    if model and str(out) == "-":
        from archviz.products import draw
        from archviz.products.models import resolve

        fig = draw(resolve(model, catalog), theme=theme, text_as_paths=text_as_paths, **figure)
        data = fig.svg().encode() if form == "svg" else fig.png(dpi=resolution) if form == "png" else fig.pdf()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    if model:
        options = (theme or "", "preset" if resolution is None else f"{dpi!r}", "paths" if text_as_paths else "text")
        click.echo(f"wrote {_render_one(model, out, options, figure, catalog, cache=not no_cache)}")
        return
    from archviz.products import draw

    specs = catalog.load_all()
    with progress_bar(True) as bar:
        task = bar.add_task("rendering", total=len(specs))
        for s in specs:
            draw(s, theme=theme, text_as_paths=text_as_paths, **figure).save(out / f"{s.id}.{form}", dpi=resolution)
            bar.advance(task)
    click.echo(f"wrote {len(specs)} {form.upper()} files to {out}")


def _render_one(
    model: str, out: Path, options: tuple[str, str, str], figure: dict[str, Any], catalog: Catalog, cache: bool
) -> Path:
    """Render one model to `out`. A spec file's render is cached (content-addressed: the spec's
    bytes and id, the output type, the options, SOURCE_DATE_EPOCH and this install), so rendering
    an unchanged spec again, as Makefiles and hooks do, copies the result without loading
    pydantic, the layout engines or cairo."""
    from archviz.render.cache import Cache, default_root, render_key
    from archviz.render.files import write_atomic

    theme, dpi, text = options
    spec_file = catalog.file_of(model) if cache else None
    store, k = Cache(default_root() if spec_file else None), ""
    if spec_file is not None:
        k = render_key(spec_file, out, theme, dpi, text, figure)
        hit = store.get(k, ("output",))
        if hit is not None:
            return write_atomic(out, hit["output"])
    from archviz.products import draw
    from archviz.products.models import resolve

    fig = draw(resolve(model, catalog), theme=theme or None, text_as_paths=text == "paths", **figure)
    path = fig.save(out, dpi=None if dpi == "preset" else float(dpi))
    if k:
        store.put(k, {"output": path.read_bytes()})
    return path


@main.command("poster")
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file: .pdf (vector), .png or .svg.",
)
@click.option(
    "--size",
    default="auto",
    show_default=True,
    help="A4-A0, 2A0, 4A0, 24x36in, 36x48in, WxHmm / WxHin, or auto: the smallest standard size that "
    "holds the models at 6 pt (with --sheets: A0 sheets).",
)
@click.option("--landscape", is_flag=True, help="Turn the page sideways.")
@dpi_option(300.0)
@click.option("--models", default=None, help="Comma-separated ids (default: the whole catalog).")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    help="e.g. type=moe, org=meta, year>=2025, id=qwen3* (repeatable; all must match).",
)
@click.option("--sort", type=click.Choice(["date", "family", "size", "id"]), default="date", show_default=True)
@THEME
@click.option("--title", default=None, help="Poster title.")
@click.option("--bleed", default=0.0, show_default=True, type=FiniteFloat(min=0, max=20), help="Bleed in mm.")
@click.option("--crop-marks", is_flag=True, help="Draw crop marks in the bleed (needs --bleed 3 or more).")
@click.option(
    "--sheets",
    default=None,
    help="Spread the models over N sheets of --size (or 'auto': the fewest that hold them), "
    "written as OUTPUT-1, OUTPUT-2, ...",
)
@catalog_options
@clean_errors
def poster_cmd(
    out: Path,
    size: str,
    landscape: bool,
    dpi: float,
    models: str | None,
    filters: tuple[str, ...],
    sort: str,
    theme: str,
    title: str | None,
    bleed: float,
    crop_marks: bool,
    sheets: str | None,
    catalog: Catalog,
) -> None:
    """Render a poster of the catalog (or of --models) to PDF, PNG or SVG."""
    from archviz.products import poster
    from archviz.products.poster import poster_sheets

    ids = [m.strip() for m in models.split(",") if m.strip()] if models else None
    count = _sheet_count(sheets)
    n = len(ids) if ids else len(catalog.ids())
    options: dict[str, Any] = dict(
        size=size,
        landscape=landscape,
        sort=sort,
        filters=filters,
        theme=theme,
        title=title,
        bleed_mm=bleed,
        crop_marks=crop_marks,
        catalog=catalog,
    )
    with progress_bar(True) as bar:
        task = bar.add_task("laying out panels", total=n)
        advance = lambda: bar.advance(task)  # noqa: E731
        if sheets is None:
            figs, paths = [poster(ids, progress=advance, **options)], [out]
        else:
            if size.strip().lower() == "auto":
                options["size"] = "A0"
            figs = poster_sheets(ids, sheets=count, progress=advance, **options)
            paths = [out.with_name(f"{out.stem}-{k}{out.suffix}") for k in range(1, len(figs) + 1)]
        bar.update(task, completed=n)
        strips = bar.add_task("rendering", total=None)
        for fig, target in zip(figs, paths, strict=True):
            path = fig.save(target, dpi=dpi, progress=lambda i, total: bar.update(strips, completed=i, total=total))
            meta = fig.layout.meta
            click.echo(
                f"wrote {path} ({len(meta['models'])} models, {meta['size']}{' landscape' if landscape else ''}, "
                f"smallest text {meta['smallest_text_pt']} pt)"
            )


def _sheet_count(sheets: str | None) -> int | None:
    """--sheets: a number of sheets, or None for 'auto' (and when not given)."""
    if sheets is None or sheets.strip().lower() == "auto":
        return None
    if not sheets.strip().isdigit() or int(sheets) < 1:
        raise ArchvizError(f"--sheets takes a whole number of sheets or 'auto', got {sheets!r}")
    return int(sheets)


@main.command("diff")
@click.argument("a")
@click.argument("b")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write a figure (.svg, .png, .pdf) or a table (.md, .json, .txt).",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
    help="Text printed when no -o is given.",
)
@FIGURE_THEME
@dpi_option()
@click.option("--highlight", multiple=True, help="Outline this part in both figures and fade the rest; repeatable.")
@CAPTION
@SIZE
@FONT
@catalog_options
@clean_errors
def diff_cmd(
    a: str,
    b: str,
    out: Path | None,
    form: str,
    theme: str | None,
    dpi: float,
    highlight: tuple[str, ...],
    caption: str | None,
    medium: str | None,
    font: str | None,
    catalog: Catalog,
) -> None:
    """What differs between models A and B (catalog ids, spec files, config.json files or Hub ids)."""
    from archviz.products import diff
    from archviz.products.models import resolve

    result = diff(resolve(a, catalog), resolve(b, catalog))
    if out is None:
        click.echo(result.text(form), nl=False)
        return
    written = result.save(
        out, theme=theme, dpi=png_dpi(dpi, medium), highlight=highlight or None, caption=caption, size=medium, font=font
    )
    click.echo(f"wrote {written}")


@main.command("import-hf")
@click.argument("config")
@click.option("--id", "model_id", default=None, help="Model id (default: from the file, folder or repository name).")
@click.option("--name", default=None, help="Display name (default: the repository's, else the id).")
@click.option("--org", default=None, help="Organization (default: the repository owner's name).")
@click.option("--date", "released", default=None, help="Release date, YYYY-MM-DD.")
@click.option("--license", "licence", default=None, help="Licence (default: the model card's, for a Hub id).")
@click.option(
    "--published",
    default=None,
    metavar="TOTAL[/ACTIVE]",
    help="The published parameter counts, e.g. 8B or 30.5B/3.3B (default: archviz's own count, marked computed).",
)
@click.option("--source", default=None, help="Where --published is stated (a URL).")
@click.option("--as", "as_family", default=None, help="Read an unknown model_type as this one (with a warning).")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the spec here (e.g. specs/ID.yaml); default: print it.",
)
@clean_errors
def import_hf_cmd(
    config: str,
    model_id: str | None,
    name: str | None,
    org: str | None,
    released: str | None,
    licence: str | None,
    published: str | None,
    source: str | None,
    as_family: str | None,
    out: Path | None,
) -> None:
    """Turn a Hugging Face config.json, a folder holding one, or a Hub id (org/name) into a spec.

    A Hub id fetches only config.json and the model card, through huggingface_hub: its cache,
    HF_HUB_OFFLINE=1 and HF_TOKEN work as for any Hugging Face tool. What a config cannot tell
    (date, licence, published counts) is marked as not stated unless given here."""
    import datetime as dt

    from archviz.products.models import import_hf, import_warnings
    from archviz.spec.hf import Metadata

    try:
        date = dt.date.fromisoformat(released) if released else None
    except ValueError:
        raise ArchvizError(f"--date {released!r}: give the release date as YYYY-MM-DD") from None
    counts = None
    if published:
        total, _, active = published.partition("/")
        counts = (total.strip(), active.strip() or None)
    meta = Metadata(name, org, date, licence, counts, source, as_family=as_family)
    spec, text = import_hf(config, model_id, meta)
    for warning in import_warnings(spec, as_family):
        click.echo(f"warning: {warning}", err=True)
    if out is None:
        click.echo(text, nl=False)
        return
    from archviz.render import write_atomic

    click.echo(f"wrote {write_atomic(out, text)} ({spec.model.name}, {spec.model.num_layers} layers)")


@main.command("lineage")
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Output file: .svg, .png or .pdf."
)
@click.option("--models", default=None, help="Comma-separated ids (default: the whole catalog).")
@THEME
@dpi_option()
@catalog_options
@clean_errors
def lineage_cmd(out: Path, models: str | None, theme: str, dpi: float, catalog: Catalog) -> None:
    """Draw the family tree of the catalog (from each spec's based_on), laid out with Graphviz."""
    from archviz.products.lineage import lineage

    ids = [m.strip() for m in models.split(",") if m.strip()] if models else None
    click.echo(f"wrote {lineage(ids, theme=theme, catalog=catalog).save(out, dpi=dpi)}")


@main.command("gallery")
@click.option(
    "-o",
    "--output",
    "out",
    default="output/site",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder to write the site into (replaced once the build succeeds).",
)
@click.option("--base-url", default="", help="Absolute URL the site will live at (for the Atom feed).")
@click.option("--poster-dpi", default=150.0, show_default=True, type=FiniteFloat(min=20, max=600))
@click.option(
    "--poster-size",
    default="auto",
    show_default=True,
    help="The poster's page: auto (the smallest standard size that holds the catalog at 6 pt), or as poster --size.",
)
@click.option("--force", is_flag=True, help="Replace the output folder even if archviz did not write it.")
@click.option("--no-cache", is_flag=True, help="Redraw every model (default: reuse figures whose spec is unchanged).")
@catalog_options
@clean_errors
def gallery_cmd(
    out: Path, base_url: str, poster_dpi: float, poster_size: str, force: bool, no_cache: bool, catalog: Catalog
) -> None:
    """Build the static gallery site (works from file:// and any static host)."""
    from archviz.products.gallery import build_site

    with progress_bar() as bar:
        task = bar.add_task("building", total=None)
        path = build_site(
            out,
            base_url,
            lambda what: bar.update(task, description=f"building {what}"),
            poster_dpi,
            catalog,
            poster_size,
            force,
            not no_cache,
        )
    click.echo(f"wrote the gallery to {path} (open {path / 'index.html'})")


@main.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the spec format (for editors and CI)."""
    from archviz.spec.models import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
