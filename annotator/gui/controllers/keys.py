"""Keys the window's commands and widgets take, which a label's hotkey cannot have and which
the shortcut sheet lists beside the actions' own."""

from __future__ import annotations

from annotator.keymap import COMMANDS

# Keys without modifiers that window commands use; a label cannot take them as hotkey.
RESERVED_KEYS = {key.lower() for c in COMMANDS for key in c.keys if len(key) == 1}
# Keys handled by widgets rather than actions, listed on the shortcut sheet too.
WIDGET_KEYS = [
    ("Move the caret in the article", "Arrow keys, Home, End, PgUp, PgDown"),
    ("Select text in the article", "Shift+arrows, Shift+Ctrl+Left/Right (by word)"),
    ("Select a span", "Click its highlight (click again: the next overlapping span)"),
    ("Next / previous match (find bar)", "Enter / Shift+Enter"),
    ("Close the find bar", "Esc"),
    ("Edit a note in the span list", "F2 or double-click the Note cell"),
    ("Review panel: the previous / next row, shown in the article", "Up / Down"),
    ("Review panel: reject the chosen span or relation", "Delete or Backspace"),
    ("Review panel: one analyst's layer, one label", "Alt+T / Alt+B"),
    ("Accept the selected suggestion as another label", "That label's hotkey"),
    ("Making a relation: the other span / link / cancel", "Tab or arrows, or click / Enter / Esc"),
    ("Making a relation: choose among the types that fit", "Their number keys"),
    ("Relations panel: delete the chosen relation", "Delete or Backspace"),
    ("Move the selected suggestion's start / end", "Ctrl+[ / Ctrl+] and Ctrl+, / Ctrl+."),
]
