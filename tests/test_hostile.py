"""Hostile and careless input: each case ends in a clean error (exit 2, file, line, field), quickly,
with nothing foreign deleted, no leftovers, quiet pipes and reproducible PDFs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import archviz
from archviz.errors import ArchvizError, SpecError
from archviz.facts.checks import warnings
from archviz.render import files
from archviz.spec import parse
from archviz.spec.limits import LIMITS

ROOT = Path(__file__).resolve().parent.parent
LLAMA = (ROOT / "specs" / "llama-3-8b.yaml").read_text()


def run(*args: str, timeout: float = 60, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archviz.cli", *args], capture_output=True, text=True, timeout=timeout, **kw
    )


def edit(old: str, new: str) -> str:
    assert old in LLAMA
    return LLAMA.replace(old, new, 1)


def bomb(levels: int = 9) -> str:
    """A billion laughs: each anchor repeats the previous one ten times (10^levels values)."""
    text = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n"
    return text


SMALL_ATTENTION = "kind: attention, heads: 4, kv_heads: 4, head_dim: 8"

SPEC_CASES = {
    "invalid date": (edit("release_date: 2024-04-18", "release_date: 2024-02-30"), 4, "day is out of range"),
    "month 13": (edit("release_date: 2024-04-18", "release_date: 2024-13-01"), 4, "month must be in 1..12"),
    "integer over 309 digits": (edit("hidden_size: 4096", "hidden_size: " + "9" * 400), 33, "digits"),
    "integer over 4,300 digits": (edit("hidden_size: 4096", "hidden_size: " + "9" * 5000), 33, "5,000 digits"),
    "a boolean size": (edit("hidden_size: 4096", "hidden_size: yes"), 33, "not a boolean"),
    "infinite theta": (edit("theta: 500000", "theta: .inf"), 37, "finite"),
    "nan theta": (edit("theta: 500000", "theta: .nan"), 37, "finite"),
    "10^30 heads": (edit("heads: 32", "heads: 1" + "0" * 30), 45, "digits"),
    "10^12 experts-size width": (edit("hidden_size: 4096", "hidden_size: 1000000000000"), 33, "less than or equal"),
    "a control character": (edit("name: Llama 3 8B", 'name: "Llama\\x01"'), 2, "control character (U+0001)"),
    "a bidi override": (edit("name: Llama 3 8B", 'name: "Llama \\u202Eevil"'), 2, "bidi control character"),
    "a newline in a name": (edit("name: Llama 3 8B", 'name: "Llama\\n3"'), 2, "control character (U+000A)"),
    "a 100 kB name": (edit("name: Llama 3 8B", "name: " + "A" * 100_000), 2, "100,000 characters"),
    "a 300-character name": (edit("name: Llama 3 8B", "name: " + "A" * 300), 2, "at most 200"),
    "17 notes": (LLAMA + "notes: [" + ", ".join(["a note"] * 17) + "]\n", None, "at most 16 items"),
    "a 601-character key detail": (
        edit("key_detail: A Llama", "key_detail: " + "k" * 600 + " A Llama"),
        7,
        "at most 600 characters",
    ),
    "65 mixers": (
        edit("mixers:\n", "mixers:\n" + "".join(f"  m{i}: {{{SMALL_ATTENTION}}}\n" for i in range(64))),
        None,
        "at most 64 items",
    ),
    "a mixer name that is not an identifier": (edit("  attn:\n", '  "at tn":\n'), None, "is an identifier"),
    "deep nesting": (LLAMA + "notes: " + "[" * 5000 + "]" * 5000 + "\n", None, "nest"),
    "deep block nesting": (LLAMA + "".join(f"{' ' * i}k{i}:\n" for i in range(60)) + " " * 60 + "v: 1\n", None, "24"),
    "an alias bomb": (bomb(), 5, "expands to more than"),
    "a recursive alias": (LLAMA + "notes: &n [*n]\n", None, "contains it"),
}


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_hostile_specs_are_refused_quickly_with_file_line_and_field(case: str) -> None:
    text, line, message = SPEC_CASES[case]
    start = time.perf_counter()
    with pytest.raises(SpecError) as err:
        parse(text, file="hostile.yaml")
    assert time.perf_counter() - start < 5, "refused before any expensive work (it takes milliseconds)"
    problem = err.value.problems[0]
    assert problem.file == "hostile.yaml" and message in problem.message, str(problem)
    if line is not None:
        assert problem.line == line, str(problem)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(LLAMA + "# " + "x" * (LIMITS.file_bytes + 10) + "\n")
    r = run("validate", str(big))
    assert r.returncode == 2 and "a spec is at most 1,000,000 bytes" in r.stderr


def test_the_cli_exits_2_for_hostile_specs_and_never_prints_raw_control_characters(tmp_path: Path) -> None:
    for name, (text, _, _) in SPEC_CASES.items():
        f = tmp_path / f"{name.replace(' ', '-').replace('^', '')}.yaml"
        f.write_text(text)
        r = run("render", str(f), "-o", str(tmp_path / "x.svg"), timeout=10)
        assert r.returncode == 2, (name, r.stderr)
        assert "Traceback" not in r.stderr and "\x01" not in r.stderr and "\u202e" not in r.stderr, name
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize(
    "config, message",
    [
        ('"rope_theta": 1e400', "finite"),
        ('"rope_theta": [500000]', "rope_theta"),
        ('"model_type": ["llama"]', "model_type"),
        ('"hidden_act": {"a": 1}', "hidden_act"),
        ('"num_attention_heads": true', "num_attention_heads"),
    ],
)
def test_hostile_configs_are_clean_errors(tmp_path: Path, config: str, message: str) -> None:
    text = (ROOT / "tests" / "data" / "hf" / "llama-3-8b.json").read_text()
    key = config.split(":")[0]
    lines = [config + "," if line.strip().startswith(key) else line for line in text.splitlines()]
    f = tmp_path / "config.json"
    f.write_text("\n".join(lines))
    r = run("render", str(f), "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_deep_and_huge_json_is_a_clean_error(tmp_path: Path) -> None:
    for body in ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"a": ' + "9" * 5000 + "}"):
        f = tmp_path / "config.json"
        f.write_text(body)
        r = run("render", str(f), "-o", str(tmp_path / "x.svg"))
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr


# --- output paths, pipes and signals ---------------------------------------------------------


@pytest.mark.parametrize(
    "target, message",
    [
        ("/proc/archviz-test.svg", "cannot write /proc/archviz-test.svg"),
        ("{tmp}/a-directory.svg", "it is a directory"),
        ("/dev/full/x.svg", "cannot write /dev/full/x.svg"),
    ],
)
def test_bad_output_paths_exit_2_naming_the_target(tmp_path: Path, target: str, message: str) -> None:
    (tmp_path / "a-directory.svg").mkdir()
    r = run("render", "llama-3-8b", "-o", target.format(tmp=tmp_path))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["a-directory.svg"]


def test_a_read_only_folder_or_a_full_disk_is_a_clean_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(ArchvizError, match=r"cannot write .*x\.svg: No space left on device"):
        archviz.draw("llama-3-8b").save(tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == [], "the temporary file is removed"


def test_a_closed_pipe_is_quiet() -> None:
    cmd = f"{sys.executable} -m archviz.cli facts --all --format csv | head -1"
    r = subprocess.run(["bash", "-c", f"set -o pipefail; {cmd}"], capture_output=True, text=True, timeout=60)
    assert r.stdout.startswith("id,name") and r.stderr == "" and r.returncode in (0, 141), r.stderr


@pytest.mark.parametrize("dpi", ["nan", "inf", "-inf"])
def test_a_non_finite_dpi_is_refused(dpi: str, tmp_path: Path) -> None:
    r = run("render", "llama-3-8b", "-o", str(tmp_path / "x.png"), "--dpi", dpi)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_png_larger_than_cairo_can_draw_names_the_dpi_that_fits(tmp_path: Path) -> None:
    r = run("poster", "-o", str(tmp_path / "p.png"), "--size", "2A0", "--dpi", "1200", timeout=10)
    assert r.returncode == 2 and "use --dpi 699 or less" in r.stderr, r.stderr
    r = run("render", "llama-3-8b", "-o", str(tmp_path / "x.png"), "--dpi", "2400", timeout=10)
    assert r.returncode == 2 and "or less" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_sigterm_mid_poster_leaves_no_temporary_file(tmp_path: Path) -> None:
    # 2A0 at 300 DPI: several seconds of drawing on the strip workers, so the signal lands mid-way.
    p = subprocess.Popen(
        [sys.executable, "-m", "archviz.cli", "poster", "-o", str(tmp_path / "p.png"), "--size", "2A0", "--dpi", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(tmp_path.iterdir()) and time.monotonic() < deadline:  # wait until it writes
        time.sleep(0.02)
    assert [f.suffix for f in tmp_path.iterdir()] == [".tmp"], "the poster was done before it could be stopped"
    assert p.poll() is None, "the poster was done before it could be stopped"
    time.sleep(0.3)  # the strip workers have started
    workers = _children(p.pid)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    assert p.returncode != 0 and list(tmp_path.iterdir()) == []
    assert not [w for w in workers if _alive(w)], "no strip worker outlives a stopped poster"


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc; empty elsewhere)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_leftovers_of_a_killed_run_are_cleaned_on_the_next_run(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = tmp_path / f".x.svg.{pid}-abc123.tmp"
    stale.write_text("half a file")
    mine = tmp_path / f".x.svg.{os.getpid()}-def456.tmp"  # a live process's file stays
    mine.write_text("in progress")
    foreign = tmp_path / ".x.svg.keep.tmp"  # not ours: never touched
    foreign.write_text("someone else's")
    archviz.draw("llama-3-8b").save(tmp_path / "x.svg")
    assert not stale.exists() and mine.exists() and foreign.exists()


def test_pdfs_are_reproducible_and_honour_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    fig = archviz.draw("llama-3-8b")
    first = fig.pdf()
    assert b"(20000101000000Z)" in first
    assert archviz.draw("llama-3-8b").pdf() == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert b"(20231114221320Z)" in archviz.draw("llama-3-8b").pdf()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ArchvizError, match="SOURCE_DATE_EPOCH"):
        archviz.draw("llama-3-8b").pdf()


# --- the gallery's output folder --------------------------------------------------------------


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four models: a site that builds in a few seconds, long enough to be interrupted."""
    folder = tmp_path_factory.mktemp("zoo")
    for name in ("llama-3-8b", "gemma-3-27b", "deepseek-v3", "qwen3-next-80b-a3b"):
        (folder / f"{name}.yaml").write_text((ROOT / "specs" / f"{name}.yaml").read_text())
    return folder


