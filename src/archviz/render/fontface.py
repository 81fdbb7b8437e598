"""A figure's own typeface, embedded in its SVG as @font-face subsets.

A figure drawn in a font other than the bundled one (draw(font=...)) was measured in that font's
files; a reader's browser may not have it, and would set the text in a wider stand-in that
overflows its boxes. So the SVG carries the glyphs it uses (a subset, a few kB per weight). A
font whose licence forbids embedding (OpenType fsType 'restricted') is not embedded: the SVG then
names the family only, and `text_as_paths` is the way to ship it.
"""

from __future__ import annotations

import base64
import functools
import io
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from archviz.style import Typeface

RESTRICTED = 0x0002
"""OpenType OS/2 fsType bit: the font may not be embedded."""


@functools.cache
def embeddable(path: Path) -> bool:
    font = TTFont(path, lazy=True, fontNumber=0)
    return not ("OS/2" in font and font["OS/2"].fsType & RESTRICTED)


def _subset(path: Path, text: str) -> bytes:
    font = TTFont(path, fontNumber=0, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the licence and copyright notices with the glyphs
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing a browser reads
    options.layout_features = ["kern", "liga"]
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = None
    font.save(out)
    return out.getvalue()


def font_face_css(face: Typeface, used: dict[str, str]) -> str:
    """@font-face rules for the characters `used` at each weight ('normal', 'bold'), in data URLs;
    empty when the face is bundled or may not be embedded."""
    rules = []
    for weight in sorted(used):
        path = face.bold if weight == "bold" else face.regular
        if face.bundled or not used[weight] or not embeddable(path):
            continue
        data = base64.b64encode(_subset(path, used[weight])).decode("ascii")
        rules.append(
            f"@font-face{{font-family:'{face.family}';font-weight:{weight};"
            f"src:url(data:font/ttf;base64,{data}) format('truetype')}}"
        )
    return "\n".join(rules)
