"""``yongji-xls serve``: a local web page for the office, over the same library calls as the CLI.

The page is a front-end like ``cli.py``: it calls :mod:`yongji_xls.api` and shows the result
objects; no reading or scoring happens here. Flask is imported only when serving (the ``web``
extra), so the rest of the tool never needs it.
"""

from __future__ import annotations
