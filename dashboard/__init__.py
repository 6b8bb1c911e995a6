"""The workshop scenario comparer ('Scenariovergelijker'), a Solara page on the model.

Start it with ``make dashboard`` (or ``python -m dashboard``); see docs/DASHBOARD.md.
"""
