"""Who is annotating: one name for the command line and the window alike.

The name is, in order: ``--user`` (given by the caller), ``ANNOTATOR_USER``, the name saved in
the user's configuration folder (by the window's name question, File → Annotator name, or
``annotator whoami --set``), else the login name. Every name is checked as any analyst's is.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from annotator.model import AnalystNameError, check_analyst_name

FROM_ENV = "ANNOTATOR_USER"
FROM_FILE = "saved"
FROM_LOGIN = "login"


def name_file() -> Path:
    """Where the name is saved (``~/.config/annotator/analyst.json`` on Linux)."""
    from platformdirs import user_config_path

    return user_config_path("annotator", appauthor=False) / "analyst.json"


def default_annotator() -> str:
    """The analyst ANNOTATOR_USER names, else the saved name, else the login name."""
    return name_and_source()[0]


def name_and_source() -> tuple[str, str]:
    """The name in use and where it comes from (:data:`FROM_ENV`, :data:`FROM_FILE` or
    :data:`FROM_LOGIN`)."""
    named = named_analyst()
    if named:
        return named, FROM_ENV
    saved = saved_name()
    if saved:
        return saved, FROM_FILE
    return login_name(), FROM_LOGIN


def named_analyst() -> str | None:
    """ANNOTATOR_USER's name, checked as every analyst's name is; None when it is unset."""
    value = os.environ.get(FROM_ENV, "")
    if not value:
        return None
    try:
        return check_analyst_name(value)
    except AnalystNameError as e:
        raise AnalystNameError(f"{FROM_ENV}: {e}") from None


def saved_name() -> str | None:
    """The name saved in the configuration folder; None when there is none or it cannot be
    used (a file edited by hand is passed over, not trusted)."""
    try:
        value = json.loads(name_file().read_text(encoding="utf-8")).get("name")
        return check_analyst_name(value) if isinstance(value, str) else None
    except (OSError, ValueError, AttributeError, AnalystNameError):
        return None


def save_name(name: str) -> str:
    """Check and save the name for the command line and the window; the name as saved."""
    checked = check_analyst_name(name)
    path = name_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({"name": checked}, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return checked


def login_name() -> str:
    """The login name, or "annotator" where there is none (some containers) or it could not
    be printed as typed (it comes from $USER or $LOGNAME, which anyone can set)."""
    try:
        return check_analyst_name(getpass.getuser())
    except Exception:
        return "annotator"
