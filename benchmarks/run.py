"""Benchmarks with the targets the issues name; `--readme` writes the table into README.md.

Targets: layout + SVG of deepseek-v3 under 50 ms (median); the whole catalog from YAML to SVG
under 2 s on one core; the catalog poster (at the smallest size that holds it) as PDF end to end
in at most 3 s; as a 300-DPI PNG end to end in at most the time Pillow needs only to encode that
frame, with peak memory
at most 1 GiB (each poster run in a fresh process, so time and memory include everything); the
gallery site in at most 10 s cold and warm; `archviz --help` under 100 ms and `archviz render`
within 5 × Graphviz's `dot -Tsvg` on a graph of the same size, both as whole processes; packing
1,000 poster panels under 5 s; loading 100 specs in at most 100 ms.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from archviz.layout import model_layout
from archviz.render import to_svg
from archviz.spec import catalog_ids, load_file, spec_dir

README = Path(__file__).resolve().parent.parent / "README.md"


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm caches (fonts, imports)
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def diagram_once() -> None:
    spec = load_file(spec_dir() / "deepseek-v3.yaml")
    to_svg(model_layout(spec))


def catalog_once() -> None:
    for i in catalog_ids():
        to_svg(model_layout(load_file(spec_dir() / f"{i}.yaml")))


POSTER_RUN = """
import json, resource, sys, time
t0 = time.perf_counter()
import archviz
fig = archviz.poster(size="auto")
fig.save(sys.argv[1], dpi=300)
print(json.dumps({"seconds": time.perf_counter() - t0, "size": fig.layout.meta["size"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def poster_run(path: str) -> dict[str, float]:
    """One end-to-end poster run (imports, specs, layout, SVG, output) in a fresh process."""
    out = subprocess.run([sys.executable, "-c", POSTER_RUN, path], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


SITE_RUN = """
import json, sys, time
t0 = time.perf_counter()
from archviz.products.gallery import build_site
build_site(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


def site_run(path: str, cache_home: str) -> float:
    """One gallery build in a fresh process, with its per-user cache in `cache_home`."""
    env = {**os.environ, "XDG_CACHE_HOME": cache_home}
    out = subprocess.run([sys.executable, "-c", SITE_RUN, path], check=True, capture_output=True, text=True, env=env)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


def process_seconds(argv: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole process (after one warm-up run, which fills any cache)."""
    times = []
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])


def same_size_dot(path: str) -> str:
    """A DOT graph with as many boxes and edges as deepseek-v3's figure has shapes and connectors."""
    lay = model_layout(load_file(spec_dir() / "deepseek-v3.yaml"))
    n, m = len(lay.shapes), len(lay.connectors)
    lines = ["digraph G {", *(f'n{i} [shape=box, label="node {i}"];' for i in range(n))]
    lines += [f"n{i % n} -> n{(7 * i + 1) % n};" for i in range(m)] + ["}"]
    Path(path).write_text("\n".join(lines))
    return f"{n} boxes, {m} edges"


def packing_seconds(panels: int) -> float:
    """best_packing of `panels` compact catalog panels (the catalog's, repeated) on a fitting page."""
    from archviz.layout.poster import PX_PER_MM, best_packing
    from archviz.spec import load_all

    sizes = [(lay.width, lay.height) for lay in (model_layout(s, compact=True) for s in load_all())]
    sizes = [sizes[i % len(sizes)] for i in range(panels)]
    side = (panels / 49) ** 0.5  # A0 holds about 49 panels
    t0 = time.perf_counter()
    best_packing(sizes, 841 * PX_PER_MM * side, 1189 * PX_PER_MM * side, 20)
    return time.perf_counter() - t0


def load_seconds(models: int) -> float:
    """Loading `models` specs (the bundled ones copied under new ids) with an empty spec cache."""
    import shutil

    from archviz.spec import Catalog
    from archviz.spec.catalog import _load_cached

    with tempfile.TemporaryDirectory() as d:
        ids = catalog_ids()
        for k in range(models):
            shutil.copy(spec_dir() / f"{ids[k % len(ids)]}.yaml", Path(d) / f"copy{k}-{ids[k % len(ids)]}.yaml")
        catalog = Catalog([d], builtin=False)
        best = float("inf")
        for _ in range(3):
            _load_cached.cache_clear()
            t0 = time.perf_counter()
            catalog.load_all()
            best = min(best, time.perf_counter() - t0)
    return best


def pixels(png_path: str) -> str:
    """'9933 × 14043': the PNG's size, read from its header."""
    data = Path(png_path).read_bytes()[16:24]
    return f"{int.from_bytes(data[:4], 'big')} × {int.from_bytes(data[4:], 'big')}"


def pillow_encode_seconds(png_path: str) -> float:
    """How long Pillow takes only to encode the same frame as PNG (compress level 1)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    with Image.open(png_path) as im:
        frame = im.convert("RGB")
    t0 = time.perf_counter()
    frame.save(io.BytesIO(), "PNG", compress_level=1)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--readme", action="store_true", help="write the results into README.md")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    pinned = hasattr(os, "sched_setaffinity")
    if pinned:
        cores = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(cores)})  # one core, as the targets say
    one = timed(diagram_once, args.repeat)
    cat = timed(catalog_once, max(3, args.repeat // 10))
    n = len(catalog_ids())
    if pinned:
        os.sched_setaffinity(0, cores)  # the poster may use both cores
    with tempfile.TemporaryDirectory() as d:
        pdf = min((poster_run(f"{d}/p.pdf") for _ in range(3)), key=lambda r: r["seconds"])
        png = min((poster_run(f"{d}/p.png") for _ in range(2)), key=lambda r: r["seconds"])
        encode = pillow_encode_seconds(f"{d}/p.png")
        png_px = pixels(f"{d}/p.png")
        site_cold = site_run(f"{d}/site", f"{d}/cache")
        site_warm = site_run(f"{d}/site", f"{d}/cache")
        script = Path(sys.executable).with_name("archviz")  # the console script users run
        archviz = [str(script)] if script.exists() else [sys.executable, "-m", "archviz.cli"]
        help_s = process_seconds([*archviz, "--help"], 10)
        env_cache = {"XDG_CACHE_HOME": f"{d}/cache"}
        render_cold = process_seconds([*archviz, "render", "deepseek-v3", "-o", f"{d}/x.svg", "--no-cache"], 10)
        render_warm = process_seconds([*archviz, "render", "deepseek-v3", "-o", f"{d}/x.svg"], 10, env_cache)
        dot = shutil.which("dot")
        graph = same_size_dot(f"{d}/g.dot")
        dot_s = process_seconds([dot, "-Tsvg", f"{d}/g.dot", "-o", f"{d}/g.svg"], 10) if dot else None
    pack_s = packing_seconds(1000)
    load_s = load_seconds(100)
    rows = [
        ("deepseek-v3: load + layout + SVG (median)", f"{1000 * statistics.median(one):.1f} ms", "< 50 ms"),
        (f"whole catalog ({n} models): load + layout + SVG (median)", f"{statistics.median(cat):.2f} s", "< 2 s"),
        (f"{pdf['size']} catalog poster PDF, end to end (best of 3)", f"{pdf['seconds']:.2f} s", "≤ 3 s"),
        (
            f"{png['size']} catalog poster PNG at 300 DPI ({png_px}), end to end (best of 2)",
            f"{png['seconds']:.2f} s = {png['seconds'] / encode:.2f} × Pillow's encode alone ({encode:.2f} s)",
            "≤ 1.0 ×",
        ),
        (
            f"{png['size']} poster PNG at 300 DPI, peak memory (the process, and each strip worker at most)",
            f"{png['peak_mb']:.0f} MiB + {os.cpu_count()} × {png['worker_mb']:.0f} MiB",
            "≤ 1024 MiB",
        ),
        (f"gallery site ({n} models), cold (empty cache), end to end", f"{site_cold:.1f} s", "≤ 10 s"),
        ("gallery site, warm (nothing changed)", f"{site_warm:.1f} s", "≤ 10 s"),
        ("`archviz --help`, whole process (median)", f"{1000 * help_s:.0f} ms", "< 100 ms"),
        *(
            (
                f"`archviz render deepseek-v3 -o x.svg`{how}, whole process (median), vs `dot -Tsvg` ({graph})",
                f"{1000 * secs:.0f} ms"
                + (f" = {secs / dot_s:.1f} × dot ({1000 * dot_s:.0f} ms)" if dot_s else " (dot not installed)"),
                "≤ 5 ×",
            )
            for how, secs in ((" --no-cache", render_cold), (", spec unchanged (cached)", render_warm))
        ),
        ("poster packing, 1,000 panels", f"{pack_s:.2f} s", "< 5 s"),
        ("loading 100 specs", f"{1000 * load_s:.0f} ms", "≤ 100 ms"),
    ]
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores; the first two rows pinned to one core"
    )
    publish(rows, f"{machine}; `make bench`.", "bench", args.readme)


def publish(rows: list[tuple[str, str, str]], note: str, marker: str, readme: bool) -> None:
    """Print the results as a Markdown table, and with `readme` put it between the README's
    `<!-- MARKER:start -->` and `<!-- MARKER:end -->`."""
    table = "| benchmark | measured | target |\n|---|---|---|\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    table += f"\n\n({note})"
    print(table)
    if readme:
        block = f"<!-- {marker}:start -->\n{table}\n<!-- {marker}:end -->"
        pattern = rf"<!-- {marker}:start -->.*?<!-- {marker}:end -->"
        README.write_text(re.sub(pattern, lambda _: block, README.read_text(), flags=re.S))


if __name__ == "__main__":
    main()
