"""Benchmarks with the targets the issues name; `--readme` writes the table into README.md.

Targets: layout + SVG of deepseek-v3 under 50 ms (median); the whole catalog from YAML to SVG
under 2 s on one core; the A0 catalog poster as PDF end to end in at most 3 s; as a 300-DPI PNG
end to end in at most twice the time Pillow needs only to encode that frame, with peak memory
at most 1 GiB (each poster run in a fresh process, so time and memory include everything).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
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
fig = archviz.poster(size="A0")
fig.save(sys.argv[1], dpi=300)
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
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


def site_run(path: str) -> float:
    out = subprocess.run([sys.executable, "-c", SITE_RUN, path], check=True, capture_output=True, text=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


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
        site_seconds = site_run(f"{d}/site")
    rows = [
        ("deepseek-v3: load + layout + SVG (median)", f"{1000 * statistics.median(one):.1f} ms", "< 50 ms"),
        (f"whole catalog ({n} models): load + layout + SVG (median)", f"{statistics.median(cat):.2f} s", "< 2 s"),
        ("A0 poster PDF, end to end (best of 3)", f"{pdf['seconds']:.2f} s", "≤ 3 s"),
        (
            "A0 poster PNG at 300 DPI (9933 × 14043), end to end (best of 2)",
            f"{png['seconds']:.2f} s = {png['seconds'] / encode:.2f} × Pillow's encode alone ({encode:.2f} s)",
            "≤ 2 ×",
        ),
        ("A0 poster PNG at 300 DPI, peak memory", f"{png['peak_mb']:.0f} MiB", "≤ 1024 MiB"),
        (
            f"gallery site ({n} model pages, {n * (n - 1)} compare pairs, poster), end to end",
            f"{site_seconds:.1f} s",
            "reported",
        ),
    ]
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores; the first two rows pinned to one core"
    )
    table = "| benchmark | measured | target |\n|---|---|---|\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    table += f"\n\n({machine}; `make bench`.)"
    print(table)
    if args.readme:
        text = README.read_text()
        block = f"<!-- bench:start -->\n{table}\n<!-- bench:end -->"
        text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text, flags=re.S)
        README.write_text(text)


if __name__ == "__main__":
    main()
