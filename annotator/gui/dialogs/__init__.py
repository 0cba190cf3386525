"""Dialogs and side windows: import and export, labels and relation types, attributes,
agreement and statistics, the note sent back with a document. Each is given what it shows and the store calls it makes.
"""
