"""The project file: one SQLite database holding documents, spans, relations, labels,
statuses, learned models and the history of every change.

:class:`Store` is the project opened; its parts (``store.spans``, ``store.labels``,
``store.relations``, ``store.statuses``, ``store.models``) each write one kind of thing and return the
:class:`~annotator.changes.Changes` they made. Also here: the schema and its migrations, the
checks a file must pass to be opened as a project, and the active time read from the history.
It may import only the plain model (``annotator.model``, ``changes``, ``offsets``,
``printable``, ``resources``, ``destinations``); never Qt.
"""
