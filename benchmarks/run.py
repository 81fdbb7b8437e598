"""Benchmarks with the targets the issues name; `--readme` writes the table into README.md.

Targets: layout + SVG of deepseek-v3 under 50 ms (median); the whole catalog from YAML to SVG
under 2 s on one core.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--readme", action="store_true", help="write the results into README.md")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the targets say
    one = timed(diagram_once, args.repeat)
    cat = timed(catalog_once, max(3, args.repeat // 10))
    n = len(catalog_ids())
    rows = [
        ("deepseek-v3: load + layout + SVG (median)", f"{1000 * statistics.median(one):.1f} ms", "< 50 ms"),
        (f"whole catalog ({n} models): load + layout + SVG (median)", f"{statistics.median(cat):.2f} s", "< 2 s"),
    ]
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, 1 core pinned"
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
