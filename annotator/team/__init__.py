"""Work of several analysts on one project: merging their project files into a team
project (``merge``, its parts in ``merge_source``, ``merge_checks``, ``merge_scheme``,
``merge_work`` and ``merge_report``), agreement between them (``agreement``) and the curated
layer a curator builds from their spans (``curation``), and work sent back to an analyst for
correction (``send_back``, carried in a packet or an update file, ``send_back_update``). It may
import formats, the store and the plain model; never suggestions, progress or Qt.
"""
