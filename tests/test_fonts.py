"""Font set-up that no other install can disturb, and PDFs whose embedded fonts stay bounded."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archviz.render import cache, fonts

ROOT = Path(__file__).resolve().parent.parent
# Three bundled faces; cairo may split one face into two subsets (e.g. bold at two weights of use).
MAX_FONT_PROGRAMS = 6

# One process of one install: renders the same figure several times and reports what it used.
WORKER = """
import hashlib, json, os, re, sys, time
import archviz
from archviz.render import raster
from archviz.style import FONT_DIR
conf = os.environ["FONTCONFIG_FILE"]
first = os.stat(conf)
text = open(conf).read()
fig = archviz.draw(archviz.load(sys.argv[1]))
pngs, fonts = set(), set()
for _ in range(int(sys.argv[2])):
    pngs.add(hashlib.sha256(fig.png()).hexdigest())
    fonts.add(len(re.findall(rb"/FontFile[23]?\\b", fig.pdf())))
    time.sleep(0.01)
last = os.stat(conf)
print(json.dumps({
    "package": archviz.__file__, "font_dir": str(FONT_DIR), "conf": conf, "text": text,
    "unchanged": (first.st_ino, first.st_mtime_ns) == (last.st_ino, last.st_mtime_ns),
    "pngs": sorted(pngs), "fonts": sorted(fonts),
}))
"""


def font_programs(pdf: bytes) -> int:
    """Embedded font programs (TrueType, CFF or Type 1 streams) in a PDF."""
    return len(re.findall(rb"/FontFile[23]?\b", pdf))


def test_config_is_keyed_by_version_and_font_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    a = fonts.config_dir(Path("/x/fonts"), "1.0")
    assert a is not None and a.parent == tmp_path / "archviz"
    assert a == fonts.config_dir(Path("/x/fonts"), "1.0")
    assert a != fonts.config_dir(Path("/y/fonts"), "1.0")
    assert a != fonts.config_dir(Path("/x/fonts"), "1.1")
    assert oct(a.stat().st_mode & 0o777) == oct(0o700)


def test_config_is_written_once_and_never_rewritten(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    fonts.ensure_fontconfig()
    conf = Path(os.environ["FONTCONFIG_FILE"])
    assert str(fonts.FONT_DIR) in conf.read_text() and conf.parent.name.startswith(fonts.OURS)
    before = conf.stat()
    fonts.ensure_fontconfig()
    after = conf.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert [p.name for p in conf.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_users_fontconfig_is_respected_but_another_installs_is_not(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("FONTCONFIG_FILE", "/home/me/my-fonts.conf")
    fonts.ensure_fontconfig()
    assert os.environ["FONTCONFIG_FILE"] == "/home/me/my-fonts.conf"
    inherited = tmp_path / "archviz" / f"{fonts.OURS}0.0.1-0123456789abcdef" / "fonts.conf"
    monkeypatch.setenv("FONTCONFIG_FILE", str(inherited))
    fonts.ensure_fontconfig()
    assert os.environ["FONTCONFIG_FILE"] != str(inherited)
    assert str(fonts.FONT_DIR) in Path(os.environ["FONTCONFIG_FILE"]).read_text()


def test_an_unwritable_cache_falls_back_to_a_private_temp_folder(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(cache.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    here = fonts.config_dir(Path("/x/fonts"), "1.0")
    assert here is not None and here.parent.parent == tmp_path / "tmp"


def test_two_installs_render_at_the_same_time_without_disturbing_each_other(tmp_path):
    """A second copy of the package (its own font directory) renders next to this one."""
    other = tmp_path / "other-install"
    shutil.copytree(ROOT / "src" / "archviz", other / "archviz", ignore=shutil.ignore_patterns("__pycache__"))
    spec = str(ROOT / "specs" / "gemma-3-27b.yaml")
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # one shared per-user cache, as on a real machine
    for _ in ("a fresh cache", "the same cache again"):
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, spec, "6"],
                env={**env, "PYTHONPATH": path} if path else env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for path in ("", str(other))
        ]
        results = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            results.append(json.loads(out))
        mine, theirs = results
        assert Path(theirs["package"]).is_relative_to(other) and not Path(mine["package"]).is_relative_to(other)
        assert mine["conf"] != theirs["conf"]
        for r in results:
            assert r["font_dir"] in r["text"] and r["unchanged"]
            assert len(r["pngs"]) == 1 and len(r["fonts"]) == 1 and 1 <= r["fonts"][0] <= MAX_FONT_PROGRAMS
        assert mine["pngs"] == theirs["pngs"]  # same fonts, same picture


@pytest.mark.slow
def test_the_full_catalog_poster_pdf_embeds_a_few_font_programs():
    import archviz

    pdf = archviz.poster(size="2A0").pdf()
    assert 1 <= font_programs(pdf) <= MAX_FONT_PROGRAMS, "a subset or two per face, not one per text run"
    assert len(pdf) < 1_000_000
