"""Work of several analysts on one project: merging their project files into a team
project (``merge``), agreement between them (``agreement``) and the curated layer a curator
builds from their spans (``curation``). It may import formats, the store and the plain model;
never suggestions, progress or Qt.
"""
