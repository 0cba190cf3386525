"""Dialogs and side windows: import and export, labels and relation types, attributes,
agreement and statistics. Each is given what it shows and the store calls it makes.
"""
