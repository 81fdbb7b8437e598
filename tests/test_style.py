"""Themes are readable: text roles meet WCAG AA contrast on the surfaces they are drawn on."""

from __future__ import annotations

import pytest

from archviz.style import ACCENTS, ROLES, THEMES, accent_for


def luminance(colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# (text role, surface role) pairs the diagrams actually draw.
PAIRS = [("text", "background"), ("muted", "background"), ("text", "container_fill"), ("text", "light_fill"),
         ("text", "white_fill"), ("inverse", "dark_fill"), ("dark_detail", "dark_fill"), ("text", "panel_fill"),
         ("muted", "panel_fill")]  # fmt: skip


@pytest.mark.parametrize("name", sorted(THEMES))
def test_text_roles_meet_aa(name: str) -> None:
    th = THEMES[name]
    assert set(ROLES) <= set(th.palette)
    for fg, bg in PAIRS:
        c = contrast(th.colour(fg, "#000000"), th.colour(bg, "#000000"))
        assert c >= 4.5, f"{name}: {fg} on {bg} is {c:.2f}:1"


@pytest.mark.parametrize("name", sorted(THEMES))
@pytest.mark.parametrize("accent", ACCENTS)
def test_accent_text_is_readable(name: str, accent: str) -> None:
    th = THEMES[name]
    text = th.colour("accent", accent)
    for surface in ("background", "container_fill", "panel_fill"):
        c = contrast(text, th.colour(surface, accent))
        assert c >= 4.5, f"{name}: accent {accent} on {surface} is {c:.2f}:1"


def test_accents_are_stable_per_model() -> None:
    assert accent_for("llama-3-8b", None) == accent_for("llama-3-8b", None)
    assert accent_for("x", "#123456") == "#123456"
