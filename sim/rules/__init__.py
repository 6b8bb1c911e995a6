"""Mechanisms of the monthly update, each a small function over worker columns.

The order in which ``LabourMarketModel.step`` applies them is the process overview of
docs/ODD.md.
"""
