"""AppTest of the timeline, rankings, Belt and Road and city pages under several filter states."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo import filters as geo_filters
from geo import stats
from geo.i18n import t
from geo.load import load_atlas
from tests.apptest import open_page, rerun

ATLAS = load_atlas()
# What the pages show by default: ended and suspended ties only on request.
DF = geo_filters.apply(ATLAS.pairings, geo_filters.Filters())
NO_MATCH_EN = t("no_match", "en")
NO_MATCH_ZH = t("no_match", "zh")


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> list[str]:
    return [m.value for kind in (at.info, at.warning, at.caption, at.markdown, at.subheader, at.header)
            for m in kind]


def maps(at: AppTest) -> list[dict[str, Any]]:
    out = []
    for c in at.get("component_instance"):
        payload = json.loads(c.proto.json_args)
        out.append(payload.get("args", payload))
    return out


def charts(at: AppTest) -> list[Any]:
    return list(at.get("vega_lite_chart"))


# --- Timeline -------------------------------------------------------------------------------------------------

def test_timeline_default_states_unknown_years_and_draws_charts() -> None:
    at = open_page("timeline", lang="en")
    ok(at)
    unknown = int(DF["year"].isna().sum())
    expected = t("unknown_caption", "en", n=f"{unknown:,}", shown=f"{len(DF):,}")
    assert expected in [m.value for m in at.info]
    assert len(charts(at)) == 2  # per-year bars and the cumulative curve with the official points
    # The snapshot map: every dated pairing up to the last year, unknown years excluded and counted.
    dated = int(DF["year"].notna().sum())
    last = geo_filters.Filters().year_max
    note = t("snapshot_note", "en", year=last, n=f"{dated:,}", unknown=f"{unknown:,}")
    assert note in [c.value for c in at.caption]
    snap = maps(at)[0]
    assert len(snap["arcs"]) == int((DF["year"].notna() & DF["placed"]).sum())


def test_timeline_split_radio_and_snapshot_year() -> None:
    at = open_page("timeline")
    ok(at)
    at.radio(key="timeline_split").set_value("level")
    at.slider(key="timeline_year").set_value(1990)
    rerun(at)
    ok(at)
    by_1990, unknown = stats.as_of_counts(DF, 1990)
    assert t("snapshot_note", "zh", year=1990, n=f"{by_1990:,}", unknown=f"{unknown:,}") in \
        [c.value for c in at.caption]
    assert len(maps(at)[0]["arcs"]) == int((DF["year"].le(1990).fillna(False) & DF["placed"]).sum())
    assert len(charts(at)) == 2


def test_timeline_unknown_excluded_by_filter_is_said() -> None:
    at = open_page("timeline", lang="en")
    at.sidebar.checkbox(key="w_unknown").uncheck()
    at.sidebar.multiselect(key="w_bri").select("asean")
    rerun(at)
    ok(at)
    asean = DF[DF["bri_group"] == "asean"]
    hidden = int(asean["year"].isna().sum())
    shown = int(asean["year"].notna().sum())
    assert t("unknown_caption", "en", n="0", shown=f"{shown:,}") in [m.value for m in at.info]
    assert t("unknown_hidden", "en", n=f"{hidden:,}") in [c.value for c in at.caption]


def test_timeline_undated_only_says_so() -> None:
    # Countries filtered to pairings that are all undated: no chart, a message, no error.
    undated_only = DF.groupby("partner_country_iso3")["year"].apply(lambda s: s.isna().all())
    iso3 = sorted(undated_only[undated_only].index)[0]
    at = open_page("timeline", lang="en", ctry=iso3)
    ok(at)
    assert t("no_dated", "en") in [m.value for m in at.info]
    assert charts(at) == []


@pytest.mark.parametrize("page", ["timeline", "rankings", "bri"])
def test_no_match_message(page: str) -> None:
    at = open_page(page)
    at.sidebar.text_input(key="w_search").input("zzzz-nothing-matches")
    rerun(at)
    ok(at)
    assert NO_MATCH_ZH in [m.value for m in at.info]
    assert charts(at) == []


# --- Rankings -------------------------------------------------------------------------------------------------

def test_rankings_default_shows_official_figures() -> None:
    at = open_page("rankings", lang="en")
    ok(at)
    assert len(at.tabs) == 4  # countries, provinces, cities, coverage against the official figures
    countries = at.dataframe[0].value
    expected = stats.ranking(DF, "partner_country_iso3", ATLAS.official_totals, "country", top=15)
    assert countries["pairings"].tolist() == expected["pairings"].tolist()
    # Each row carries the latest official figure for its country, with its date and source, as in the data.
    latest = ATLAS.official_totals[ATLAS.official_totals["scope"] == "country"].sort_values("date")
    usa_rows = latest[(latest["key"] == "USA") & (latest["pairs"] != "")]
    usa = countries[countries["name"] == "United States"].iloc[0]
    assert int(usa["official"]) == int(usa_rows["pairs"].iloc[-1])
    assert usa["official_date"] == usa_rows["date"].iloc[-1] and usa["official_source"]
    assert t("rank_caption", "en") in [c.value for c in at.caption]
    assert len(charts(at)) == 1 and len(at.dataframe) == 1, "only the open tab is computed"
    at = open_page("rankings", lang="en", tab="provinces")
    provinces = at.dataframe[0].value
    jiangsu = provinces[provinces["name"] == "Jiangsu"].iloc[0]
    official = ATLAS.official_totals
    assert int(jiangsu["official"]) == int(official[(official["scope"] == "province") & (official["key"] == "Jiangsu")
                                                    & (official["pairs"] != "")].sort_values("date")["pairs"].iloc[-1])


def test_rankings_follow_filters_and_language() -> None:
    at = open_page("rankings")
    at.sidebar.multiselect(key="w_countries").select("USA")
    at.slider(key="rank_top").set_value(5)
    rerun(at)
    ok(at)
    countries = at.dataframe[0].value
    assert countries["name"].tolist() == ["美国"]
    assert countries["pairings"].tolist() == [int((DF["partner_country_iso3"] == "USA").sum())]
    at.sidebar.multiselect(key="w_countries").unselect("USA")
    rerun(at)
    assert len(at.dataframe[0].value) == 5


def test_city_ranking_tells_the_two_taizhous_apart() -> None:
    at = open_page("rankings", lang="en", tab="cities", prov="Jiangsu,Zhejiang")
    at.slider(key="rank_top").set_value(50)
    rerun(at)
    ok(at)
    names = at.dataframe[0].value["name"].tolist()
    assert "Taizhou (Jiangsu)" in names and "Taizhou (Zhejiang)" in names and "Taizhou" not in names
    assert len(names) == len(set(names))
    zh = open_page("rankings", lang="zh", tab="cities", prov="Jiangsu,Zhejiang")
    zh.slider(key="rank_top").set_value(50)
    rerun(zh)
    names = zh.dataframe[0].value["name"].tolist()
    assert "泰州市" in names and "台州市" in names


# --- Belt and Road --------------------------------------------------------------------------------------------

def test_bri_table_and_group_pick() -> None:
    at = open_page("bri", lang="en")
    ok(at)
    table = at.dataframe[0].value
    expected = stats.bri_table(DF)
    assert table["Pairings"].tolist() == expected["pairings"].tolist()
    names = dict(zip(ATLAS.bri["bri_group"], ATLAS.bri["group_en"], strict=True))
    assert table["Belt and Road group"].tolist() == [names[g] for g in expected["bri_group"]]
    assert any("analytical grouping" in c.value for c in at.caption)

    at.selectbox(key="bri_pick").select("asean")
    rerun(at)
    ok(at)
    p = stats.bri_periods(DF, "asean")
    line = t("bri_periods", "en", group="ASEAN", n=f"{p['pairings']:,}", before=f"{p['before_2013']:,}",
             since=f"{p['since_2013']:,}", unknown=f"{p['year_unknown']:,}")
    assert line in [m.value for m in at.markdown]
    arcs = maps(at)[0]["arcs"]
    assert len(arcs) == int(((DF["bri_group"] == "asean") & DF["placed"]).sum())
    leading = at.dataframe[1].value
    assert leading.iloc[:, 1].tolist() == stats.leading_provinces(DF, "asean", top=8)["pairings"].tolist()


def test_bri_group_outside_sidebar_filter() -> None:
    # The sidebar keeps only ASEAN since 2013; picking CIS then overrides the group but keeps the years.
    at = open_page("bri", bri="asean", y0="2013", unk="0")
    ok(at)
    assert at.dataframe[0].value.iloc[:, 0].tolist() == ["东盟"]
    at.selectbox(key="bri_pick").select("cis")
    rerun(at)
    ok(at)
    f = replace(geo_filters.Filters(), year_min=2013, include_unknown=False, bri_groups=("cis",))
    rows = geo_filters.apply(DF, f)
    assert len(maps(at)[0]["arcs"]) == int(rows["placed"].sum())
    assert any(f"共 {len(rows):,} 对" in m.value for m in at.markdown)


# --- City profiles --------------------------------------------------------------------------------------------

def _case_city() -> tuple[str, int]:
    """A Chinese place that is in a case study, and that case's number (from the real case list)."""
    from geo import cases as geo_cases
    from geo import paths

    links = geo_cases.resolve(geo_cases.load_cases(paths.CASES), DF)
    for n, pid in sorted(links.items()):
        if pid:
            return str(DF.loc[DF["pair_id"] == pid, "cn_place_id"].iloc[0]), n
    raise AssertionError("no case resolves to a pairing")


