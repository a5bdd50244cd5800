"""Streamlit AppTest: every page runs in both languages, with and without matches; the map page's filters."""

from __future__ import annotations

import pytest

from geo import filters, mapview
from geo.load import load_atlas
from pages._ui import PAGE_SPECS
from tests.apptest import map_args, open_page, rerun

PAGES = [url for _, url, _, _ in PAGE_SPECS]
# What the map shows by default: ended and suspended ties only on request.
TOTAL = len(filters.apply(load_atlas().pairings, filters.Filters()))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page: str, lang: str) -> None:
    at = open_page(page, lang=lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"
    if page != "present":
        assert at.sidebar.radio(key="lang").value == lang


@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_no_match(page: str) -> None:
    at = open_page(page, q="zzzz-no-such-place", lang="en")
    assert not at.exception, at.exception
    messages = [m.value for m in at.info] + [m.value for m in at.warning] + [m.value for m in at.markdown]
    if page not in ("cases", "city", "method", "data"):
        assert any("No pairings match" in m for m in messages), (page, messages)


def test_map_draws_every_placed_pairing_and_filters_reduce_arcs() -> None:
    at = open_page("map")
    args = map_args(at)[0]
    atlas = load_atlas()
    shown = filters.apply(atlas.pairings, filters.Filters())
    assert len(args["arcs"]) == int(shown["placed"].sum())
    assert at.metric[0].value == f"{TOTAL:,}"

    at.sidebar.multiselect(key="w_bri").select("asean")
    rerun(at)
    asean = map_args(at)[0]
    assert 0 < len(asean["arcs"]) < len(args["arcs"])
    assert at.query_params["bri"] == "asean"
    expected = int((atlas.pairings["bri_group"] == "asean").sum())
    assert at.metric[0].value == f"{expected:,}"

    at.sidebar.checkbox(key="w_unknown").uncheck()
    at.sidebar.slider(key="w_years").set_range(2013, 2026)
    rerun(at)
    recent = map_args(at)[0]
    assert len(recent["arcs"]) < len(asean["arcs"])
    assert at.query_params["y0"] == "2013" and at.query_params["unk"] == "0"


@pytest.mark.parametrize(("key", "value"), [
    ("w_eras", "V"), ("w_continents", "Europe"), ("w_subregions", "Eastern Asia"), ("w_macro", "west"),
    ("w_provinces", "Jiangsu"), ("w_levels", "county"), ("w_countries", "JPN"), ("w_affinities", "language"),
])
def test_each_sidebar_filter_narrows_the_map(key: str, value: str) -> None:
    at = open_page("map")
    before = len(map_args(at)[0]["arcs"])
    at.sidebar.multiselect(key=key).select(value)
    rerun(at)
    assert not at.exception
    after = len(map_args(at)[0]["arcs"])
    assert 0 < after < before, (key, value)


def test_search_formal_colour_and_flow_mode() -> None:
    at = open_page("map", lang="en")
    at.sidebar.text_input(key="w_search").input("Kobe")
    rerun(at)
    args = map_args(at)[0]
    assert all("Kobe" in " ".join(mapview.tooltip_lines(args, a)) for a in args["arcs"])
    at.sidebar.text_input(key="w_search").input("")
    at.sidebar.checkbox(key="w_formal").check()
    at.radio(key="w_color").set_value("affinity")
    rerun(at)
    args = map_args(at)[0]
    assert args["legend"]["title"] == "Affinity (first)"
    at.radio(key="w_mode").set_value("flow")
    rerun(at)
    flows = map_args(at)[0]
    assert flows["arcs"] and all(a[6].startswith("flow:") for a in flows["arcs"])
    assert at.query_params["mode"] == "flow" and at.query_params["formal"] == "1"


def test_bookmarked_view_is_restored() -> None:
    at = open_page("map", lang="en", bri="central_asia", y0="2000", unk="0", color="level")
    assert at.sidebar.multiselect(key="w_bri").value == ["central_asia"]
    assert at.sidebar.slider(key="w_years").value == (2000, 2026)
    args = map_args(at)[0]
    assert args["legend"]["title"] == "Level"
    assert not at.warning


def test_bad_url_values_warn_and_fall_back() -> None:
    at = open_page("map", lang="en", bri="atlantis", y0="abc", color="<b>x</b>")
    warnings = [w.value for w in at.warning]
    assert "Link parameter 'bri' has an invalid value 'atlantis'; the default is used." in warnings
    assert any("'y0'" in w for w in warnings) and any("'color'" in w for w in warnings)
    assert len(map_args(at)[0]["arcs"]) > 2000
    assert not at.exception


def test_case_deep_link_on_map_and_unknown_case() -> None:
    at = open_page("map", case="1")
    args = map_args(at)[0]
    assert args["fit_to"] is not None and args["highlight"]
    at = open_page("map", case="77")
    assert any("77" in w.value for w in at.warning)


def test_cases_page_panel_and_link() -> None:
    at = open_page("cases", case="12", lang="en")
    assert [s.value for s in at.subheader][0].startswith("12.")
    assert map_args(at), "the selected case shows its small map"
    at = open_page("cases", case="abc")
    assert any("abc" in w.value for w in at.warning)
    assert len(at.subheader) == 20


def test_presentation_mode_hides_sidebar_and_keeps_filters() -> None:
    at = open_page("present", bri="asean", lang="en")
    assert not at.sidebar.multiselect
    args = map_args(at)[0]
    assert 0 < len(args["arcs"]) < TOTAL
