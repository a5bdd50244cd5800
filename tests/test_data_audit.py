"""An auditor's checks of the embedded data: places, seats, names, duplicates, sources, status and cases.

These read the committed data/ (and the build's own placement checks), so a rebuild that breaks any of them fails
here as well as in the build.
"""

from __future__ import annotations

import csv
import math
import re
from functools import lru_cache

import pandas as pd
import pytest

from geo import mapview, paths
from geo.build import checks
from geo.build.claims import WIKI_EN
from geo.cases import load_cases, resolve
from geo.load import Atlas, load_atlas
from geo.names import loose


@lru_cache(maxsize=1)
def atlas() -> Atlas:
    return load_atlas()


def rows() -> list[dict[str, str]]:
    with paths.PAIRINGS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def places() -> dict[str, dict[str, str]]:
    with paths.PLACES.open(encoding="utf-8", newline="") as fh:
        return {r["place_id"]: r for r in csv.DictReader(fh)}


def pair(cn_en: str, partner_en: str) -> pd.Series:
    df = atlas().pairings
    hit = df[(df["cn_name_en"] == cn_en) & (df["partner_name_en"] == partner_en)]
    assert len(hit) == 1, (cn_en, partner_en, len(hit))
    return hit.iloc[0]


def km(a: pd.Series, b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a["partner_lat"], a["partner_lon"], *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


# --- places ---------------------------------------------------------------------------------------------------

def test_every_placed_point_lies_inside_its_country_and_province() -> None:
    assert checks.point_problems(places()) == []


def test_every_first_level_partner_sits_at_its_seat() -> None:
    assert checks.seat_problems(rows(), places()) == []


def test_the_checks_catch_a_point_outside_its_country_and_a_state_at_a_namesake() -> None:
    bad = dict(places())
    bad["gn:test"] = {"place_id": "gn:test", "side": "partner", "name_en": "Kobe", "country_iso3": "JPN",
                      "province_en": "", "lat": "48.85", "lon": "2.35"}  # Paris
    assert any("gn:test" in p for p in checks.point_problems(bad))
    # Missouri placed at Bozeman, Montana: inside the USA, 1,500 km from Missouri.
    bad["area:USA:missouri"] = {**bad["area:USA:missouri"], "lat": "45.6796", "lon": "-111.0386"}
    problems = checks.seat_problems(rows(), bad)
    assert any(p.startswith("Missouri (USA)") for p in problems)


@pytest.mark.parametrize(("cn", "partner", "near", "max_km"), [
    ("Hainan", "Washington State", (47.04, -122.90), 10),  # Olympia, not Washington DC
    ("Hebei", "Missouri", (38.58, -92.17), 10),  # Jefferson City, not Bozeman
    ("Shanghai", "Jalisco", (20.67, -103.35), 10),  # Guadalajara, not a village in Chiapas
    ("Jiangsu", "Tuscany", (43.78, 11.25), 10),  # Florence
    ("Fengtai (Beijing)", "Seoul – Gangdong", (37.57, 126.98), 40),  # inside Seoul, not in Gangwon
    ("Yingkou", "Ota (Gunma)", (36.29, 139.38), 10),  # Ōta in Gunma, not Tokyo's Ōta ward
    ("Chongqing", "Minsk Region", (53.90, 27.57), 10),  # its seat Minsk, a city outside the region
    ("Sichuan", "West Java", (-6.92, 107.61), 10),  # Bandung
    ("Lu'an", "Hanover Region", (52.37, 9.73), 10),  # Hanover
    ("Hongkou (Shanghai)", "Dongnae-gu", (35.20, 129.08), 10),  # Busan's Dongnae, not the one in Gangwon
    ("Dongcheng (Beijing)", "Jongno-gu", (37.57, 126.98), 10),  # a ward of Seoul, at Seoul
    ("Nantong", "Gimje", (35.80, 126.89), 10),  # GeoNames' Kimje, North Jeolla
    ("Jinhua", "Karadeniz Ereğli", (41.28, 31.42), 10),  # on the Black Sea, not Ereğli in Konya
    ("Liaoning", "Northern Province (Zambia)", (-10.21, 31.18), 10),  # Kasama, not Kasempa
    ("Qinghai", "Kouilou Department", (-4.66, 11.81), 10),  # Loango, its seat since 2002
])
def test_namesakes_are_not_used(cn: str, partner: str, near: tuple[float, float], max_km: float) -> None:
    assert km(pair(cn, partner), near) <= max_km


def test_state_level_partners_do_not_claim_city_precision() -> None:
    df = atlas().pairings
    states = df[(df["partner_level"] == "state") & df["placed"]]
    assert (states["partner_precision"] != "city").mean() > 0.99


def test_a_district_of_dalian_is_not_placed_at_jinzhou_in_liaoning() -> None:
    df = atlas().pairings
    jinzhou_district = df[df["cn_name_zh"].str.contains("金州")]
    jinzhou_city = df[df["cn_name_zh"] == "锦州市"]
    assert len(jinzhou_district) and len(jinzhou_city)
    assert set(jinzhou_district["cn_place_id"]).isdisjoint(set(jinzhou_city["cn_place_id"]))


# --- names ----------------------------------------------------------------------------------------------------

def test_each_foreign_place_has_one_chinese_name_in_simplified_characters() -> None:
    """Every pairing with a place writes it the same way (伯明翰, not 伯明罕 in one row and 伯明翰市 in another);
    a list's other name is kept in the pairing's note."""
    from geo.build.partners import simplified

    df = atlas().pairings
    placed = df[df["partner_place_id"] != ""]
    names = placed.groupby("partner_place_id")["partner_name_zh"].nunique()
    assert names[names > 1].index.tolist() == []
    for column in ("partner_name_zh", "cn_name_zh"):
        assert [n for n in df[column].unique() if simplified(n) != n] == []
    assert [p["name_zh"] for p in places().values() if simplified(p["name_zh"]) != p["name_zh"]] == []
    birmingham = df[(df["partner_name_en"] == "Birmingham") & (df["partner_country_iso3"] == "GBR")]
    assert set(birmingham["partner_name_zh"]) == {"伯明翰"}
    assert df["note"].str.contains("listed in Chinese as").sum() > 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cities_are_labelled_as_themselves_on_the_map(lang: str) -> None:
    a = atlas()
    args = mapview.map_args(a.pairings, lang=lang, color_by="era", eras=a.eras, revision=1)
    labels = {p[0]: p[3] for p in args["places"]}
    expected = {"青岛市": "Qingdao", "苏州市": "Suzhou", "厦门市": "Xiamen", "深圳市": "Shenzhen"}
    for zh, en in expected.items():
        ids = set(a.pairings.loc[a.pairings["cn_name_zh"] == zh, "cn_place_id"])
        assert len(ids) == 1, zh
        assert labels[ids.pop()] == (zh if lang == "zh" else en)
    for district in ("崂山区", "姑苏区", "思明区", "宝安区", "Laoshan", "Gusu", "Siming", "Bao'an"):
        assert district not in labels.values()


def test_a_city_never_takes_its_regions_chinese_name() -> None:
    p = places()
    region_names = {r["name_zh"] for r in p.values() if r["precision"] in ("region_capital", "region_centre")
                    and r["name_zh"]}
    cities = {r["name_en"]: r["name_zh"] for r in p.values() if r["precision"] == "city" and r["side"] == "partner"}
    assert cities["Florence"] != "托斯卡纳大区" and cities["Novosibirsk"] != "新西伯利亚州"
    assert cities["Bloemfontein"] != "自由州省"
    clashes = [n for n, zh in cities.items() if zh in region_names and not re.search("[市町村]$", zh)]
    assert clashes == []


def test_most_partners_have_a_chinese_name() -> None:
    df = atlas().pairings
    assert (df["partner_name_zh"] != "").mean() >= 0.75
    assert not df["partner_name_zh"].str.contains("[\uac00-\ud7af\u3040-\u30ff]").any()  # no Hangul or kana


# --- one row per tie, every row sourced -----------------------------------------------------------------------

def test_size_dates_and_sources() -> None:
    df = atlas().pairings
    assert len(df) >= 2750
    assert (df["established"] != "").mean() >= 0.65
    assert (df["source"].str.strip() != "").all()
    assert ((df["established"] == "") | (df["date_source"] != "")).all()


def test_no_tie_is_counted_twice() -> None:
    df = atlas().pairings
    unit = df["cn_province_en"] + "|" + df["cn_name_zh"].where(df["cn_name_zh"] != "", df["cn_name_en"])
    partner = df["partner_name_en"].map(loose) + "|" + df["partner_country_iso3"] + "|" + df["partner_level"]
    assert not (unit + "|" + partner).duplicated().any()
    placed = df[df["placed"] & (df["partner_precision"] == "city")]
    key = placed["cn_place_id"] + "|" + placed["cn_name_zh"] + "|" + placed["partner_place_id"]
    assert not key.duplicated().any()


@pytest.mark.parametrize(("cn", "gone", "kept", "date"), [
    ("Liyang", "Matto", "Hakusan", "1996-10-23"),  # municipal mergers in Japan: one tie, the successor's name
    ("Suqian", "Kaseda", "Minamisatsuma", "2002-10-27"),
    ("Shaoxing", "Fukumitsu", "Nanto (formerly Fukumitsu)", "1983-03-21"),  # the more precise date kept
    ("Yueyang", "Akabira", None, None),  # the prefecture's row was its county-level city Miluo's tie
    ("Zhenjiang", "Shibata", None, None),
])
def test_a_tie_under_a_former_or_parent_name_is_counted_once(cn: str, gone: str, kept: str | None,
                                                             date: str | None) -> None:
    df = atlas().pairings
    assert df[(df["cn_name_en"] == cn) & (df["partner_name_en"] == gone)].empty
    if kept:
        assert pair(cn, kept)["established"] == date


def test_a_tie_filed_under_two_countries_or_two_names_of_one_state_is_counted_once() -> None:
    df = atlas().pairings
    haikou = df[(df["cn_name_en"] == "Haikou") & (df["partner_name_en"] == "Chornomorsk")]
    assert list(haikou["partner_country_iso3"]) == ["UKR"]
    hainan = df[(df["cn_name_en"] == "Hainan") & (df["partner_country_iso3"] == "USA")]
    assert list(hainan["partner_name_en"]).count("Hawaii") == 1 and "夏威夷岛" not in set(hainan["partner_name_en"])


def test_a_date_decision_keeps_the_date_two_sources_agree_on_and_says_what_it_set_aside() -> None:
    row = pair("Kunming", "Fujisawa")
    assert row["established"] == "1981-11-05"
    assert "1981-01-15" in row["date_note"] and "set aside" in row["date_note"]


def test_an_unidentified_partner_is_not_placed_at_a_namesake() -> None:
    df = atlas().pairings
    as_given = df[df["partner_name_en"].str.endswith("(as given)")]
    assert len(as_given) >= 3 and not as_given["placed"].any()


def test_bengbu_keeps_the_partners_huainan_was_credited_with() -> None:
    df = atlas().pairings
    huainan = set(df.loc[df["cn_name_en"] == "Huainan", "partner_name_en"])
    bengbu = set(df.loc[df["cn_name_en"] == "Bengbu", "partner_name_en"])
    assert {"Bergamo", "Settsu", "Szolnok", "Tameside", "Barra Mansa"} <= bengbu
    assert huainan.isdisjoint({"Bergamo", "Settsu", "Szolnok", "Tameside", "Barra Mansa"})


# --- status, tie type, dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("cn", "partner", "status", "date"), [
    ("Shanghai", "Prague", "terminated", "2020-01-14"),
    ("Shanghai", "Gothenburg", "terminated", "2020-04-22"),
    ("Nanjing", "Nagoya", "suspended", "2012"),
])
def test_ended_ties_carry_their_status_and_source(cn: str, partner: str, status: str, date: str) -> None:
    row = pair(cn, partner)
    assert (row["status"], row["status_date"]) == (status, date)
    assert row["status_source"]


