"""Colours that follow the system's light or dark palette.

Label colours are mixed into the text background rather than drawn opaque, so the text keeps
the palette's own colour and stays readable on both themes.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def layer_alpha(palette: QPalette) -> float:
    """How much of a label's colour one layer of highlight mixes into the background."""
    return 0.45 if is_dark(palette) else 0.32


def selected_alpha(palette: QPalette) -> float:
    return 0.75 if is_dark(palette) else 0.6


def mix(under: QColor, over: QColor, alpha: float) -> QColor:
    """``over`` laid on ``under`` at ``alpha``, as an opaque colour."""
    return QColor.fromRgbF(
        under.redF() * (1 - alpha) + over.redF() * alpha,
        under.greenF() * (1 - alpha) + over.greenF() * alpha,
        under.blueF() * (1 - alpha) + over.blueF() * alpha,
    )


def layered(base: QColor, colours: list[QColor], alpha: float) -> QColor:
    """Several translucent layers, outermost first: two levels stay distinguishable."""
    out = base
    for c in colours:
        out = mix(out, c, alpha)
    return out


def underline_colour(colour: QColor, palette: QPalette) -> QColor:
    """A label colour pushed away from the background so a thin line stays visible."""
    return colour.lighter(130) if is_dark(palette) else colour.darker(130)


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The contrast ratio of two colours (1 to 21), as the web's accessibility rules count it."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: QColor, palette: QPalette, least: float = 4.5) -> QColor:
    """A label colour for text, made lighter on a dark background (darker on a light one)
    until it reads against it: a relation's text in its type's colour stays legible on any
    theme."""
    background = palette.color(QPalette.ColorRole.Base)
    towards = QColor("white") if is_dark(palette) else QColor("black")
    shown = QColor(colour)
    for _ in range(20):
        if contrast(shown, background) >= least:
            break
        shown = mix(shown, towards, 0.2)
    return shown
