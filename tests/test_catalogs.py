"""Catalogs of the user's own specs (--specs, --no-builtin), and commands that fail before working."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import archviz
from archviz import Catalog
from archviz.errors import ArchvizError
from archviz.facts import kv_bytes_per_token
from archviz.products import gallery
from archviz.spec import catalog_ids, load

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archviz.cli", *args], capture_output=True, text=True, timeout=300)


def copies(folder: Path, n: int, prefix: str = "copy") -> Path:
    """`n` bundled specs copied under new ids (`prefix`-1-<id>, -2-, ... once the catalog runs out)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = catalog_ids()
    for k in range(n):
        source = ids[k % len(ids)]
        shutil.copy(SPECS / f"{source}.yaml", folder / f"{prefix}{k // len(ids) + 1}-{source}.yaml")
    return folder


ZOO = 110
"""Models in the zoo: three A0 sheets' worth, fewer than 2A0 holds (the catalog has 101)."""


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """With the bundled catalog: exactly ZOO models."""
    return copies(tmp_path_factory.mktemp("zoo") / "zoo", ZOO - len(catalog_ids()))


def test_a_folder_adds_to_the_bundled_catalog(zoo: Path) -> None:
    cat = Catalog([zoo])
    ids = cat.ids()
    assert len(ids) == ZOO and ids == sorted(ids)
    assert set(catalog_ids()) < set(ids)
    assert cat.load(ids[0]).id == ids[0]
    own = Catalog([zoo], builtin=False).ids()
    assert len(own) == ZOO - len(catalog_ids()) and all(i.startswith("copy") for i in own)


def test_a_folder_named_twice_counts_once(zoo: Path) -> None:
    assert len(Catalog([zoo, zoo.parent / "zoo" / ".", SPECS]).ids()) == ZOO


