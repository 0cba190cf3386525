"""Saved web pages as articles: the main text and its metadata (``reading``), and the
pictures' captions found in the page and put back where they stood (``captions``).
"""
