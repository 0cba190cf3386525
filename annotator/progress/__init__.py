"""How the work is going: statistics over the project (``statistics``), the same
figures as charts (``charts``) and the self-contained HTML report (``report``). It may import
team work, suggestions, formats, the store and the plain model; never Qt (the charts are
matplotlib Figures that the window puts on a canvas).
"""
