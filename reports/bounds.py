"""How much of a long list the report prints, and how long a layout may take (a module of
constants, light to import: the CLI's options read them at start-up)."""

from __future__ import annotations

SUMMARISE_ABOVE = 500
"""A report with more findings or passed checks than this is summarised (``report
--summarise-above``): each long list shows counts and its first ``LIST_LIMIT`` rows, every
critical finding still listed, and points at the CSV files beside the report for the rest."""

LIST_LIMIT = 25
"""How many rows of a summarised list are shown: the most severe first, then in the
register's own (stable) order."""

DOT_TIMEOUT = 30.0
"""Seconds Graphviz may take for one layout before the report falls back to a coarser view."""
