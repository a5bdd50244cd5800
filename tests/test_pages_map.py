"""AppTest for the live map's settings and presentation mode: flow grouping and threshold with the ranked list,
saving views for presenting, and a deck of views stepping in presentation mode with the caption in words."""

from __future__ import annotations

import re
from urllib.parse import unquote

from geo import deck, filters, mapview
from geo.filters import Filters
from geo.i18n import t
from geo.load import load_atlas
from tests.apptest import map_args, open_page, rerun

ATLAS = load_atlas()


def words(at) -> str:  # type: ignore[no-untyped-def]
    """The page's Markdown as a reader sees it (escapes taken out)."""
    return " ".join(m.value for m in at.markdown).replace("\\", "")


def test_flow_grouping_threshold_and_ranked_list() -> None:
    at = open_page("map", lang="en", mode="flow")
    args = map_args(at)[0]
    assert len(args["arcs"]) <= mapview.MAX_AUTO_FLOWS and args["legend"]["scale"]["items"]
    ranked = at.dataframe[0].value
    assert list(ranked.columns) == ["#", "Flow", "Pairings"] and ranked["Pairings"].is_monotonic_decreasing
    # The list and the map are the same flows: the widest arc is the first row.
    assert args["arcs"][0][7][0] == f"{ranked['Flow'].iloc[0]}: {ranked['Pairings'].iloc[0]:,} pairings"
    shown = filters.apply(ATLAS.pairings, Filters())
    per_continent = shown.groupby("continent_en").size()
    threshold = int(per_continent.min()) + 1  # the smallest continent's flow is left out
    at.selectbox(key="w_flow_level").set_value("continent")
    at.number_input(key="w_flow_min").set_value(threshold)
    rerun(at)
    args = map_args(at)[0]
    assert len(args["arcs"]) == int((per_continent >= threshold).sum()) < 5
    assert at.query_params["flow"] == "continent" and at.query_params["fmin"] == str(threshold)
    assert args["legend"]["note"], "the flows left out are named"
    assert not at.exception


def test_save_views_for_presenting() -> None:
    at = open_page("map", lang="en", cont="Africa")
    at.button(key="deck_save").click()
    rerun(at)
    at.radio(key="w_mode").set_value("flow")
    rerun(at)
    at.button(key="deck_save").click()
    rerun(at)
    saved = deck.decode(unquote(at.query_params["deck"]))
    assert saved == ["cont=Africa", "cont=Africa&mode=flow"]
    assert any("2 views saved" in c.value for c in at.caption)
    at.button(key="deck_clear").click()
    rerun(at)
    assert "deck" not in at.query_params and not at.exception


def test_presentation_deck_steps_and_states_the_filters_in_words() -> None:
    views = deck.encode(["cont=Africa", "bri=asean&mode=flow", "pair=" + str(ATLAS.pairings["pair_id"].iloc[0])])
    at = open_page("present", lang="en", deck=views, slide="1")
    caption = words(at)
    assert "Showing: Partner continent: Africa" in caption and "View 1 of 3" in caption
    args = map_args(at)[0]
    assert args["present"] is True and args["keys"] is True and args["fit_to"] is not None
    africa = ATLAS.pairings[(ATLAS.pairings["continent_en"] == "Africa") & ATLAS.pairings["placed"]]
    assert len(args["arcs"]) == len(filters.apply(africa, Filters()))
    at.button(key="slide_next").click()
    rerun(at)
    caption = words(at)
    assert "Belt and Road group: ASEAN" in caption and "Flows: Province → country, at least" in caption
    assert at.query_params["slide"] == "2"
    assert all(a[6].startswith("flow:") for a in map_args(at)[0]["arcs"])
    at.button(key="slide_next").click()
    rerun(at)
    first = ATLAS.pairings.iloc[0]
    assert map_args(at)[0]["highlight"] == [str(first["pair_id"])]
    assert f"in focus: {first['cn_name_en']} — {first['partner_name_en']}" in words(at)
    assert at.button(key="slide_next").disabled and not at.exception


def test_map_fits_filtered_pairings_and_flows_but_not_the_world_view() -> None:
    world = map_args(open_page("map", lang="en"))[0]
    assert world["fit_to"] is None, "no filter: the world frame"
    at = open_page("map", lang="en", cont="Africa")
    fit = map_args(at)[0]["fit_to"]
    africa = filters.apply(ATLAS.pairings, Filters(continents=("Africa",)))
    assert fit == mapview.bounds_of(africa, pad=2.0)
    (lat0, lon0), (lat1, lon1) = fit
    assert lat0 < -30 and lat1 > 35 and -30 < lon0 < 0 and 120 < lon1 < 160, fit
    at.radio(key="w_mode").set_value("flow")
    rerun(at)
    flow_fit = map_args(at)[0]["fit_to"]
    assert flow_fit is not None and flow_fit != fit, "flows are framed by their own ends"
    focused = open_page("map", lang="en", cont="Africa", case="1")
    first = ATLAS.pairings[ATLAS.pairings["pair_id"] == map_args(focused)[0]["highlight"][0]]
    assert map_args(focused)[0]["fit_to"] == mapview.bounds_of(first, pad=8.0), "a focused pairing wins"
    assert not at.exception and not focused.exception
    # Unfiltered flows are fitted too: the flow map sits beside the ranked list, too narrow for the world frame,
    # and the frame reaches from Europe to the Americas.
    all_flows = map_args(open_page("map", lang="en", mode="flow", flow="continent"))[0]["fit_to"]
    assert all_flows is not None
    (_, west), (_, east) = all_flows
    assert west < 20 and east > 250, all_flows


