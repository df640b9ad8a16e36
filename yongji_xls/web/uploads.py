"""Reading an HTTP upload's bytes within a limit (a file over it is a 413, never written anywhere).

A .zip is opened by the library (:func:`yongji_xls.api.zip_workbooks`), with the pre-flight's limits.
"""

from __future__ import annotations

from typing import IO

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """An uploaded file over the per-file limit."""


def read_capped(stream: IO[bytes], limit: int) -> bytes:
    buf = bytearray()
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > limit:
            raise TooLarge
