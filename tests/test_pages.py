"""Streamlit AppTest: every page runs in both languages, with and without matches; the map page's filters."""

from __future__ import annotations

import pytest

from app import PAGES as PAGE_SPECS
from geo import filters, find, mapview
from geo.filters import current_year
from geo.load import load_atlas
from tests.apptest import map_args, open_page, rerun

PAGES = [p.url for p in PAGE_SPECS]
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
    # Pages whose content does not follow the filters (the lenses page shows its overview until a chapter is chosen).
    if page not in ("cases", "city", "method", "data", "lenses"):
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
    at.sidebar.slider(key="w_years").set_range(2013, current_year())
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
    assert at.sidebar.slider(key="w_years").value == (2000, current_year())
    args = map_args(at)[0]
    assert args["legend"]["title"] == "Level"
    assert not at.warning


def test_bad_url_values_warn_and_fall_back() -> None:
    at = open_page("map", lang="en", bri="atlantis", y0="abc", color="<b>x</b>")
    warnings = [w.value for w in at.warning]
    assert "Link parameter 'bri' has an invalid value 'atlantis'; the default is used." in warnings
    assert any("'y0'" in w for w in warnings) and any("'color'" in w for w in warnings)
    default_view = filters.apply(load_atlas().pairings, filters.Filters())
    assert len(map_args(at)[0]["arcs"]) == int(default_view["placed"].sum())
    assert not at.exception


def test_case_deep_link_on_map_and_unknown_case() -> None:
    at = open_page("map", case="1")
    args = map_args(at)[0]
    assert args["fit_to"] is not None and args["highlight"]
    at = open_page("map", case="77")
    assert any("77" in w.value for w in at.warning)


def test_cases_page_panel_and_link() -> None:
    at = open_page("cases", case="12", lang="en")
    assert [s.value for s in at.subheader][0].startswith("12\\. Chongqing")
    assert map_args(at), "the selected case shows its small map"
    at = open_page("cases", case="abc")
    assert any("abc" in w.value for w in at.warning)
    assert len(at.subheader) == 20


def test_presentation_mode_hides_sidebar_and_keeps_filters() -> None:
    at = open_page("present", bri="asean", lang="en")
    assert not at.sidebar.multiselect
    args = map_args(at)[0]
    assert 0 < len(args["arcs"]) < TOTAL


# --- Escaping, finding things, the view in the URL ---------------------------------------------------------------

@pytest.mark.parametrize("page", ["map", "cases"])
def test_markdown_in_a_case_link_shows_as_text(page: str) -> None:
    at = open_page(page, case="[x](//e.vil)", lang="en")
    assert not at.exception
    warning = next(w.value for w in at.warning if "x" in w.value)
    # Every Markdown sign is escaped: rendered, the warning reads "[x](//e.vil)" and holds no link.
    assert "\\[x\\]\\(//e\\.vil\\)" in warning
    assert "](//" not in warning.replace("\\]\\(//", "")


def test_unknown_url_parameter_is_named() -> None:
    at = open_page("timeline", lang="en", zoom="7")
    assert any("zoom" in w.value and "not one this app knows" in w.value for w in at.warning)
    assert "zoom" not in at.query_params


@pytest.mark.parametrize("name", ["南京", "南京市", "Nanjing", "nanjing", "gn:1799962"])
def test_city_by_any_name(name: str) -> None:
    at = open_page("city", city=name)
    assert not at.exception
    assert at.selectbox(key="city_pick").value == "gn:1799962"
    assert at.header[0].value.startswith("南京市")
    assert at.query_params["city"] == "gn:1799962"


def test_a_name_of_several_places_offers_the_choice() -> None:
    at = open_page("city", city="Suzhou", lang="en")
    assert any("fits 2 places" in i.value for i in at.info)
    targets = {link.proto.query_string for link in at.get("page_link")}
    assert {"city=gn%3A1886760", "city=gn%3A1793743"} <= targets  # Suzhou (Jiangsu) and Suzhou (Anhui)


def test_country_typed_by_name_in_chinese_mode_and_sorted_by_pinyin() -> None:
    at = open_page("map")
    box = at.sidebar.multiselect(key="w_countries")
    assert find.pinyin(box.options[0]).startswith("a"), box.options[:3]  # Chinese names, by pinyin
    assert box.options == sorted(box.options, key=lambda name: find.sort_key(name, "zh"))
    box.select("Japan")  # typed in English while the interface is Chinese
    rerun(at)
    assert at.query_params["ctry"] == "JPN"
    assert at.sidebar.multiselect(key="w_countries").value == ["JPN"]


