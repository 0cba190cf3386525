"""brat's standoff folders: ``.txt``/``.ann`` pairs with ``annotation.conf``, written
(``writing``) and read back (``reading``).
"""