def gallery(zoo: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("gallery", "--specs", str(zoo), "--no-builtin", "-o", str(out), *extra, timeout=120)


def test_gallery_never_replaces_a_folder_it_did_not_write(zoo: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("mine")
    r = gallery(zoo, docs)
    assert r.returncode == 2 and "archviz did not write" in r.stderr and "--force" in r.stderr
    assert (docs / "notes.txt").read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["docs"]
    (tmp_path / "file").write_text("x")
    assert gallery(zoo, tmp_path / "file").returncode == 2 and (tmp_path / "file").read_text() == "x"
    r = gallery(zoo, docs, "--force")
    assert r.returncode == 0 and not (docs / "notes.txt").exists() and (docs / "index.html").is_file()


def test_gallery_replaces_its_own_site_and_an_empty_folder(zoo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert gallery(zoo, site).returncode == 0 and (site / files.SITE_MARKER).is_file()
    (site / "stale-page.html").write_text("old")
    assert gallery(zoo, site).returncode == 0 and not (site / "stale-page.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no temporary folder left beside it"


def test_a_gallery_killed_mid_build_leaves_its_site_and_the_next_run_cleans_up(zoo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert gallery(zoo, site).returncode == 0
    p = subprocess.Popen(
        [sys.executable, "-m", "archviz.cli", "gallery", "--specs", str(zoo), "--no-builtin", "-o", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:  # its build folder appears
        time.sleep(0.02)
    assert p.poll() is None, "the build ended before it could be killed"
    p.kill()  # kill -9: no cleanup at all
    p.wait(timeout=30)
    assert (site / "index.html").is_file(), "the old site is whole"
    assert gallery(zoo, site).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "the dead run's folder is gone"


def test_a_run_killed_between_the_two_renames_gets_its_site_back(tmp_path: Path) -> None:
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout)
    aside = tmp_path / f".site.{dead}-abc.build.old"
    aside.mkdir()
    (aside / files.SITE_MARKER).write_text("")
    (aside / "index.html").write_text("old site")
    files.temp_dir(tmp_path / "site").rmdir()
    assert (tmp_path / "site" / "index.html").read_text() == "old site"


def test_sigterm_mid_gallery_removes_its_build_folder(zoo: Path, tmp_path: Path) -> None:
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archviz.cli",
            "gallery",
            "--specs",
            str(zoo),
            "--no-builtin",
            "-o",
            str(tmp_path / "site"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert p.poll() is None, "the build ended before it could be stopped"
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    assert p.returncode != 0 and list(tmp_path.iterdir()) == []


# --- validate ---------------------------------------------------------------------------------


def test_validate_warns_about_unused_parts_and_far_totals(tmp_path: Path) -> None:
    text = edit("layers:\n  - repeat: 32", "layers:\n  - repeat: 8")
    text = text.replace("ffns:\n", "ffns:\n  spare:\n    kind: mlp\n    hidden: 128\n", 1)
    f = tmp_path / "short.yaml"
    f.write_text(text)
    ws = [str(w) for w in warnings(archviz.spec.load_file(f))]
    assert any("no layer uses the FFN 'spare'" in w and "ffns.spare" in w for w in ws), ws
    assert any("params.total" in w and "from the published 8B" in w for w in ws), ws
    r = run("validate", str(f))
    assert r.returncode == 0 and r.stderr.count("warning:") == 2
    r = run("validate", "--strict", str(f))
    assert r.returncode == 2 and "--strict" in r.stderr


def test_a_broken_gallery_module_fails_the_build(zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No "Not built" page: an error in one of the gallery's own modules stops the build, and the
    old site (or nothing) stays."""
    from archviz.products import gallery as gallery_module

    def broken(*_: object, **__: object) -> None:
        raise ImportError("a module of archviz is broken")

    monkeypatch.setattr(gallery_module, "kv_chart", broken)
    with pytest.raises(ImportError):
        gallery_module.build_site(tmp_path / "site", catalog=archviz.Catalog([zoo], builtin=False))
    assert list(tmp_path.iterdir()) == []


def test_a_word_longer_than_the_line_is_broken_not_widened() -> None:
    """A 200-character name wraps inside the figure's width instead of stretching it."""
    from archviz.layout.text import text_width, wrap

    lines = wrap("W" * 200, 400, 20, "bold")
    assert len(lines) > 3 and "".join(lines) == "W" * 200
    assert all(text_width(line, 20, "bold") <= 400 for line in lines)
    spec = parse(
        edit("name: Llama 3 8B", "name: " + "W" * 200).replace("organization: Meta", "organization: " + "O" * 200)
    )
    assert archviz.draw(spec).layout.width <= 1100


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom", "fifo.yaml", "folder.yaml"])
def test_only_regular_files_are_read(path: str, tmp_path: Path) -> None:
    """A device, a FIFO or a folder named like a spec never hangs or fills memory."""
    if path == "fifo.yaml":
        os.mkfifo(tmp_path / path)
    if path == "folder.yaml":
        (tmp_path / path).mkdir()
    target = path if path.startswith("/") else str(tmp_path / path)
    r = run("validate", target, timeout=10)
    assert r.returncode == 2 and ("not a regular file" in r.stderr or "is a folder" in r.stderr), r.stderr


def test_text_from_options_is_checked_like_text_from_specs(zoo: Path, tmp_path: Path) -> None:
    r = run("poster", "-o", str(tmp_path / "p.svg"), "--models", "llama-3-8b", "--size", "A4", "--title", "bad\x01")
    assert r.returncode == 2 and "control character" in r.stderr
    for url in ("javascript:alert(1)", "https://x\x01/", 'https://x/"><script>'):
        r = gallery(zoo, tmp_path / "site", "--base-url", url)
        assert r.returncode == 2 and "--base-url must be an absolute http(s) URL" in r.stderr, url
    assert list(tmp_path.iterdir()) == []
