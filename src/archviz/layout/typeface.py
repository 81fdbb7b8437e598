"""Find the typeface a user names (draw(font=...), --font): a font file, or an installed family.

Installed families are looked up with fontconfig, the library cairo draws through, so the file we
measure is the one cairo would pick. The lookup loads its own fontconfig configuration and never
touches the process's current one (render/fonts.py points that at the bundled fonts before cairo
starts). A name fontconfig only approximates (it always answers with *some* font) is refused: a
figure measured in a stand-in would not be the figure the user asked for.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from archviz.errors import ArchvizError
from archviz.style import BUNDLED_FACE, FONT_DIR, Typeface

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
FC_WEIGHT = {"normal": 80, "bold": 200}
FC_MATCH_PATTERN = 0
FC_RESULT_MATCH = 0


def find_typeface(font: str | Path | Typeface | None) -> Typeface:
    """The typeface `font` names: None or 'DejaVu Sans' for the bundled face, a path to a .ttf,
    .otf or .ttc file, or the family name of an installed font ('Liberation Serif')."""
    if font is None or isinstance(font, Typeface):
        return font or BUNDLED_FACE
    text = str(font).strip()
    if text.casefold() == BUNDLED_FACE.family.casefold():
        return BUNDLED_FACE
    path = Path(text).expanduser()
    if path.suffix.lower() in FONT_SUFFIXES or path.is_file():
        return _from_file(path)
    return _installed(text)


def _from_file(path: Path) -> Typeface:
    if not path.is_file():
        raise ArchvizError(f"font file '{path}' does not exist")
    try:
        font = TTFont(path, lazy=True, fontNumber=0)
        family = font["name"].getBestFamilyName()
        font["hmtx"]  # a font we cannot measure is refused now, not while drawing
    except (TTLibError, KeyError, OSError, AssertionError) as e:
        raise ArchvizError(f"'{path}' is not a font archviz can read (TrueType or OpenType): {e}") from None
    if not family:
        raise ArchvizError(f"font file '{path}' does not name its family")
    path = path.resolve()
    bold = _installed_file(family, "bold")  # the family's bold face, when fontconfig knows it
    return Typeface(_safe(family), path, bold[0] if bold is not None and bold[1] else path)


def _installed(name: str) -> Typeface:
    regular = _installed_file(name, "normal")
    if regular is None:
        raise ArchvizError(
            f"cannot look up the font {name!r}: fontconfig is not available here; give the path to a .ttf or .otf file"
        )
    path, exact, nearest = regular
    if not exact:
        raise ArchvizError(
            f"no installed font is named {name!r} (the nearest is {nearest!r}); give an installed "
            "family name (`fc-list : family` lists them) or the path to a .ttf or .otf file"
        )
    bold = _installed_file(name, "bold")
    return Typeface(_safe(name), path, bold[0] if bold and bold[1] else path)


def _safe(family: str) -> str:
    """A family name that can sit in an SVG attribute and a CSS string without escaping."""
    return "".join(c for c in family if c.isprintable() and c not in "'\"\\;<>&{}").strip() or "font"


class _FcFontconfig:
    """The few fontconfig calls a lookup needs, on a configuration of its own."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        lib.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
        lib.FcNameParse.restype = ctypes.c_void_p
        lib.FcNameParse.argtypes = [ctypes.c_char_p]
        lib.FcConfigSubstitute.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
        lib.FcDefaultSubstitute.argtypes = [ctypes.c_void_p]
        lib.FcFontMatch.restype = ctypes.c_void_p
        lib.FcFontMatch.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        lib.FcPatternGetString.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_char_p),
        ]
        lib.FcPatternGetInteger.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_int),
        ]
        lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
        lib.FcConfigAppFontAddDir.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.lib = lib
        self.config = lib.FcInitLoadConfigAndFonts()
        lib.FcConfigAppFontAddDir(self.config, str(FONT_DIR).encode())  # as cairo sees them (render/fonts.py)

    def _strings(self, pattern: int, key: bytes) -> list[str]:
        out, i, value = [], 0, ctypes.c_char_p()
        while self.lib.FcPatternGetString(pattern, key, i, ctypes.byref(value)) == FC_RESULT_MATCH and value.value:
            out.append(value.value.decode("utf-8", "replace"))
            i += 1
        return out

    def match(self, family: str, weight: str) -> tuple[Path, list[str], int] | None:
        """The file fontconfig picks for `family` at `weight`, the families it belongs to, and its
        weight."""
        escaped = "".join("\\" + c if c in "\\-:,=" else c for c in family)
        pattern = self.lib.FcNameParse(f"{escaped}:weight={FC_WEIGHT[weight]}".encode())
        if not pattern:
            return None
        self.lib.FcConfigSubstitute(self.config, pattern, FC_MATCH_PATTERN)
        self.lib.FcDefaultSubstitute(pattern)
        result = ctypes.c_int()
        found = self.lib.FcFontMatch(self.config, pattern, ctypes.byref(result))
        self.lib.FcPatternDestroy(pattern)
        if not found:
            return None
        files, families = self._strings(found, b"file"), self._strings(found, b"family")
        got = ctypes.c_int()
        self.lib.FcPatternGetInteger(found, b"weight", 0, ctypes.byref(got))
        self.lib.FcPatternDestroy(found)
        return (Path(files[0]), families, got.value) if files else None


@functools.cache
def _fontconfig() -> _FcFontconfig | None:
    name = ctypes.util.find_library("fontconfig")
    try:
        return _FcFontconfig(ctypes.CDLL(name)) if name else None
    except (OSError, AttributeError):
        return None


def _installed_file(family: str, weight: str) -> tuple[Path, bool, str] | None:
    """(file, whether it really is `family` at `weight`, the family fontconfig matched), or None
    without fontconfig."""
    fc = _fontconfig()
    found = fc.match(family, weight) if fc else None
    if fc is None or found is None:
        return None
    path, families, got = found
    exact = family.casefold() in (f.casefold() for f in families)
    if weight == "bold":
        exact = exact and got >= FC_WEIGHT["bold"]
    return path, exact, families[0] if families else "?"
