"""The ``annotator`` command: ``main`` holds the group and the window it opens, one module per
command group beside it (``transfer``: import and export; ``progress``: stats and report;
``project``: documents, reopen and backup; ``scheme``: labels and relations; ``team``: merge,
agreement, curate; ``suggest``: suggest and patterns), ``common`` what they share, and the
default project and the desktop check used before the window opens. Each command is a thin
wrapper over one core call. It may import everything; it imports the window only to open it.
"""
