"""The city's view over counties' outputs: :mod:`.collect` reads each county's ``scores.json`` (or
its breakdown workbook) into a :class:`.collect.Rollup`; :mod:`.workbook` and :mod:`.docx` write the
county × indicator workbook and the short Word summary."""
