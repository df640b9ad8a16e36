"""Collecting the returned workbooks: discovering them (and unpacking ``.zip``), reading each one
(serially or in the reading pool of the caller's executor), choosing each unit's submission,
merging the units' values with their provenance, then scoring into a
:class:`yongji_xls.records.RunResult` that every writer formats.
"""
