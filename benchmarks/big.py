"""The large-catalog benchmarks of issue 15; `--readme` writes their table into README.md.

A synthetic catalog of 1,000 models (the bundled specs, copied under new ids, beside the bundled
ones) is built into a gallery site cold (empty cache), warm (nothing changed), and after one spec
changed (its context length doubled); the site's size is measured on disk. Then the poster of
400 of those models, as PDF sheets of A0. Each run is a whole `archviz` process. Takes about five
minutes on two cores (`make bench-big`).

Targets: the site at 1,000 models in at most 5 minutes cold and at most 10 s after one spec
changed, at most 400 MB; the 400-model poster to PDF in at most 20 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import publish  # the benchmarks' shared table writer (this folder is on sys.path)

from archviz.spec import catalog_ids, spec_dir


def synthetic_catalog(folder: Path, models: int) -> list[Path]:
    """`models` specs in total with the bundled ones: copies of them named c1-<id>, c2-<id>, ..."""
    ids = catalog_ids()
    files = []
    for k in range(models - len(ids)):
        src = spec_dir() / f"{ids[k % len(ids)]}.yaml"
        dst = folder / f"c{k // len(ids) + 1}-{src.name}"
        shutil.copy(src, dst)
        files.append(dst)
    return files


def run(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env={**os.environ, **env})
    return time.perf_counter() - t0


def size_on_disk(folder: Path) -> tuple[float, float]:
    """(bytes of all files, bytes of the blocks they take), in MB."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6, sum(p.stat().st_blocks * 512 for p in files) / 1e6


def double_context(spec: Path) -> None:
    text = spec.read_text()
    n = int(re.search(r"^context_length: *(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
    spec.write_text(re.sub(r"^context_length: *\d+", f"context_length: {2 * n}", text, count=1, flags=re.M))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--readme", action="store_true", help="write the results into README.md")
    ap.add_argument("--models", type=int, default=1000)
    args = ap.parse_args()
    script = Path(sys.executable).with_name("archviz")
    archviz = [str(script)] if script.exists() else [sys.executable, "-m", "archviz.cli"]
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / "zoo").mkdir()
        copies = synthetic_catalog(root / "zoo", args.models)
        env = {"XDG_CACHE_HOME": str(root / "cache")}
        site = [*archviz, "gallery", "--specs", str(root / "zoo"), "-o", str(root / "site")]
        cold = run(site, env)
        warm = run(site, env)
        double_context(copies[len(copies) // 2])
        changed = run(site, env)
        apparent, blocks = size_on_disk(root / "site")
        sheets = len(list(root.joinpath("site").glob("poster-*.pdf"))) or 1
        (root / "zoo400").mkdir()
        for spec in copies[:400]:
            shutil.copy(spec, root / "zoo400")
        poster = [*archviz, "poster", "--specs", str(root / "zoo400"), "--no-builtin", "--size", "A0"]
        poster_s = run([*poster, "--sheets", "auto", "-o", str(root / "p.pdf")], env)
        poster_sheets = len(list(root.glob("p-*.pdf"))) or 1
    n = args.models
    rows = [
        (f"gallery site, {n:,} models, cold (empty cache)", f"{int(cold // 60)} min {cold % 60:.0f} s", "≤ 5 min"),
        (f"gallery site, {n:,} models, warm (nothing changed)", f"{warm:.1f} s", ""),
        (f"gallery site, {n:,} models, one spec changed", f"{changed:.1f} s", "≤ 10 s"),
        (
            f"gallery site, {n:,} models, size ({sheets} poster sheets)",
            f"{apparent:.0f} MB ({blocks:.0f} MB in disk blocks)",
            "≤ 400 MB",
        ),
        (f"poster of 400 models to PDF ({poster_sheets} A0 sheets), whole process", f"{poster_s:.1f} s", "≤ 20 s"),
    ]
    machine = f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
    publish(rows, f"{machine}; `make bench-big`.", "bench-big", args.readme)


if __name__ == "__main__":
    main()
