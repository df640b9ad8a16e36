"""Checks a returned file passes before any spreadsheet library parses it: zip, OOXML, ODS and
OLE (legacy .xls, encrypted) inspection, bounded so hostile files cannot exhaust memory or time.
"""
