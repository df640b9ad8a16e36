"""The user's cache folder comes from platformdirs, can be moved, and can be turned off."""

from __future__ import annotations

import sys
from pathlib import Path

from yongji_xls.files.user_cache import ENV_VAR, cache_dir


def test_cache_folder_is_the_platforms_and_can_be_moved_or_turned_off(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_dir() == tmp_path / "xdg" / "yongji-xls"
    assert cache_dir() is not None and "yongji-xls" in cache_dir().parts
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "mine"))
    assert cache_dir() == Path(tmp_path / "mine")
    monkeypatch.setenv(ENV_VAR, "off")
    assert cache_dir() is None
