"""How to install a library an optional format needs, said for the way annotator itself was
installed.

The advice names the library (``pip install pyarrow``), never ``annotator[parquet]``: on the
public package index "annotator" is another project, so that line would install someone
else's package. The command is given for the Python annotator runs on, so that it installs
into the same environment (a virtual environment need not be activated). When annotator runs
from a source checkout (an editable install), the checkout's own extra is offered too.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from annotator.printable import printable

#: Where this package is: the folder of ``annotator/__init__.py``.
_PACKAGE = Path(__file__).resolve().parent.parent


def install_advice(library: str, extra: str) -> str:
    """``<python> -m pip install <library>``, and from a source checkout also
    ``pip install -e ".[<extra>]"`` in that folder."""
    pip = f"{_python()} -m pip install"
    advice = f"{pip} {library}"
    checkout = source_checkout()
    if checkout is not None:
        advice += (
            f' (or, in annotator\'s source folder {printable(checkout)}, {pip} -e ".[{extra}]")'
        )
    return advice


def _python() -> str:
    """The interpreter annotator runs on, quoted when its path has a space."""
    exe = sys.executable or "python3"
    return f'"{exe}"' if " " in exe else exe


def source_checkout() -> Path | None:
    """The folder annotator was installed from in editable mode (pip's ``direct_url.json``
    says so), when it is the folder this package is imported from; else None."""
    try:
        recorded = metadata.distribution("annotator").read_text("direct_url.json")
    except (metadata.PackageNotFoundError, OSError):
        return None
    if not recorded:
        return None
    try:
        direct = json.loads(recorded)
    except ValueError:
        return None
    if not isinstance(direct, dict) or not isinstance(direct.get("dir_info"), dict):
        return None
    url = direct.get("url")
    if not direct["dir_info"].get("editable") or not isinstance(url, str):
        return None
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    folder = Path(url2pathname(parsed.path))
    try:
        same = folder.resolve() == _PACKAGE.parent
    except OSError:
        return None
    return folder if same else None
