"""One coloured button per label, showing its hotkey; Alt+click tags exact characters. The
buttons wrap onto more rows on a narrow window, each whole, its hotkey shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSizePolicy, QWidget

from annotator.gui.panels.flow_layout import FlowLayout
from annotator.gui.swatches import colour_icon
from annotator.model import Label

_STYLE = (
    "QPushButton { border: 1px solid palette(mid); border-bottom: 4px solid %s;"
    " border-radius: 3px; padding: 4px 12px; background: palette(button); }"
    " QPushButton:hover { background: palette(midlight); }"
    " QPushButton:pressed { background: palette(dark); }"
)


class LabelBar(QWidget):
    tag = Signal(str, bool)  # label name, exact characters?

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelBar")
        self._layout = FlowLayout(self, spacing=6)
        self._layout.setContentsMargins(4, 2, 4, 2)
        # as tall as its rows: on a narrow window the buttons wrap onto a second row
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.buttons: dict[str, QPushButton] = {}

    def set_labels(self, labels: list[Label], keys: dict[str, str]) -> None:
        """``keys`` maps a label to the hotkey that really works (a clashing one has none)."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:  # gone from the window now, freed by Qt later
                old.hide()
                old.setParent(None)
                old.deleteLater()
        self.buttons.clear()
        for lab in labels:
            key = keys.get(lab.name)
            button = QPushButton(colour_icon(lab.color), f"{lab.name}  {key}" if key else lab.name)
            button.setObjectName(f"label:{lab.name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the article keeps its selection
            tip = f"Tag the selection as {lab.name}"
            if key:
                tip += f" (key {key}; Alt+{key} or Alt+click: exact characters)"
            if lab.definition:
                tip += "\n\n" + lab.definition
            button.setToolTip(tip)
            button.setStyleSheet(_STYLE % lab.color)
            button.clicked.connect(lambda _=False, name=lab.name: self._clicked(name))
            self._layout.addWidget(button)
            self.buttons[lab.name] = button
        if not labels:
            self._layout.addWidget(QLabel("No labels yet: add some with Edit → Labels…"))
        self.updateGeometry()

    def _clicked(self, name: str) -> None:
        alt = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.AltModifier)
        self.tag.emit(name, alt)
