"""The outputs people read: the task-breakdown workbook, the Word report and its chart, the CLI
summary, the analyst's frames and the guarded write stage that puts a run's outputs in place.

Nothing here is imported eagerly: xlsxwriter, python-docx, jinja2 and Pillow load only when an
output is actually written."""
