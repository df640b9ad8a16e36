"""Collecting the returned workbooks: discovering and reading them (in a process pool), merging
the units' values with their provenance, and the run result every writer formats.
"""
