"""The project file: one SQLite database holding documents, spans, relations, labels,
statuses, learned models and the history of every change.

:class:`Store` is the project opened; its parts (``store.spans``, ``store.labels``,
``store.relations``, ``store.statuses``, ``store.models``) each write one kind of thing and return the
:class:`~annotator.changes.Changes` they made. Also here: the schema and its migrations, the
checks a file must pass to be opened as a project, the active time read from the history, and
which documents carry a team's marks (gold, settled, sent back), asked for a list's rows.
It may import only the plain model (``annotator.model``, ``changes``, ``offsets``,
``printable``, ``resources``, ``destinations``); never Qt.
"""
