"""The advice for a library an optional format needs names the library, for the Python
annotator runs on, and the checkout's extra only when annotator runs from its source folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import annotator
from annotator.formats import installing
from annotator.formats.installing import install_advice, source_checkout

CHECKOUT = Path(annotator.__file__).resolve().parent.parent


class _Distribution:
    def __init__(self, direct_url: dict | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return None if self.direct_url is None else json.dumps(self.direct_url)


@pytest.fixture
def installed(monkeypatch):
    """``installed(direct_url)``: annotator as pip recorded it (None: no direct_url.json)."""

    def _installed(direct_url: dict | None) -> None:
        monkeypatch.setattr(
            installing.metadata, "distribution", lambda name: _Distribution(direct_url)
        )

    return _installed


def test_the_advice_names_the_library_for_this_python_never_the_index_name(installed):
    installed(None)  # installed from the package index or a wheel
    advice = install_advice("pyarrow", "parquet")
    assert advice == f"{sys.executable} -m pip install pyarrow"
    assert "annotator[" not in advice and "-e" not in advice


def test_an_editable_install_from_this_folder_is_offered_its_extra(installed):
    installed({"url": CHECKOUT.as_uri(), "dir_info": {"editable": True}})
    assert source_checkout() == CHECKOUT
    advice = install_advice("spacy", "spacy")
    assert advice.startswith(f"{sys.executable} -m pip install spacy (or, in annotator's")
    assert str(CHECKOUT) in advice and '-m pip install -e ".[spacy]"' in advice


@pytest.mark.parametrize(
    "direct_url",
    [
        {"url": CHECKOUT.as_uri(), "dir_info": {}},  # a plain install from the folder
        {"url": "file:///somewhere/else", "dir_info": {"editable": True}},
        {"url": "https://example.org/annotator.tar.gz", "archive_info": {}},
    ],
)
def test_no_extra_is_offered_unless_this_package_is_an_editable_checkout(installed, direct_url):
    installed(direct_url)
    assert source_checkout() is None
    assert "-e" not in install_advice("pyarrow", "parquet")


def test_an_interpreter_path_with_a_space_is_quoted(installed, monkeypatch):
    installed(None)
    monkeypatch.setattr(sys, "executable", r"C:\Program Files\Python311\python.exe")
    assert install_advice("pyarrow", "parquet") == (
        r'"C:\Program Files\Python311\python.exe" -m pip install pyarrow'
    )