def test_subregions_follow_the_continent() -> None:
    at = open_page("map", lang="en", sub="Eastern Asia,Western Europe")
    assert set(at.sidebar.multiselect(key="w_subregions").value) == {"Eastern Asia", "Western Europe"}
    at.sidebar.multiselect(key="w_continents").select("Europe")
    rerun(at)
    subregions = at.sidebar.multiselect(key="w_subregions")
    assert subregions.value == ["Western Europe"]
    assert "Eastern Asia" not in subregions.options and "Western Europe" in subregions.options


def test_show_on_map_names_the_filter_that_hides_the_pair() -> None:
    at = open_page("map", lang="en", case="1", ctry="USA")  # case 1 is Tianjin–Kobe, hidden by country = USA
    hidden = [w.value for w in at.warning if "hidden by the current filters" in w.value]
    assert hidden and "Partner country" in hidden[0]
    at.button(key="clear_hiding").click()
    rerun(at)
    assert "ctry" not in at.query_params
    assert not any("hidden by" in w.value for w in at.warning)
    assert map_args(at)[0]["highlight"]


def test_view_selected_place_year_and_tab_are_in_the_url() -> None:
    at = open_page("map", view="35.5,139.5,5", sel="gn:1799962")
    args = map_args(at)[0]
    assert args["view"] == {"center": [35.5, 139.5], "zoom": 5.0} and args["report_view"] is True
    assert any(s.value.startswith("南京市") for s in at.subheader), "the selected place's partners are listed"
    assert at.query_params["view"] == "35.5,139.5,5" and at.query_params["sel"] == "gn:1799962"
    at = open_page("timeline", year="1990")
    assert at.slider(key="timeline_year").value == 1990 and at.query_params["year"] == "1990"
    at = open_page("rankings", tab="cities", lang="en")
    assert at.query_params["tab"] == "cities"
    assert at.tabs[2].label == "Chinese cities"
    at = open_page("map", view="north,pole,9")
    assert any("'view'" in w.value or "“view”" in w.value for w in at.warning)


def test_ended_ties_checkbox_is_a_filter_in_the_url() -> None:
    at = open_page("map", lang="en")
    box = at.sidebar.checkbox(key="w_ended")
    assert box.label == "Show ended or suspended ties" and box.value is False
    box.check()
    rerun(at)
    assert at.query_params["ended"] == "1"


def test_method_page_counts_every_rule() -> None:
    atlas = load_atlas()
    at = open_page("method", lang="en")
    table = at.dataframe[0].value
    assert len(table) == len(atlas.rules.rules) + 2  # the rules, the fallback and the sourced overrides
    basis = atlas.pairings["affinity_basis"]
    first = atlas.rules.rules[0]
    assert table["Pairings"].iloc[0] == int(basis.str.contains(f"{first.affinity}:{first.id}", regex=False).sum())
    assert table["Rule"].iloc[0] == first.explain_en
    shown = filters.apply(atlas.pairings, filters.Filters()).index
    fallback_only = int((basis.loc[shown] == "opportunity:fallback").sum())
    assert any(f"{fallback_only} pairings carry only the fallback tag" in c.value for c in at.caption)
    zh = open_page("method")
    assert zh.dataframe[0].value["规则"].iloc[0] == first.explain_zh


def test_presentation_figures_follow_the_link() -> None:
    atlas = load_atlas()
    at = open_page("present", bri="asean", lang="en")
    asean = atlas.pairings[atlas.pairings["bri_group"] == "asean"]
    assert at.metric[0].value == f"{len(asean):,}"
    assert len(map_args(at)[0]["arcs"]) == int(asean["placed"].sum())
    assert map_args(at)[0]["fit_to"] is not None, "a filtered view fills the screen"


def test_filters_survive_a_visit_to_presentation_mode() -> None:
    at = open_page("present", bri="asean", lang="en")
    at.switch_page("../pages/views/map.py")
    rerun(at)
    assert not at.exception
    assert at.sidebar.multiselect(key="w_bri").value == ["asean"]
    assert at.query_params["bri"] == "asean" and at.query_params["lang"] == "en"


def test_rankings_tab_is_kept_when_the_language_changes() -> None:
    at = open_page("rankings", tab="provinces", lang="en")
    at.sidebar.radio(key="lang").set_value("zh")
    rerun(at)
    assert not at.exception
    assert at.query_params["tab"] == "provinces"
    assert at.dataframe[0].value["name"].iloc[0].endswith(("省", "市", "区"))

