"""Suggestions: spans proposed for an analyst to accept or reject. ``running`` runs the
built-in suggesters (``builtin``) or an analyst's own model command and stores what they
propose; ``learned`` trains a model on the analysts' own spans and proposes with it. It may import formats, the store and the plain model; never team work, progress or
Qt.
"""
