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
