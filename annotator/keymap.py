"""Every command of the window by a stable id, with its default keys, and the keys a user chose.

The window builds its actions from this table (each QAction is named ``action:<id>``);
``annotator keys`` prints it, and the Keys page of Preferences writes the user's own keys to
``keys.json`` in the configuration folder, a readable file holding only what differs from
the defaults. Keys are written as Qt writes them in portable form ("Ctrl+Shift+X"); on macOS
Qt reads Ctrl as Command.

No default uses a key a desktop takes before the window sees it: Ctrl+Alt+arrows and
Shift+Alt+arrows (workspaces in GNOME, Xfce, Cinnamon, Openbox), Super/Meta, Ctrl+F1–F12 and
Alt+F1–F12 (KDE, Xfce, GNOME), Ctrl+Alt+letters (AltGr typing on Windows), and on macOS
Control+arrows (Spaces).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from annotator.model import Refused


class KeyError_(Refused):
    """A key binding refused: unknown command, a key another command has, or a bad file."""


@dataclass(frozen=True)
class Command:
    id: str
    text: str  # as its menu shows it, with & before the mnemonic
    keys: tuple[str, ...]  # the default keys
    task: str  # the group the shortcut sheet and `annotator keys` list it under
    does: str  # what it does, in a sentence
    # Where its keys act: the whole window, or one place only; commands of two places that
    # are never active together (a suggestion and review mode's rows) may share a key.
    scope: str = "window"


# The order of tasks on the shortcut sheet: tagging first.
TASKS = (
    "Tagging",
    "Moving and selecting",
    "Suggestions",
    "Relations",
    "Documents",
    "Review",
    "Project",
    "View",
    "Help",
)


def _c(id: str, text: str, keys: str | tuple[str, ...], task: str, does: str, **kw: str) -> Command:
    return Command(id, text, (keys,) if isinstance(keys, str) else keys, task, does, **kw)


COMMANDS: tuple[Command, ...] = (
    # -- Project
    _c("project.new", "&New project…", "Ctrl+N", "Project", "Create a new, empty project file."),
    _c("project.open", "&Open project…", "Ctrl+O", "Project", "Open another project file."),
    _c(
        "import.files",
        "&Import files…",
        "Ctrl+I",
        "Project",
        "Import articles from files (text, Markdown, JSONL, JSON tasks, web pages, Word).",
    ),
    _c(
        "import.folder",
        "Import &folder…",
        "Ctrl+Shift+I",
        "Project",
        "Import every article file in a folder.",
    ),
    _c(
        "import.raw",
        "Import web pages as &raw text…",
        "Ctrl+Shift+H",
        "Project",
        "Import saved web pages keeping all their text, without picking out the article.",
    ),
    _c(
        "import.clean",
        "Import scraped &text, cleaned…",
        "Ctrl+Shift+K",
        "Project",
        "Import scraped .txt files, leaving out the page's debris lines.",
    ),
    _c(
        "project.export",
        "&Export…",
        "Ctrl+E",
        "Project",
        "Export the labelled articles in one of the formats.",
    ),
    _c(
        "project.name",
        "Annotator &name…",
        "Ctrl+Shift+N",
        "Project",
        "Change the name recorded on every span you make.",
    ),
    _c("app.quit", "&Quit", "Ctrl+Q", "Project", "Close the window (everything is saved)."),
    # -- Tagging
    _c("edit.undo", "&Undo", "Ctrl+Z", "Tagging", "Undo the last change."),
    _c("edit.redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Tagging", "Redo what was undone."),
    _c(
        "span.delete",
        "&Delete span, reject suggestion",
        ("Delete", "Backspace"),
        "Tagging",
        "Delete the selected span, or reject the selected suggestion and go to the next.",
    ),
    _c("span.note", "Write a &note on the span…", "N", "Tagging", "Write a note on the span."),
    _c(
        "span.attributes",
        "Span &attributes…",
        "A",
        "Tagging",
        "Set the selected span's attributes (those its label declares).",
    ),
    _c(
        "span.start.left",
        "Move span start left",
        "Ctrl+[",
        "Tagging",
        "Move the selected span's start one character (a whole emoji or accented letter) left.",
    ),
    _c(
        "span.start.right",
        "Move span start right",
        "Ctrl+]",
        "Tagging",
        "Move the selected span's start one character (a whole emoji or accented letter) right.",
    ),
    _c(
        "span.end.left",
        "Move span end left",
        "Ctrl+,",
        "Tagging",
        "Move the selected span's end one character (a whole emoji or accented letter) left.",
    ),
    _c(
        "span.end.right",
        "Move span end right",
        "Ctrl+.",
        "Tagging",
        "Move the selected span's end one character (a whole emoji or accented letter) right.",
    ),
    _c(
        "span.start.word.left",
        "Move span start a word left",
        "Alt+[",
        "Tagging",
        "Move the selected span's start to the start of the word before it.",
    ),
    _c(
        "span.start.word.right",
        "Move span start a word right",
        "Alt+]",
        "Tagging",
        "Move the selected span's start to the start of the next word (a quotation mark goes"
        " with its word).",
    ),
    _c(
        "span.end.word.left",
        "Move span end a word left",
        "Alt+,",
        "Tagging",
        "Move the selected span's end to the end of the word before it (a comma or quotation"
        " mark goes with its word).",
    ),
    _c(
        "span.end.word.right",
        "Move span end a word right",
        "Alt+.",
        "Tagging",
        "Move the selected span's end to the end of the next word.",
    ),
    _c(
        "span.deselect",
        "Deselect span",
        "Esc",
        "Tagging",
        "Deselect the span (or the text).",
        scope="article",
    ),
    _c(
        "scheme.labels",
        "&Labels…",
        "Ctrl+L",
        "Tagging",
        "Edit the labels: names, colours, hotkeys, definitions, attributes.",
    ),
    _c(
        "app.preferences",
        "&Preferences…",
        "Ctrl+Shift+O",
        "Project",
        "Settings: how often the learned model trains again, and every command's keys.",
    ),
    _c(
        "view.snap",
        "&Snap selections to words",
        "Ctrl+Shift+W",
        "Tagging",
        "Snap selections and edge moves to whole words and quotation marks.",
    ),
    # -- Moving and selecting
    _c(
        "span.next",
        "Ne&xt span",
        "Ctrl+Down",
        "Moving and selecting",
        "Select the next span in the text, and scroll to it.",
    ),
    _c(
        "span.previous",
        "Pre&vious span",
        "Ctrl+Up",
        "Moving and selecting",
        "Select the previous span in the text (the one just made or accepted is one away).",
    ),
    _c(
        "span.cycle.next",
        "Next overlapping span",
        "Tab",
        "Moving and selecting",
        "Select the next of the spans under the caret.",
        scope="article",
    ),
    _c(
        "span.cycle.previous",
        "Previous overlapping span",
        "Shift+Tab",
        "Moving and selecting",
        "Select the previous of the spans under the caret.",
        scope="article",
    ),
    _c(
        "select.sentence",
        "Select &sentence",
        "S",
        "Moving and selecting",
        "Select the sentence at the caret; again, add the next sentence to the selection.",
    ),
    _c(
        "select.paragraph",
        "Select &paragraph",
        "P",
        "Moving and selecting",
        "Select the paragraph at the caret; again, add the next paragraph to the selection.",
    ),
    _c(
        "select.quotation",
        "Select &quotation",
        "Q",
        "Moving and selecting",
        "Select the quotation at the caret (or the next one), its quotation marks included;"
        " again, the next quotation.",
    ),
    _c(
        "caret.sentence.next",
        "Caret to next sentence",
        "Alt+Down",
        "Moving and selecting",
        "Move the caret to the start of the next sentence.",
    ),
    _c(
        "caret.sentence.previous",
        "Caret to previous sentence",
        "Alt+Up",
        "Moving and selecting",
        "Move the caret to the start of this sentence, or of the one before.",
    ),
    _c(
        "find.open",
        "&Find in article…",
        "Ctrl+F",
        "Moving and selecting",
        "Find text in the article (a space matches any white space), after the selection.",
    ),
    _c("find.next", "Find next", "F3", "Moving and selecting", "Select the next match."),
    _c("find.previous", "Find previous", "Shift+F3", "Moving and selecting", "The previous match."),
    # -- Suggestions
    _c(
        "suggest.document",
        "&Suggest for this document",
        "F8",
        "Suggestions",
        "Run the suggesters on this document and choose the first suggestion.",
    ),
    _c(
        "suggest.all",
        "Suggest for all &documents not done…",
        "Shift+F8",
        "Suggestions",
        "Run the suggesters on every document not done, with progress.",
    ),
    _c(
        "suggest.learn",
        "&Learn from the documents done",
        "Ctrl+Shift+M",
        "Suggestions",
        "Train the learned model now on the documents marked done, in the background.",
    ),
    _c("suggestion.next", "&Next suggestion", "]", "Suggestions", "Choose the next suggestion."),
    _c(
        "suggestion.previous",
        "&Previous suggestion",
        "[",
        "Suggestions",
        "Choose the previous suggestion.",
    ),
    _c(
        "suggestion.accept",
        "&Accept the suggestion",
        ("Return", "Enter"),
        "Suggestions",
        "Accept the chosen suggestion as your own span and go to the next one.",
        scope="suggestion",
    ),
    _c(
        "suggestion.accept_label",
        "Accept all suggested of &its label",
        ("Shift+Return", "Shift+Enter"),
        "Suggestions",
        "Accept every suggestion of the chosen one's label in this document.",
        scope="suggestion",
    ),
    # -- Relations
    _c(
        "relation.start",
        "&Relate the span to another…",
        "R",
        "Relations",
        "Start a relation from the selected span: Tab picks the other end, Enter links.",
    ),
    # -- Documents
    _c(
        "document.done",
        "&Done, next document",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Documents",
        "Mark the document done and open the next one not done.",
    ),
    _c(
        "document.skip",
        "&Skip, next document",
        "Ctrl+Shift+S",
        "Documents",
        "Mark the document skipped and open the next one.",
    ),
    _c(
        "document.reopen",
        "&Reopen document",
        "Ctrl+Shift+R",
        "Documents",
        "Mark the document in progress again.",
    ),
    _c("document.next", "&Next document", "Ctrl+PgDown", "Documents", "Open the next document."),
    _c(
        "document.order.project",
        "&Project order",
        "Ctrl+Shift+J",
        "Documents",
        "List the documents, and go on to the next, in the project's order.",
    ),
    _c(
        "document.order.uncertain",
        "&Least certain first",
        "Ctrl+Shift+Y",
        "Documents",
        "List the documents the learned model is least sure of first.",
    ),
    _c(
        "document.previous",
        "&Previous document",
        "Ctrl+PgUp",
        "Documents",
        "Open the previous document.",
    ),
    _c(
        "document.search",
        "Search &documents",
        "Ctrl+Shift+F",
        "Documents",
        "Search the documents' titles and text.",
    ),
    _c(
        "focus.documents",
        "Go to document &list",
        "Ctrl+Shift+D",
        "Documents",
        "Move the keyboard focus to the document list.",
    ),
    _c(
        "focus.spans",
        "Go to span lis&t",
        "Ctrl+Shift+P",
        "Documents",
        "Move the keyboard focus to the span list.",
    ),
    _c(
        "focus.article",
        "Go to &article",
        "Ctrl+Shift+A",
        "Documents",
        "Move the keyboard focus to the article.",
    ),
    # -- View
    _c(
        "view.refresh", "Re&fresh from the project", "F5", "View", "Read what other programs wrote."
    ),
    _c("view.zoom_in", "Zoom &in", ("Ctrl+=", "Ctrl++"), "View", "Larger article text."),
    _c("view.zoom_out", "Zoom &out", "Ctrl+-", "View", "Smaller article text."),
    _c("view.zoom_reset", "&Reset zoom", "Ctrl+0", "View", "The article text at its usual size."),
    _c(
        "view.everyone_spans",
        "&Everyone's spans",
        "Ctrl+Shift+E",
        "View",
        "In a team project, show every analyst's spans, not only yours.",
    ),
    _c(
        "view.everyone_statuses",
        "Everyone's s&tatuses",
        "Ctrl+Shift+T",
        "View",
        "In a team project, show each analyst's status in the document list.",
    ),
    _c(
        "view.agreement",
        "&Agreement…",
        "F7",
        "View",
        "Show how far the analysts agree, by label and by document.",
    ),
    _c(
        "view.statistics",
        "&Statistics…",
        "F9",
        "View",
        "Show the project's progress: statuses, spans, time, spans per hour.",
    ),
    _c(
        "view.progress",
        "&Progress of the work…",
        "Shift+F9",
        "View",
        "Show how far each analyst is with the documents assigned to them.",
    ),
    # -- Review
    _c(
        "review.mode",
        "&Review mode",
        "F6",
        "Review",
        "Curate: the article shows the curated layer, the panel every analyst's work.",
    ),
    _c(
        "review.accept",
        "&Accept the span or relation",
        ("Return", "Enter"),
        "Review",
        "Put the review panel's chosen row into the curated layer and go to the next row.",
        scope="review",
    ),
    _c(
        "review.reject",
        "&Reject the span or relation",
        "Ctrl+Shift+X",
        "Review",
        "Leave the review panel's chosen row out of the curated layer and go to the next.",
    ),
    _c(
        "review.accept_agreed",
        "Accept all a&greed",
        "Ctrl+Shift+G",
        "Review",
        "Accept what every analyst who marked the document done made alike.",
    ),
    _c(
        "review.accept_layer",
        "Accept all of the &label from the analyst",
        "Ctrl+Shift+L",
        "Review",
        "Accept every span of one label (or relation of one type) from one analyst.",
    ),
    _c(
        "review.send_back",
        "&Send back to the analyst…",
        "Ctrl+Shift+B",
        "Review",
        "Send the document (or the chosen spans) back to the analyst whose layer the review"
        " panel shows, for correction, with a note.",
    ),
    _c(
        "focus.review",
        "Go to the review &panel",
        "Ctrl+Shift+V",
        "Review",
        "Move the keyboard focus to the review panel.",
    ),
    _c(
        "review.gold",
        "G&old document",
        "Shift+F7",
        "Review",
        "Mark the open document, or the documents selected in the list, as gold (curated ones"
        " only); again, take them out of gold.",
    ),
    _c(
        "team.assign",
        "Assign &work…",
        "Shift+F6",
        "Review",
        "Give the documents not yet assigned to analysts, with an overlap, and write each"
        " one's packet.",
    ),
    # -- Help
    _c(
        "help.guidelines",
        "Label &guidelines",
        "F1",
        "Help",
        "Show each label's definition beside the window.",
    ),
    _c(
        "help.shortcuts",
        "&Keyboard shortcuts",
        ("Ctrl+/", "Shift+F1"),
        "Help",
        "Show every key of the window, by task, with a filter.",
    ),
)

BY_ID: dict[str, Command] = {c.id: c for c in COMMANDS}
# Scopes never active at once: a suggestion is chosen only outside review mode.
_APART = {frozenset({"suggestion", "review"})}


def normal(key: str) -> str:
    """A key as compared: modifiers in one order, names in one case ("shift+ctrl+x" and
    "Ctrl+Shift+X" are one key)."""
    parts = [p for p in key.replace(" ", "").split("+")]
    # "Ctrl++" is Ctrl and the plus key: an empty part after a + is the plus key itself
    if key.endswith("++"):
        parts = [*parts[:-2], "+"]
    *mods, last = parts or [""]
    order = {"ctrl": 0, "alt": 1, "shift": 2, "meta": 3}
    named = sorted({m.lower() for m in mods}, key=lambda m: order.get(m, 9))
    return "+".join([*named, last.lower()])


def _overlap(a: Command, b: Command) -> bool:
    if a.scope == "article" or b.scope == "article":
        return True  # the article's keys act where the window's do too
    return frozenset({a.scope, b.scope}) not in _APART


def conflicts(bindings: Mapping[str, Iterable[str]]) -> list[tuple[str, str, str]]:
    """Every (key, command, other command) where two commands that can be active together
    have one key."""
    seen: dict[str, list[str]] = {}
    out = []
    for id, keys in bindings.items():
        for key in keys:
            for other in seen.get(normal(key), []):
                if _overlap(BY_ID[id], BY_ID[other]):
                    out.append((key, other, id))
            seen.setdefault(normal(key), []).append(id)
    return out


def config_dir() -> Path:
    """The user's configuration folder for annotator (XDG on Linux, the usual ones elsewhere)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("annotator", appauthor=False))