def test_presentation_without_a_deck_fits_the_shown_pairings() -> None:
    at = open_page("present", lang="zh")
    args = map_args(at)[0]
    assert args["fit_to"] is not None and args["keys"] is False
    assert "显示：全部友城（未筛选）" in words(at)
    bad = open_page("present", lang="en", deck="cont=Atlantis", slide="x")
    warnings = " ".join(w.value for w in bad.warning)
    assert "'slide'" in warnings and "'x'" in warnings and "'cont'" in warnings and "Atlantis" in warnings
    assert not bad.exception


def test_presentation_honours_a_case_or_pair_outside_a_deck_and_names_bad_values() -> None:
    from geo.export.view import case_links

    at = open_page("present", lang="en", case="1")
    pair = case_links(ATLAS)[1]
    args = map_args(at)[0]
    assert args["highlight"] == [pair] and not at.warning
    rows = ATLAS.pairings[ATLAS.pairings["pair_id"] == pair]
    assert args["fit_to"] == mapview.bounds_of(rows, pad=8.0), "fitted to the case's pairing"
    assert "in focus: Tianjin — Kobe" in words(at)
    bad = open_page("present", lang="en", case="99", pair="P-nope", view="1,2")
    warnings = " ".join(w.value for w in bad.warning).replace("\\", "")
    assert "'99'" in warnings and "'pair'" in warnings and "'view'" in warnings
    assert map_args(bad)[0]["highlight"] == [] and not bad.exception


def test_presentation_warns_about_a_deck_it_cannot_read() -> None:
    at = open_page("present", lang="en", deck="Africa|cont=Africa", slide="1")
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "'deck'" in warnings and "'Africa'" in warnings
    empty = open_page("present", lang="en", deck="|")
    assert any("'deck'" in w.value for w in empty.warning) and "deck" not in empty.query_params
    evil = open_page("present", lang="en", deck="<img src=x onerror=alert(1)>")
    text = " ".join(w.value for w in evil.warning)
    assert "\\<img" in text and not re.search(r"(?<!\\)[<>]", text), "the value is escaped"
    assert not at.exception and not empty.exception and not evil.exception


def test_a_threshold_above_every_flow_is_named_and_can_be_lowered() -> None:
    at = open_page("map", lang="en", mode="flow", cont="Africa", fmin="500")
    africa = filters.apply(ATLAS.pairings, Filters(continents=("Africa",)))
    largest = int(africa.groupby(["cn_province_en", "partner_country_iso3"]).size().max())
    info = " ".join(i.value for i in at.info)
    assert f"{len(africa):,} pairings match, but no flow reaches the threshold of 500" in info
    assert t("no_match", "en") not in info
    args = map_args(at)[0]
    assert args["arcs"] == [] and "no flow reaches" in args["empty_text"]
    at.button(key="flow_lower").click()
    rerun(at)
    assert at.query_params["fmin"] == str(largest) and map_args(at)[0]["arcs"]
    assert not at.info and "empty_text" not in map_args(at)[0] and not at.exception
    present = open_page("present", lang="zh", mode="flow", cont="Africa", fmin="500")
    assert any("没有一条流向达到" in i.value for i in present.info)


def test_a_plain_western_longitude_opens_and_a_bad_view_is_explained() -> None:
    at = open_page("map", lang="en", view="40.7,-74,4")
    assert map_args(at)[0]["view"] == {"center": [40.7, 286.0], "zoom": 4.0} and not at.warning
    bad = open_page("map", lang="en", view="40.7,-200,4")
    warning = " ".join(w.value for w in bad.warning).replace("\\", "")
    assert "'40.7,-200,4'" in warning and "longitude must be between −180 and 180" in warning
    assert map_args(bad)[0]["view"] is None and "view" not in bad.query_params
    zh = open_page("present", lang="zh", view="1,2")
    assert any("纬度,经度,缩放级别" in w.value.replace("\\", "") for w in zh.warning)


def test_the_unplaced_list_gives_each_row_its_reason() -> None:
    at = open_page("map", lang="en")
    missing = filters.apply(ATLAS.pairings, Filters())
    missing = missing[~missing["placed"]]
    text = words(at)
    lines = [line for m in at.markdown for line in m.value.splitlines() if line.startswith("- ")]
    assert len(lines) == len(missing) and all(" · *" in line for line in lines)
    assert "partner: no point on file for it" in text
    zh = open_page("map", lang="zh")
    assert "外方：没有该地的坐标" in words(zh)


def test_an_old_pair_id_opens_its_successor_with_a_notice_and_the_new_id() -> None:
    old, (new, _) = next((o, a) for o, a in sorted(ATLAS.pair_aliases.items()) if a[0])
    at = open_page("map", lang="en", pair=old)
    assert map_args(at)[0]["highlight"] == [new], "the successor is the focused pairing"
    notices = " ".join(i.value for i in at.info).replace("\\", "")
    assert f"older id of this pairing ({old})" in notices and new in notices
    assert at.query_params["pair"] == new and not at.warning and not at.exception
    # In a saved view of a deck the old id is brought up to date as well.
    shown = open_page("present", lang="en", deck=deck.encode(["cont=Asia", f"pair={old}"]), slide="2")
    assert map_args(shown)[0]["highlight"] == [new] and f"pair={new}" in shown.query_params["deck"]
    assert old not in shown.query_params["deck"]
    assert not shown.warning and not shown.exception


def test_an_old_pair_id_without_successor_says_so() -> None:
    old, (_, reason) = next((o, a) for o, a in sorted(ATLAS.pair_aliases.items()) if not a[0])
    at = open_page("map", lang="en", pair=old)
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert f"({old}) from an earlier version of the data" in warnings and "invalid value" not in warnings
    assert map_args(at)[0]["highlight"] == [] and "pair" not in at.query_params and not at.exception