def test_a_row_known_only_from_english_wikipedia_is_not_formal() -> None:
    df = atlas().pairings
    wiki_only = df[df["source"] == WIKI_EN]
    assert len(wiki_only) > 100
    assert (wiki_only["tie_type"] == "unknown").all()
    assert wiki_only["tie_basis"].str.contains("English Wikipedia").all()


def test_jiujiangs_suspect_dates_are_not_used() -> None:
    df = atlas().pairings
    jiujiang = df[df["cn_name_en"] == "Jiujiang"]
    assert len(jiujiang) >= 10
    assert not jiujiang["date_source"].str.contains("chinapedia").any()
    conflicts = pd.read_csv(paths.DATA / "CONFLICTS.csv", dtype=str, keep_default_na=False)
    assert conflicts["decision"].str.contains("SUSPECT_DATES").sum() >= 10


def test_every_conflict_names_both_sources_and_a_decision() -> None:
    conflicts = pd.read_csv(paths.DATA / "CONFLICTS.csv", dtype=str, keep_default_na=False)
    assert len(conflicts) > 50
    assert (conflicts["other_source"] != "").all() and (conflicts["decision"] != "").all()


def test_cases_agree_with_the_data() -> None:
    cases = load_cases(paths.CASES)
    df = atlas().pairings.set_index("pair_id")
    resolved = resolve(cases, atlas().pairings)
    for case in cases:
        pid = resolved[case["number"]]
        if case["kind"] != "pairing":
            continue
        assert pid, case["number"]
        if case.get("established"):
            assert str(df.at[pid, "established"]) == str(case["established"]), case["number"]
    case19 = next(c for c in cases if c["number"] == 19)
    assert case19["partner_country_iso3"] == "ZAF" and "Cacadu" in case19["partner_name_en"]