def test_ids_must_be_unique_across_folders(tmp_path: Path) -> None:
    shutil.copy(SPECS / "llama-3-8b.yaml", tmp_path / "llama-3-8b.yaml")
    with pytest.raises(ArchvizError, match=r"llama-3-8b\.yaml: the id 'llama-3-8b' is already taken by .*specs"):
        Catalog([tmp_path]).ids()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing", "no such folder of specs"),
        (lambda p: p, "holds no spec"),
    ],
)
def test_a_bad_folder_is_a_clear_error(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(ArchvizError, match=message):
        Catalog([make(tmp_path)]).ids()


def test_the_cli_reads_own_folders(zoo: Path, tmp_path: Path) -> None:
    r = run("list", "--specs", str(zoo), "--no-builtin", "--json")
    assert r.returncode == 0, r.stderr
    assert len(re.findall(r'"id":', r.stdout)) == ZOO - len(catalog_ids())
    first = catalog_ids()[0]
    kv = int(kv_bytes_per_token(load(first).model))
    r = run("facts", f"copy1-{first}", "--specs", str(zoo), "--json")
    assert r.returncode == 0 and f'"kv_cache_bytes_per_token": {kv}' in r.stdout, r.stderr
    r = run("diff", first, f"copy1-{first}", "--specs", str(zoo))
    assert r.returncode == 0, r.stderr
    small = copies(tmp_path / "small", 2, "mine")
    r = run("render", "--all", "--specs", str(small), "--no-builtin", "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"mine1-{i}.svg" for i in catalog_ids()[:2])
    r = run("validate", "--specs", str(small), "--no-builtin")
    assert r.returncode == 0 and "2 spec(s) valid" in r.stdout
    r = run("list", "--no-builtin")
    assert r.returncode == 2 and "the catalog is empty" in r.stderr and "Traceback" not in r.stderr
    r = run("list", "--specs", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "nowhere: no such folder of specs" in r.stderr


def test_poster_auto_size_holds_the_zoo(zoo: Path) -> None:
    """A0 holds about 50 models at 6 pt; 'auto' takes the next standard size, and its PDF stays small."""
    with pytest.raises(ArchvizError, match=rf"{ZOO} models do not fit A0 .* choose --size 2A0 or larger"):
        archviz.poster(size="A0", catalog=Catalog([zoo]))
    p = archviz.poster(size="auto", catalog=Catalog([zoo]))
    assert p.layout.meta["size"] == "2A0" and p.layout.meta["smallest_text_pt"] >= 6
    pdf = p.pdf()
    assert len(pdf) < 3_000_000 and len(re.findall(rb"/FontFile[23]?\b", pdf)) <= 6


def test_auto_size_is_the_smallest_that_fits() -> None:
    p = archviz.poster(["llama-3-8b", "gemma-3-27b"], size="auto")
    assert p.layout.meta["size"] == "A4"
    assert archviz.poster(size="auto").layout.meta["size"] == "2A0"


def test_an_impossible_poster_names_a_size_that_would_hold_it(tmp_path: Path) -> None:
    big = copies(tmp_path / "big", 300)
    with pytest.raises(ArchvizError) as err:
        archviz.poster(size="auto", catalog=Catalog([big], builtin=False))
    needed = re.search(r"choose --size (\d+)x(\d+)mm or larger", str(err.value))
    assert needed and "do not fit even 4A0" in str(err.value)
    w, h = int(needed[1]), int(needed[2])
    assert w > 1682 and h > 2378
    from archviz.layout.poster import poster_or_sheets

    specs = archviz.products.select(catalog=Catalog([big], builtin=False))
    sheets = poster_or_sheets(specs, "A0")  # what the gallery does when even 4A0 is too small
    assert len(sheets) > 1 and all(s.meta["size"] == "A0" and s.meta["smallest_text_pt"] >= 6 for s in sheets)
    assert [m for s in sheets for m in s.meta["models"]] == [s.id for s in specs]


def test_gallery_fails_before_any_work_when_its_poster_cannot_fit(
    zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No figure is rendered and nothing is written: the poster is planned first."""
    rendered: list[str] = []
    monkeypatch.setattr(gallery, "to_svg", lambda *a, **k: rendered.append("svg") or "")
    out = tmp_path / "site"
    with pytest.raises(ArchvizError, match="choose --size 2A0"):
        gallery.build_site(out, catalog=Catalog([zoo]), poster_size="A0")
    assert rendered == [] and list(tmp_path.iterdir()) == []
    r = run("gallery", "--specs", str(zoo), "--poster-size", "A0", "-o", str(out))
    assert r.returncode == 2 and "choose --size 2A0" in r.stderr and not out.exists()


def test_sheets_spread_a_catalog_that_one_page_cannot_hold(zoo: Path) -> None:
    from archviz.products.poster import poster_sheets

    sheets = poster_sheets(size="A0", catalog=Catalog([zoo]))
    n = len(sheets)
    assert n == 3  # A0 holds about 50 models at 6 pt
    models = [m for p in sheets for m in p.layout.meta["models"]]
    assert len(models) == ZOO and len(set(models)) == ZOO, "every model once"
    assert models == [s.id for s in archviz.products.select(catalog=Catalog([zoo]))], "in the chosen order"
    for k, p in enumerate(sheets, start=1):
        assert p.layout.meta["smallest_text_pt"] >= 6 and p.layout.meta["size"] == "A0"
        assert p.layout.title.endswith(f"sheet {k} of {n}")
    with pytest.raises(ArchvizError, match=f"choose --sheets {n} or more"):
        poster_sheets(size="A0", sheets=1, catalog=Catalog([zoo]))
    with pytest.raises(ArchvizError, match="needs a sheet size"):
        poster_sheets(size="auto", catalog=Catalog([zoo]))


def test_the_cli_writes_numbered_sheets(tmp_path: Path) -> None:
    r = run("poster", "--models", "llama-3-8b,gemma-3-27b,deepseek-v3", "--size", "A4", "--sheets", "2")
    assert r.returncode == 2 and "-o" in r.stderr  # an output is required
    out = tmp_path / "p.svg"
    r = run("poster", "--models", "llama-3-8b,gemma-3-27b,deepseek-v3", "--size", "A3", "--sheets", "2", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p-1.svg", "p-2.svg"]
    r = run("poster", "--models", "llama-3-8b", "--size", "A3", "--sheets", "two", "-o", str(out))
    assert r.returncode == 2 and "--sheets takes a whole number" in r.stderr
