"""Work that grows with the dataset is done once per dataset or once per filter value, not on every run:
counted by wrapping the geo functions the pages call, through real app runs (AppTest)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import cases, choices, find, mapview
from pages.ui import blocks
from tests import apptest


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts calls of the wrapped functions, from empty caches."""
    counter: Counter[str] = Counter()

    def counted(owner: Any, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counter[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    for owner, name in ((mapview, "map_args"), (cases, "resolve"), (blocks, "unplaced_text"),
                        (choices, "option_labels"), (find, "place_index")):
        counted(owner, name)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield counter
    st.cache_data.clear()
    st.cache_resource.clear()


def move_years(at: AppTest, upper: int) -> None:
    lower, _ = at.slider(key="w_years").value
    at.slider(key="w_years").set_value((lower, upper))
    apptest.rerun(at)
    assert not at.exception, at.exception


def test_map_page_builds_per_dataset_and_per_filter_value_only(calls: Counter[str]) -> None:
    at = apptest.open_page("map", lang="en")
    assert not at.exception, at.exception
    first = dict(calls)
    # one case matching per dataset, one payload and one unplaced list per view, the sidebar's name tables once
    assert first["resolve"] == 1 and first["map_args"] == 1 and first["unplaced_text"] == 1
    assert first["option_labels"] > 0
    assert "place_index" not in first  # the city page's index waits for the city page
    apptest.rerun(at)
    apptest.rerun(at)
    assert dict(calls) == first  # nothing grows per run
    _, last = at.slider(key="w_years").value
    move_years(at, last - 1)  # a new filter value: a new payload and list, nothing per dataset again
    assert calls["map_args"] == 2 and calls["unplaced_text"] == 2
    assert calls["resolve"] == 1 and calls["option_labels"] == first["option_labels"]
    move_years(at, last)  # back to a view built before
    assert calls["map_args"] == 2 and calls["unplaced_text"] == 2
    second = apptest.open_page("map", lang="en")  # another session on the same view shares it
    assert not second.exception, second.exception
    assert calls["map_args"] == 2 and calls["resolve"] == 1


def test_a_focused_pairing_and_the_presentation_reuse_the_dataset_work(calls: Counter[str]) -> None:
    at = apptest.open_page("map", lang="en", case="1")
    assert not at.exception, at.exception
    at = apptest.open_page("present", lang="en")
    assert not at.exception, at.exception
    assert calls["resolve"] == 1


def test_the_payload_is_shared_not_copied() -> None:
    """Each call gives a new top-level dict (pages add their keys) around the same, unpickled payload."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = f"""
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from geo.filters import Filters
from pages.ui import component, session
one = component.cached_args(Filters(), 640, session.dataset_token())
one["view"] = {{"center": [0, 0], "zoom": 3}}
two = component.cached_args(Filters(), 640, session.dataset_token())
st.write(f"{{one is two}} {{two.get('view') == one['view']}} {{one['arcs'] is two['arcs']}}")
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "False False True"


def test_the_place_index_is_built_once_when_a_page_needs_it(calls: Counter[str]) -> None:
    for _ in range(2):
        at = apptest.open_page("city", lang="en", city="Nanjing")
        assert not at.exception, at.exception
    assert calls["place_index"] == 1
