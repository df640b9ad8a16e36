"""The indicator system as data: the YAML in ``data/``, its loading and checks, the frozen model,
unit shares, the office's unit configuration and the system workbook an office can edit.
"""
