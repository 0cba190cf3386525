"""Saved web pages as articles (``reading``): the page's bytes as text (``charset``), parsed
(``parsing``), a copy of it pruned of what is not the article (``pruning``) with its layout
read as blocks (``blocks``), the extractor's text as paragraphs (``paragraphs``) and the
page's metadata (``metadata``); the pictures' captions found in the page (``captions``) and
put back where they stood (``placing``), by where the extracted paragraphs stand in the page
(``page_order``). What an element shows its reader (``markup``) serves them all.
"""
