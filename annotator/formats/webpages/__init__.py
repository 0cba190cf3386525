"""Saved web pages as articles: the main text and its metadata (``reading``), and the
pictures' captions found in the page (``captions``) and put back where they stood
(``placing``), by where the extracted paragraphs stand in the page (``page_order``); what an
element shows its reader (``markup``) serves them all.
"""
