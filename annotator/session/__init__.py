"""What an analyst has open, as plain models the window listens to: the open document
with its spans and selection (``document_model``). No Qt: its events are plain callbacks, so
its tests need no window. It may import everything below the window.
"""
