"""Suggesters: rules that propose spans for an analyst to accept, correct or reject.

Each built-in suggester is a module of its own with a ``suggest(text, patterns)`` function,
needing no model and no network; their word lists and patterns come from a patterns file the
project can edit (see :mod:`annotator.suggest.builtin.patterns`). A suggestion
(:mod:`~annotator.suggest.builtin.suggestion`) is a span with a label and a score between 0
and 1; it becomes an annotation only when an analyst accepts it. ``registry`` names them.
"""
