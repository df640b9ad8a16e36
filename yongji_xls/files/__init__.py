"""Small file utilities every stage shares: atomic writes, safe Chinese file names, the user's
cache folder, bundled data folders and zip bundles.
"""
