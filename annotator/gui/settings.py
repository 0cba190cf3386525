"""The analyst's own preferences (not the project's): QSettings under annotator/annotator."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANISATION = "annotator"
APPLICATION = "annotator"
MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def recent_projects() -> list[str]:
    value = settings().value("recent", [])
    if isinstance(value, str):  # QSettings returns a lone string for a one-item list
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v) for v in value]


def remember_project(path: str) -> list[str]:
    recent = [path] + [p for p in recent_projects() if p != path]
    recent = recent[:MAX_RECENT]
    settings().setValue("recent", recent)
    return recent


def flag(key: str, default: bool) -> bool:
    value = settings().value(key, default)
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
