"""annotator: tag claims, quotes, captions and concessions in news articles.

The core (everything outside ``annotator.gui``) never imports Qt.
"""

__version__ = "0.1.0"