# English forms that are not the pinyin of the Chinese name: names from Mongolian, Uyghur, Tibetan and Manchu, an
# official renaming, and a heteronym the pinyin dictionary reads otherwise (漯 luò).
EXONYMS = {"Hulunbuir", "Lhasa", "Kashgar", "Golmud", "Ürümqi", "Turpan", "Karamay", "Qiqihar", "Hohhot", "Harbin",
           "Erenhot", "Shangri-La", "Xilinhot", "Ulanqab", "Luohe",
           "Mori"}  # 木垒 (Mulei) Kazakh Autonomous County: its English name follows the Kazakh form


def test_chinese_places_are_named_by_themselves_not_their_seat_town() -> None:
    """GeoNames files many counties and districts under their seat town's name (开平市 as 'Changsha', 常熟市 as
    'Yushan', 西城区 as 'Jinrongjie'); the build must name each place by its own name."""
    from geo.build.gazetteer import sounds
    from geo.names import fold, strip_cn_suffix

    places = pd.read_csv(paths.PLACES, dtype=str, keep_default_na=False)
    cn = places[(places["side"] == "cn") & (places["name_zh"] != "") &
                ~places["place_id"].str.startswith(("cnprov:", "cnseat:"))]
    wrong = [(r.name_en, r.name_zh) for r in cn.itertuples() if r.name_en not in EXONYMS and
             re.sub(r"[^a-z]", "", fold(r.name_en.removesuffix(" County"))) not in sounds(strip_cn_suffix(
                 re.sub(r"^.+?市(?=.+[区县])", "", r.name_zh)))]
    assert wrong == []
    by_zh = dict(zip(cn["name_zh"], cn["name_en"], strict=False))
    assert by_zh["开平市"] == "Kaiping" and by_zh["常熟市"] == "Changshu" and by_zh["高安市"] == "Gao'an"
    assert by_zh["南靖县"] == "Nanjing County"