def test_city_deep_link_shows_partners_map_and_case() -> None:
    place_id, case = _case_city()
    at = open_page("city", city=place_id, lang="en")
    ok(at)
    rows = stats.city_partners(ATLAS.pairings, place_id)
    assert at.selectbox(key="city_pick").value == place_id
    assert at.metric[0].value == str(len(rows))
    table = at.dataframe[0].value
    assert len(table) == len(rows)
    unknown = int(rows["year"].isna().sum())
    assert (table["Established"] == "year unknown").sum() == unknown
    the_map = maps(at)[0]
    assert len(the_map["arcs"]) == int(rows["placed"].sum())
    assert the_map["fit_to"] is not None
    links = at.get("page_link")
    assert any(f"case={case}" in link.proto.query_string for link in links)
    # Case links, and the way to the city networks when the city belongs to one.
    assert all(link.proto.page in ("cases", "networks") for link in links)


def test_city_unknown_id_warns_and_falls_back() -> None:
    at = open_page("city", city="gn:not-a-place", lang="en")
    ok(at)
    assert any(w.value.startswith("No city called") for w in at.warning)
    assert at.selectbox(key="city_pick").value is None
    assert maps(at) == []


def test_city_pick_writes_url_and_foreign_city_works() -> None:
    at = open_page("city")
    ok(at)
    assert at.selectbox(key="city_pick").value is None
    foreign = DF.loc[DF["partner_place_id"] != "", "partner_place_id"].value_counts().index[0]
    at.selectbox(key="city_pick").select(foreign)
    rerun(at)
    ok(at)
    assert at.query_params["city"] == [foreign] or at.query_params["city"] == foreign
    assert len(at.dataframe[0].value) == len(stats.city_partners(DF, foreign))


def test_city_profile_ignores_no_match_filters() -> None:
    place_id, _ = _case_city()
    at = open_page("city", city=place_id, q="zzzz-nothing-matches")
    ok(at)
    assert len(at.dataframe[0].value) == len(stats.city_partners(ATLAS.pairings, place_id))
    assert any(t("city_filters_note", "zh") in c.value for c in at.caption)
