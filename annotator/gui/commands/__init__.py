"""Undo steps: one ``QUndoCommand`` per change an analyst makes to spans, labels,
relations, relation types and suggestions. ``redo`` writes to the store and hands the
changes it made to the window; ``undo`` reverses exactly that.
"""