def keys_file() -> Path:
    override = os.environ.get("ANNOTATOR_KEYS")
    return Path(override) if override else config_dir() / "keys.json"


def defaults() -> dict[str, tuple[str, ...]]:
    return {c.id: c.keys for c in COMMANDS}


def chosen(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """The keys the user chose (only those that differ from the defaults), from ``keys.json``.

    A file that cannot be read as bindings is refused with its name and why."""
    path = path or keys_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise KeyError_(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise KeyError_(f"{path}: line {getattr(e, 'lineno', 1)}: not JSON ({e})") from None
    if not isinstance(data, dict):
        raise KeyError_(f"{path}: expected an object of command ids and their keys")
    out: dict[str, tuple[str, ...]] = {}
    for id, keys in data.items():
        if id not in BY_ID:
            raise KeyError_(f"{path}: {id!r} is no command (`annotator keys` lists them)")
        if isinstance(keys, str):
            keys = [keys] if keys else []
        if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
            raise KeyError_(f'{path}: {id}: expected a list of keys such as ["Ctrl+Shift+X"]')
        out[id] = tuple(keys)
    return out


def label_key(key: str) -> bool:
    """Whether ``key`` is one a label takes (a digit alone tags the selection)."""
    return len(normal(key)) == 1 and normal(key).isdigit()


def bindings(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Every command's keys: the user's where chosen, else the defaults. Keys of the user's
    that meet another command's, or a label's, are refused, naming both."""
    mine = chosen(path)
    if not mine:
        return defaults()  # the defaults meet nowhere (a test holds them to it)
    for id, keys in mine.items():
        for key in keys:
            if label_key(key):
                raise KeyError_(f"{path or keys_file()}: {key} is a label's key, not {id}'s")
    merged = {**defaults(), **mine}
    clash = conflicts(merged)
    if clash:
        key, first, second = clash[0]
        where = path or keys_file()
        raise KeyError_(
            f"{where}: {key} is both {first} and {second}; give one of them another key"
        )
    return merged


def rebind(id: str, keys: Iterable[str], path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Give command ``id`` these keys (none: no key), refused when one is another command's;
    written to the keys file at once (whole, or not at all). Returns every binding."""
    if id not in BY_ID:
        raise KeyError_(f"{id!r} is no command")
    path = path or keys_file()
    mine = chosen(path)
    wanted = tuple(k for k in keys if k)
    for key in wanted:
        if label_key(key):
            raise KeyError_(f"{key} is a label's key (the digits tag the selection)")
    merged = {**defaults(), **mine, id: wanted}
    for key, first, second in conflicts(merged):
        if id in (first, second):
            other = second if first == id else first
            theirs = next(k for k in merged[other] if normal(k) == normal(key))
            raise KeyError_(f"{theirs} is already {BY_ID[other].text.replace('&', '')} ({other})")
    if wanted == BY_ID[id].keys:
        mine.pop(id, None)
    else:
        mine[id] = wanted
    _write(path, mine)
    return merged


def reset(path: Path | None = None) -> None:
    """Every command back to its default keys."""
    path = path or keys_file()
    if path.exists():
        _write(path, {})


def _write(path: Path, mine: Mapping[str, tuple[str, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({id: list(keys) for id, keys in sorted(mine.items())}, indent=2)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)
