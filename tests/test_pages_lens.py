"""AppTest of the book's other two parts: the chapter lenses (ch. 5–11) and the city networks (ch. 4), their
filters in the sidebar and the URL, the networks layer on the map, memberships in a city profile; and issue 9's
wiring: coverage against the official figures on the rankings page, the basis of each tie type in the tables."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo import coverage, lenses, networks
from geo import filters as geo_filters
from geo.i18n import t
from geo.load import load_atlas
from tests.apptest import map_args, open_page, rerun

ATLAS = load_atlas()
DEFAULT = geo_filters.apply(ATLAS.pairings, geo_filters.Filters())
NETS = networks.book_networks()


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def plain(text: str) -> str:
    """Markdown as a reader sees it (the app escapes the values it fills in)."""
    return re.sub(r"\\(.)", r"\1", text)


def markdown(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def frames(at: AppTest) -> list[Any]:
    return [d.value for d in at.dataframe]


# --- Chapter lenses -----------------------------------------------------------------------------------------------

def test_japan_deep_link_opens_the_lens_with_its_figures_and_map() -> None:
    at = open_page("lenses", lens="japan", lang="en")
    ok(at)
    lens = lenses.get("japan")
    fig = lenses.figures(DEFAULT, lens)
    assert at.header[0].value == "Ch. 7 Japan"
    assert at.radio(key="lens_pick").value == "japan"
    assert at.sidebar.selectbox(key="w_lens").value == "japan"
    assert at.query_params["lens"] == "japan"
    said = markdown(at)
    assert t("lens_says_total_one", "en", n=f"{fig.pairings:,}", total=f"{len(DEFAULT):,}",
             share=f"{fig.share_of_dataset:.1%}", country="Japan") in said
    assert t("lens_says_focus_province_state", "en", n=f"{fig.focus_level:,}",
             share=f"{fig.focus_level / fig.pairings:.1%}") in said
    first = ", ".join(f"{r['cn_name_en']} — {r['partner_name_en']} ({r['established']})"
                      for r in fig.first.to_dict("records"))
    assert first.startswith("Tianjin — Kobe (1973-06-24)")
    assert f"The first year with a dated pairing is 1973: {first}." in said
    assert at.metric[0].value == f"{fig.pairings:,}"
    # The map: Japan's placed pairings, with Tokyo's, Hokkaido's and Niigata's ties drawn strongly.
    args = map_args(at)[0]
    shown = DEFAULT[DEFAULT["partner_country_iso3"] == "JPN"]
    assert len(args["arcs"]) == int(shown["placed"].sum())
    expected = set(shown.loc[lenses.highlight_mask(shown, lens), "pair_id"])
    assert set(args["highlight"]) == expected and len(expected) >= 4
    # The singled-out ties are listed too.
    assert any(len(df) == len(fig.highlighted) and "Tokyo" in set(df.get("Partner", [])) for df in frames(at))


def test_choosing_a_chapter_sets_the_shared_filter() -> None:
    at = open_page("lenses", lang="zh")
    ok(at)
    assert t("lens_none", "zh") in [i.value for i in at.info]
    overview = frames(at)[0]
    assert len(overview) == len(lenses.book_lenses()) == 9
    at.radio(key="lens_pick").set_value("central_asia")
    rerun(at)
    ok(at)
    assert at.query_params["lens"] == "central_asia"
    assert at.header[0].value == "第10章 中亚"
    fig = lenses.figures(DEFAULT, lenses.get("central_asia"))
    assert t("lens_says_total", "zh", n=f"{fig.pairings:,}", total=f"{len(DEFAULT):,}",
             share=f"{fig.share_of_dataset:.1%}", with_ties=fig.countries_with_ties,
             members=fig.member_countries) in markdown(at)
    # Clearing the lens in the sidebar clears the page's choice.
    at.sidebar.selectbox(key="w_lens").set_value("")
    rerun(at)
    ok(at)
    assert "lens" not in at.query_params and at.radio(key="lens_pick").value is None


def test_the_lens_filters_the_map_and_the_statistics() -> None:
    at = open_page("map", lens="usa", lang="en")
    ok(at)
    usa = DEFAULT[DEFAULT["partner_country_iso3"] == "USA"]
    assert len(map_args(at)[0]["arcs"]) == int(usa["placed"].sum())
    assert at.metric[0].value == f"{len(usa):,}"
    at = open_page("rankings", lens="eu", lang="en")
    ok(at)
    countries = frames(at)[0]
    eu = set(lenses.get("eu").countries)
    names = dict(zip(ATLAS.countries["name_en"], ATLAS.countries["iso3"], strict=True))
    assert {names[n] for n in countries["name"]} <= eu
    at = open_page("map", lens="japan", lang="en")
    japan = DEFAULT[DEFAULT["partner_country_iso3"] == "JPN"]
    assert set(map_args(at)[0]["highlight"]) == set(japan.loc[lenses.highlight_mask(japan, lenses.get("japan")),
                                                               "pair_id"])


def test_a_bad_lens_or_network_in_the_link_is_named() -> None:
    at = open_page("map", lens="atlantis", net="nowhere", lang="en")
    ok(at)
    warnings = [w.value for w in at.warning]
    assert any("'lens'" in w and "atlantis" in w for w in warnings)
    assert any("'net'" in w and "nowhere" in w for w in warnings)
    assert "lens" not in at.query_params and "net" not in at.query_params


# --- City networks ------------------------------------------------------------------------------------------------

def test_networks_page_lists_networks_members_and_draws_the_layer() -> None:
    at = open_page("networks", lang="en")
    ok(at)
    tables = frames(at)
    assert len(tables[0]) == len(NETS.networks)  # one row per network
    # One row per network and city, the pages read about it merged: every record counted, none shown twice.
    pairs = NETS.members[["network_id", "city_en"]].drop_duplicates()
    assert len(tables[1]) == len(pairs) and tables[1]["Records"].sum() == len(NETS.members)
    assert not tables[1].duplicated(["Network", "City"]).any()
    assert set(tables[1]["Checked"]) >= {"two readings agree", "single reading"}
    guangzhou = tables[1][(tables[1]["City"] == "Guangzhou") & (tables[1]["Network"].str.contains("Metropolis"))]
    assert len(guangzhou) == 1 and guangzhou["Since"].iloc[0] == "1993" and guangzhou["Until"].iloc[0] == ""
    assert at.metric[1].value == str(networks.member_cities(NETS))
    overlays = map_args(at)[0]["overlays"]
    assert [o["id"] for o in overlays] == ["net_cn", "net_hq", "net_abroad"]
    assert len(overlays[0]["points"]) == NETS.members["place_id"].nunique()
    assert any("Yongin" in c.value for c in at.caption), "an unplaced member abroad is listed"


def test_networks_page_in_chinese_names_what_it_can_and_marks_english_stand_ins() -> None:
    at = open_page("networks", lang="zh")
    ok(at)
    networks_table, members, abroad = frames(at)[:3]
    mark = "†"
    names = list(networks_table["组织"])
    assert "世界大都市协会" in names and "C40 Cities Climate Leadership Group" + mark in names
    assert "新加坡" in list(networks_table["总部"]), "a city-state's HQ takes its country's Chinese name"
    assert not any(n.startswith("C40") and not n.endswith(mark) for n in members["组织"])
    cities = list(abroad["城市"])
    assert "香港" in cities and "阿布扎比" not in cities and "Abu Dhabi" + mark in cities
    assert "吉朗" in cities, "the pairings' Chinese name for the partner drawn at the same place"
    notes = [c.value for c in at.caption if mark in c.value]
    assert len(notes) == 3 and all("没有中文名称" in n for n in notes)
    english = open_page("networks", lang="en")
    assert not any("†" in c.value for c in english.caption)
    assert not any(str(v).endswith("†") for df in frames(english)[:3] for v in df.iloc[:, 1])


def test_members_of_a_network_narrow_the_pairings_everywhere() -> None:
    at = open_page("networks", net="c40", lang="en")
    ok(at)
    c40 = DEFAULT[networks.member_mask(DEFAULT, NETS, "c40")]
    assert at.selectbox(key="net_pick").value == "c40" and at.sidebar.selectbox(key="w_net").value == "c40"
    args = map_args(at)[0]
    assert len(args["arcs"]) == int(c40["placed"].sum())
    assert len(args["overlays"][0]["points"]) == 12
    assert len(frames(at)[1]) == NETS.members.loc[NETS.members["network_id"] == "c40", "city_en"].nunique()
    at = open_page("map", net="c40", lang="en")
    ok(at)
    args = map_args(at)[0]
    assert len(args["arcs"]) == int(c40["placed"].sum()) and args["overlays"][0]["title"] == "Chinese member cities"
    # Choosing another network on the page moves the shared filter and the URL.
    at = open_page("networks", lang="zh")
    at.selectbox(key="net_pick").set_value("unesco_ccn")
    rerun(at)
    ok(at)
    assert at.query_params["net"] == "unesco_ccn" and at.sidebar.selectbox(key="w_net").value == "unesco_ccn"


def test_the_networks_layer_can_be_switched_on_the_map() -> None:
    at = open_page("map", lang="en")
    assert not map_args(at)[0].get("overlays")
    at.toggle(key="w_net_layer").set_value(True)
    rerun(at)
    ok(at)
    overlays = map_args(at)[0]["overlays"]
    assert len(overlays) == 3 and all(o["points"] for o in overlays)


def test_a_city_profile_lists_its_memberships() -> None:
    at = open_page("city", city="gn:1809858", lang="en")  # Guangzhou
    ok(at)
    assert any(s.value.startswith("City networks (") for s in at.subheader)
    table = next(df for df in frames(at) if "Network" in df.columns)
    assert "Metropolis" in " ".join(table["Network"]) and "2022-07-14" in set(table["Until"])
    at = open_page("city", city="南京", lang="en")
    partners = frames(at)[0]
    assert "Basis of the tie type" in partners.columns and partners["Basis of the tie type"].str.len().gt(0).any()


# --- Issue 9: coverage and the basis of the tie type --------------------------------------------------------------

def test_rankings_show_coverage_against_official_figures() -> None:
    at = open_page("rankings", tab="coverage", lang="en")
    ok(at)
    assert at.query_params["tab"] == "coverage"
    tables = frames(at)
    countries = coverage.comparison(coverage.by_country(ATLAS), "en")
    provinces = coverage.comparison(coverage.by_province(ATLAS), "en")
    shown = [df for df in tables if "gap_note" in df.columns]
    assert len(shown) == 2
    assert list(shown[0]["name"]) == list(countries["name"]) and list(shown[1]["name"]) == list(provinces["name"])
    # The official order beside ours, and the gap named.
    assert list(shown[0]["rank_official"]) == sorted(shown[0]["rank_official"])
    usa = shown[0][shown[0]["name"] == "United States"].iloc[0]
    assert usa["gap"] == usa["official"] - usa["ours"]
    assert usa["gap_note"] == coverage.gap_note(usa["gap"], "en")
    c = coverage.coverage(ATLAS)
    assert any(f"{c.comparable:,}" in m and f"{c.official_pairs:,}" in m for m in markdown(at))
    # "Ours (all)" counts the ended ties the rest of the app hides by default, and its heading says so.
    ended = ATLAS.pairings[ATLAS.pairings["status"].isin(("terminated", "suspended"))
                           & (ATLAS.pairings["partner_country_iso3"] != "")]
    everyone = coverage.by_country(ATLAS)
    assert len(ended) and everyone["ours_all"].sum() == (ATLAS.pairings["partner_country_iso3"] != "").sum()
    table = next(d for d in at.dataframe if "gap_note" in d.value.columns)
    assert "ended" in json.loads(table.proto.columns)["ours_all"]["label"]
    assert any("ended and suspended ties" in c.value for c in at.caption)
    at.radio(key="cov_order").set_value("ours")
    at.toggle(key="cov_all").set_value(True)
    rerun(at)
    ok(at)
    everything = [df for df in frames(at) if "gap_note" in df.columns][0]
    assert len(everything) == len(coverage.by_country(ATLAS)) and list(everything["rank_ours"]) == \
        sorted(everything["rank_ours"])


def test_gap_words() -> None:
    assert coverage.gap_note(11, "en") == "11 missing" and coverage.gap_note(-24, "zh") == "比官方多24对"
    assert coverage.gap_note(None, "en") == "no official figure" and coverage.gap_note(0, "en") == "same as official"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_page_shows_the_basis_of_each_tie_type(lang: str) -> None:
    at = open_page("data", lang=lang)
    ok(at)
    table = frames(at)[0]
    assert (table["tie_basis"] != "").mean() > 0.9
    headers = json.loads(at.dataframe[0].proto.columns)
    assert headers["tie_basis"]["label"] == t("col_tie_basis", lang)  # the column's header in the language
