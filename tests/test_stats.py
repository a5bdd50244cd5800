"""Aggregations of geo.stats against small hand-counted tables (independent of the real data's size)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import stats

COLUMNS = ["pair_id", "cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "cn_level", "cn_place_id",
           "partner_name_zh", "partner_name_en", "partner_country_iso3", "partner_country_zh", "partner_country_en",
           "partner_level", "partner_place_id", "year", "era_id", "continent_en", "continent_zh", "level_class",
           "bri_group", "placed"]

ROWS = [
    # pair, cn zh, cn en, prov zh, prov en, level, cn place, partner zh, partner en, iso3, ctry zh, ctry en,
    # partner level, partner place, year, era, continent en, continent zh, level class, bri group, placed
    ("P1", "天津市", "Tianjin", "天津市", "Tianjin", "province", "cnprov:Tianjin", "神户市", "Kobe", "JPN", "日本",
     "Japan", "city", "gn:10", 1973, "I", "Asia", "亚洲", "province_state", "none", True),
    ("P2", "南京市", "Nanjing", "江苏省", "Jiangsu", "prefecture", "gn:1", "", "St. Louis", "USA", "美国",
     "United States", "city", "gn:11", 1979, "II", "Americas", "美洲", "city_city", "none", True),
    ("P3", "河口县", "Hekou", "云南省", "Yunnan", "county", "gn:2", "老街市", "Lao Cai", "VNM", "越南", "Vietnam",
     "city", "gn:12", None, "unknown", "Asia", "亚洲", "county", "asean", True),
    ("P4", "南京市", "Nanjing", "江苏省", "Jiangsu", "prefecture", "gn:1", "", "Nowhere", "KAZ", "哈萨克斯坦",
     "Kazakhstan", "city", "", 2014, "V", "Asia", "亚洲", "city_city", "central_asia", False),
    ("P5", "广州市", "Guangzhou", "广东省", "Guangdong", "prefecture", "gn:3", "吉隆坡", "Kuala Lumpur", "MYS",
     "马来西亚", "Malaysia", "city", "gn:14", 2015, "V", "Asia", "亚洲", "city_city", "asean", True),
    ("P6", "江苏省", "Jiangsu", "江苏省", "Jiangsu", "province", "cnprov:Jiangsu", "", "Penang", "MYS", "马来西亚",
     "Malaysia", "state", "gn:15", 2012, "IV", "Asia", "亚洲", "province_state", "asean", True),
    ("P7", "广州市", "Guangzhou", "广东省", "Guangdong", "prefecture", "gn:3", "", "Los Angeles", "USA", "美国",
     "United States", "city", "gn:13", 1981, "II", "", "", "city_city", "none", True),
]

TOTALS = pd.DataFrame([
    {"scope": "national", "key": "", "date": "1973-06-24", "pairs": "1", "source_outlet": "A"},
    {"scope": "national", "key": "", "date": "1980", "pairs": "10", "source_outlet": "B"},
    {"scope": "national", "key": "", "date": "2015-07-01", "pairs": "2209", "source_outlet": "C"},
    {"scope": "country", "key": "USA", "date": "2014-05", "pairs": "243", "source_outlet": "D"},
    {"scope": "country", "key": "USA", "date": "2025-11", "pairs": "288", "source_outlet": "E"},
    {"scope": "city", "key": "Nanjing", "date": "2020", "pairs": "20", "source_outlet": "F"},
])


@pytest.fixture
def df() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def test_unknown_year_count(df: pd.DataFrame) -> None:
    assert stats.unknown_year_count(df) == 1
    assert stats.unknown_year_count(df[df["year"].notna()]) == 0


def test_per_year_split_by_bri_counts_dated_rows_only(df: pd.DataFrame) -> None:
    out = stats.per_year_split(df, "bri")
    assert out["pairings"].sum() == 6  # seven rows, one undated
    as_dict = {(r.year, r.group): r.pairings for r in out.itertuples()}
    assert as_dict == {(1973, "none"): 1, (1979, "none"): 1, (1981, "none"): 1, (2012, "asean"): 1,
                       (2014, "central_asia"): 1, (2015, "asean"): 1}


def test_per_year_split_blank_group_is_unknown(df: pd.DataFrame) -> None:
    out = stats.per_year_split(df, "continent")
    assert set(out["group"]) == {"Asia", "Americas", "unknown"}
    assert out.loc[out["group"] == "unknown", "year"].tolist() == [1981]
    by_era = stats.per_year_split(df, "era")
    assert "unknown" not in set(by_era["group"])  # the undated row is not in a per-year chart
    assert by_era.groupby("group")["pairings"].sum().to_dict() == {"I": 1, "II": 2, "IV": 1, "V": 2}


def test_per_year_split_empty(df: pd.DataFrame) -> None:
    assert stats.per_year_split(df.iloc[0:0], "level").empty


def test_cumulative_and_official_gap(df: pd.DataFrame) -> None:
    cum = stats.cumulative(df).set_index("year")["cumulative"]
    assert cum[1973] == 1 and cum[1980] == 2 and cum[2011] == 3 and cum[2015] == 6
    gap = stats.official_vs_dated(df, TOTALS)
    assert gap["pairs"].tolist() == [1, 10, 2209]
    assert gap["dated_by_then"].tolist() == [1, 2, 6]
    assert gap["source_outlet"].tolist() == ["A", "B", "C"]


def test_as_of_counts(df: pd.DataFrame) -> None:
    assert stats.as_of_counts(df, 1979) == (2, 1)
    assert stats.as_of_counts(df, 2013) == (4, 1)
    assert stats.as_of_counts(df, 1900) == (0, 1)


def test_bri_periods_and_table(df: pd.DataFrame) -> None:
    assert stats.bri_periods(df, "asean") == {"pairings": 3, "before_2013": 1, "since_2013": 1, "year_unknown": 1}
    assert stats.bri_periods(df, "cee") == {"pairings": 0, "before_2013": 0, "since_2013": 0, "year_unknown": 0}
    table = stats.bri_table(df).set_index("bri_group")
    assert table.loc["asean"].tolist() == [3, 1, 1, 1]
    assert table.loc["central_asia"].tolist() == [1, 0, 1, 0]
    assert "none" not in table.index


def test_rankings_with_official_figures(df: pd.DataFrame) -> None:
    countries = stats.ranking(df, "partner_country_iso3", TOTALS, "country")
    assert countries["partner_country_iso3"].tolist()[:2] == ["MYS", "USA"]  # ties broken by key
    usa = countries.set_index("partner_country_iso3").loc["USA"]
    assert usa["pairings"] == 2 and usa["official"] == 288 and usa["official_date"] == "2025-11"
    assert usa["official_source"] == "E"
    assert pd.isna(countries.set_index("partner_country_iso3").loc["JPN", "official"])


def test_city_ranking_counts_municipalities_not_provinces(df: pd.DataFrame) -> None:
    cities = stats.city_ranking(df, TOTALS).set_index("name_en")
    assert cities["pairings"].to_dict() == {"Guangzhou": 2, "Nanjing": 2, "Hekou": 1, "Tianjin": 1}
    assert "Jiangsu" not in cities.index
    assert cities.loc["Nanjing", "official"] == 20 and cities.loc["Nanjing", "official_source"] == "F"


def test_city_ranking_keeps_cities_of_one_english_name_apart(df: pd.DataFrame) -> None:
    # 泰州 (Jiangsu) and 台州 (Zhejiang) are both "Taizhou" in English; a district placed at 台州 counts for it,
    # an unplaced row joins the place of its Chinese name in its province, or stands alone by that name.
    extra = pd.DataFrame([
        ("Q1", "泰州市", "Taizhou", "江苏省", "Jiangsu", "prefecture", "gn:20"),
        ("Q2", "泰州市", "Taizhou", "江苏省", "Jiangsu", "prefecture", "gn:20"),
        ("Q3", "台州市", "Taizhou", "浙江省", "Zhejiang", "prefecture", "gn:21"),
        ("Q4", "椒江区", "Jiaojiang", "浙江省", "Zhejiang", "district", "gn:21"),
        ("Q5", "台州市", "Taizhou", "浙江省", "Zhejiang", "prefecture", "gn:21"),
        ("Q6", "台州市", "Taizhou", "浙江省", "Zhejiang", "prefecture", ""),
        ("Q7", "兴化市", "Xinghua", "江苏省", "Jiangsu", "county", ""),
    ], columns=COLUMNS[:7])
    for column in COLUMNS[7:]:
        extra[column] = df[column].iloc[0]
    totals = pd.concat([TOTALS, pd.DataFrame([{"scope": "city", "key": "Taizhou", "date": "2020", "pairs": "9",
                                               "source_outlet": "G"}])], ignore_index=True)
    ranking = stats.city_ranking(pd.concat([df, extra], ignore_index=True), totals)
    taizhou = ranking[ranking["name_en"] == "Taizhou"].set_index("city")
    assert taizhou["pairings"].to_dict() == {"gn:21": 4, "gn:20": 2}
    assert ranking.set_index("city").loc["name:兴化市|Jiangsu", "pairings"] == 1
    assert taizhou.loc["gn:21", "name_zh"] == "台州市", "the city's own name, not its district's"
    assert taizhou.loc["gn:20", ["name_zh", "province_en"]].tolist() == ["泰州市", "Jiangsu"]
    assert taizhou["official"].isna().all(), "a figure for 'Taizhou' cannot say which Taizhou it counts"
    labels = stats.city_labels(ranking, "en")
    assert "Taizhou (Jiangsu)" in labels and "Taizhou (Zhejiang)" in labels and "Nanjing" in labels
    assert "泰州市" in stats.city_labels(ranking, "zh")
    places = pd.DataFrame({"place_id": ["gn:21"], "name_zh": ["台州"], "name_en": ["Taizhou City"]})
    named = stats.city_ranking(pd.concat([df, extra], ignore_index=True), places=places).set_index("city")
    assert named.loc["gn:21", "name_zh"] == "台州", "names come from the places table where given"


def test_leading_provinces(df: pd.DataFrame) -> None:
    lead = stats.leading_provinces(df, "asean")
    assert lead.set_index("cn_province_en")["pairings"].to_dict() == {"Guangdong": 1, "Jiangsu": 1, "Yunnan": 1}


def test_name_lookup_takes_first_non_empty(df: pd.DataFrame) -> None:
    names = stats.name_lookup(df, "partner_country_iso3", "partner_country_zh", "partner_country_en")
    assert names["USA"] == ("美国", "United States")
    partners = stats.name_lookup(df, "partner_place_id", "partner_name_zh", "partner_name_en")
    assert partners["gn:11"] == ("", "St. Louis")
    assert "" not in partners  # rows without a place id are skipped


def test_city_choices_and_labels(df: pd.DataFrame) -> None:
    choices = stats.city_choices(df)
    by_id = choices.set_index("place_id")
    # Both sides appear; the unplaced partner without a place id does not.
    assert len(choices) == 5 + 6
    assert by_id.loc["gn:1", "pairings"] == 2 and by_id.loc["gn:1", "side"] == "cn"
    assert choices["side"].tolist()[:5] == ["cn"] * 5  # Chinese places first
    assert choices["place_id"].tolist()[:2] in (["gn:1", "gn:3"], ["gn:3", "gn:1"])  # most pairings first
    assert stats.place_label(by_id.loc["gn:1"].to_dict(), "zh") == "南京市 (江苏省)"
    assert stats.place_label(by_id.loc["gn:11"].to_dict(), "zh") == "St. Louis (美国)"  # falls back to English
    assert stats.place_label(by_id.loc["gn:11"].to_dict(), "en") == "St. Louis (United States)"
    assert stats.place_label(by_id.loc["cnprov:Tianjin"].to_dict(), "zh") == "天津市"  # region == name


def test_city_choices_empty(df: pd.DataFrame) -> None:
    assert stats.city_choices(df.iloc[0:0]).empty


def test_city_partners_and_cases(df: pd.DataFrame) -> None:
    rows = stats.city_partners(df, "gn:1")
    assert rows["pair_id"].tolist() == ["P2", "P4"]
    partner_side = stats.city_partners(df, "gn:14")
    assert partner_side["pair_id"].tolist() == ["P5"]
    links = {1: "P1", 2: "P4", 3: None, 4: "P2"}
    assert stats.city_cases(rows, links) == [2, 4]
    assert stats.city_cases(partner_side, links) == []
