"""An office's system folder is read by PyYAML's C loader only when its nesting is provably shallow,
and what it gives (values and mistakes) is what the pure-Python loader gives."""

from __future__ import annotations

import pytest
import yaml

from yongji_xls.system import load
from yongji_xls.system.load import _MAX_FAST_DEPTH, _shallow, _texts, _yaml_load


def test_the_limit_is_on_both_kinds_of_nesting_at_its_boundary() -> None:
    assert _shallow("a: " + "[" * _MAX_FAST_DEPTH + "]" * _MAX_FAST_DEPTH)
    assert not _shallow("a: " + "[" * (_MAX_FAST_DEPTH + 1) + "]" * (_MAX_FAST_DEPTH + 1))
    assert not _shallow("a: " + "{" * 100 + "[" * (_MAX_FAST_DEPTH - 99))
    assert _shallow("a:\n" + " " * _MAX_FAST_DEPTH + "b: 1")
    assert not _shallow("a:\n" + " " * (_MAX_FAST_DEPTH + 1) + "b: 1")


def test_shipped_files_are_shallow_and_read_alike_by_both_loaders() -> None:
    for name, data in _texts(None).items():
        text = data.decode("utf-8")
        assert _shallow(text), name
        assert _yaml_load(text, trusted=False) == yaml.load(text, Loader=yaml.SafeLoader), name


@pytest.mark.parametrize(
    "text",
    ["a: 1\n b: 2\n", "a: [1, 2\n", "a: 'x\n", "- a\nb: 1\n", "a: &x 1\nb: *y\n", "a: {b: 1, c\n"],
)
def test_a_mistake_gives_the_pure_python_loaders_message(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as python_error:
        yaml.load(text, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.YAMLError) as ours:
        _yaml_load(text, trusted=False)
    assert str(ours.value) == str(python_error.value)


def test_deep_nesting_never_reaches_the_c_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[type] = []
    real = yaml.load

    def spy(text: str, Loader: type) -> object:  # noqa: N803 - PyYAML's keyword
        seen.append(Loader)
        return real(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", spy)
    deep = "a: " + "[" * 5000 + "]" * 5000
    with pytest.raises(RecursionError):
        load._yaml_load(deep, trusted=False)
    assert seen == [yaml.SafeLoader]
