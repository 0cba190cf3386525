"""The article view: the stored text in a read-only editor, its highlights, the arcs and
outlines drawn over it, the find bar, and word edges for snapping a selection. It may import
the plain model and the session models; never a controller or the main window.
"""
