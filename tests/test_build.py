"""Build-time name resolution: Chinese names, districts, municipalities, countries, partner names, dates."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import eras
from geo.build.claims import WIKI_EN, Claim, parse_raw_date
from geo.build.countries import country_rows, iso3_for_country_name
from geo.build.gazetteer import Gazetteer, GazetteerHit, korean_key
from geo.build.merge import Tie, choose_date, choose_tie_type
from geo.build.pairings import _subunit, normalise_cn_side, partner_level
from geo.names import fold, strip_cn_suffix


@pytest.mark.parametrize(("args", "expected"), [
    (("Beijing", "北京市", "Beijing", "city"), ("Beijing", "北京市", "province")),
    (("Chaoyang (Beijing)", "朝阳区", "Beijing", "county"), ("Chaoyang (Beijing)", "朝阳区", "district")),
    (("Xiangzhou (Xiangyang)", "襄阳县(今襄州区)", "Hubei", ""), ("Xiangzhou (Xiangyang)", "襄阳县", "county")),
    (("Anqing", "安庆市", "Anhui", "city"), ("Anqing", "安庆市", "prefecture")),
    (("Xinyi", "新沂市", "Jiangsu", "county"), ("Xinyi", "新沂市", "county")),
])
def test_normalise_cn_side(args: tuple[str, str, str, str], expected: tuple[str, str, str]) -> None:
    assert normalise_cn_side(*args) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("安庆市", "安庆"), ("河口瑶族自治县", "河口"), ("黔南布依族苗族自治州", "黔南"),
    ("元江哈尼族彝族傣族自治县", "元江"),
    ("兴安盟", "兴安"), ("市", "市"),
])
def test_strip_cn_suffix(name: str, expected: str) -> None:
    assert strip_cn_suffix(name) == expected


def test_fold() -> None:
    assert fold("Kraków") == fold("krakow") == "krakow"
    assert fold("Saint-Étienne") == "saint etienne"


@pytest.mark.parametrize(("name", "expected"), [
    ("Seoul – Gangnam", ("Gangnam", "Seoul")), ("Vienna 11 – Simmering", ("Simmering", "Vienna")),
    ("Gwanak-gu (Seoul)", ("Gwanak-gu", "Seoul")), ("Kobe", None),
])
def test_subunit(name: str, expected: tuple[str, str] | None) -> None:
    assert _subunit(name) == expected


@pytest.mark.parametrize(("revised", "other"), [
    ("Gimje", "Kimje"), ("Gurye", "Kurye"), ("Yeongcheon", "Yŏngch’ŏn"), ("Jecheon", "Chech'ŏn"),
    ("Eumseong County", "Ŭmsŏng"), ("Bupyeong-gu", "Pupyŏng"), ("Gwangju-si", "Kwangju"),
])
def test_korean_romanisations_share_a_key(revised: str, other: str) -> None:
    assert korean_key(revised) == korean_key(other)


@pytest.mark.parametrize(("a", "b"), [("Gimje", "Gimhae"), ("Siheung", "Sihŭng-ni"), ("Boeun", "Buan")])
def test_different_korean_names_keep_different_keys(a: str, b: str) -> None:
    assert korean_key(a) != korean_key(b)


def _korean_gazetteer(*places: tuple[int, str, str, list[str]]) -> Gazetteer:
    gaz = Gazetteer.__new__(Gazetteer)  # without the 179 MB GeoNames load: only the Korean index is used
    gaz._by_korean = {}
    for gid, name, admin1, alts in places:
        gaz._index_korean(GazetteerHit(gid, name, 0.0, 0.0, "KR", admin1, 0), [name, *alts])
    return gaz


def test_find_korean_takes_one_place_and_never_a_choice_of_namesakes() -> None:
    gaz = _korean_gazetteer((1842939, "Kimje", "03", ["Kimje-si"]), (1834203, "Dongnae", "10", ["Tongnae", "동래"]),
                            (8716274, "Dongnae", "06", ["동내"]))
    hit = gaz.find_korean("Gimje")
    assert hit is not None and hit.geonameid == 1842939
    assert gaz.find_korean("Dongnae-gu") is None  # Busan's or Gangwon's: left to a hand fix
    assert gaz.find_korean("Pocheon") is None


@pytest.mark.parametrize(("name", "iso3"), [
    ("United States", "USA"), ("South Korea", "KOR"), ("North Korea", "PRK"), ("Congo", "COG"),
    ("DR Congo", "COD"), ("Ivory Coast", "CIV"), ("Palestine", "PSE"), ("Czechia", "CZE"), ("Niger", "NER"),
    ("Atlantis", None),
])
def test_country_names(name: str, iso3: str | None) -> None:
    assert iso3_for_country_name(name) == iso3


def test_country_table_from_cldr() -> None:
    rows = {r["iso3"]: r for r in country_rows()}
    assert rows["JPN"]["name_zh"] == "日本" and rows["JPN"]["subregion_en"] == "Eastern Asia"
    assert rows["BRA"]["continent_en"] == "Americas" and rows["BRA"]["continent_zh"] == "美洲"
    assert rows["GBR"]["iso2"] == "GB"  # country_converter writes this one as a pattern
    assert "TWN" not in rows and "HKG" not in rows  # parts of China, never partners


def test_partner_level() -> None:
    assert partner_level("Alameda County", "state", "USA") == "county"
    assert partner_level("Maryland", "state", "USA") == "state"
    assert partner_level("Leduc County", "unknown", "CAN") == "county"
    assert partner_level("Somewhere", "unknown", "FRA") == "unknown"


def _claim(date: str, cls: str, source: str, **kw: str) -> Claim:
    return Claim("t", source, cls, date=date, **kw)  # type: ignore[arg-type]


def test_choose_date_follows_the_written_precedence() -> None:
    tie = Tie("u", "ITA", [_claim("1976-06-25", "cn_list", "zh list"), _claim("1979-06-25", "official", "Shanghai FAO"),
                           _claim("1979", "enwiki", WIKI_EN)])
    conflicts: list = []
    date, source, note, _ = choose_date(tie, "Shanghai – Milan", conflicts)
    assert (date, source) == ("1979-06-25", "Shanghai FAO")
    assert "other sources give 1976-06-25" in note
    assert [(c.kept, c.other, c.other_source) for c in conflicts] == [("1979-06-25", "1976-06-25", "zh list")]
    assert choose_date(Tie("u", "X", []), "", []) == ("", "", "", "")


def test_a_later_formal_agreement_supersedes_a_letter_of_intent_and_dates_the_tie() -> None:
    """Hebei–New Brunswick: a letter of intent (2017-05-11, a news report ranked higher) then the agreement
    (2018-01-16): the tie is formal and dated by its agreement; the intent stays in the conflicts."""
    tie = Tie("u", "CAN", [_claim("2017-05-11", "official", "intent page", tie_type="intent"),
                           _claim("2018-01-16", "news", "agreement page", tie_type="formal")])
    conflicts: list = []
    tie_type, _ = choose_tie_type(tie, "Hebei – New Brunswick", conflicts)
    assert tie_type == "formal"
    assert choose_date(tie, "Hebei – New Brunswick", conflicts, tie_type)[:2] == ("2018-01-16", "agreement page")
    assert any(c.field == "tie_type" and c.other == "intent" for c in conflicts)
    # An intent with no later agreement stays an intent, dated by its letter.
    alone = Tie("u", "CAN", [_claim("2019-03-01", "official", "intent page", tie_type="intent"),
                             _claim("2015", "news", "older agreement", tie_type="formal")])
    assert choose_tie_type(alone, "", [])[0] == "intent"


def test_choose_date_refines_with_a_more_precise_agreeing_source() -> None:
    tie = Tie("u", "USA", [_claim("1979", "official", "FAO"), _claim("1979-10-31", "news", "Hubei TV")])
    date, source, note, _ = choose_date(tie, "", [])
    assert (date, source) == ("1979-10-31", "Hubei TV") and "1979 per official list" in note


def test_suspect_dates_are_not_used_but_reported() -> None:
    tie = Tie("u", "GRC", [_claim("2008-12-05", "cn_list", "zh list", date_problem="SUSPECT_DATES: not used")])
    conflicts: list = []
    assert choose_date(tie, "Jiujiang – Chios", conflicts)[0] == ""
    assert conflicts and conflicts[0].decision.startswith("not used")


def test_english_wikipedia_alone_is_not_formal() -> None:
    tie_type, basis = choose_tie_type(Tie("u", "RUS", [_claim("", "enwiki", WIKI_EN)]), "", [])
    assert tie_type == "unknown" and "English Wikipedia" in basis
    formal = Tie("u", "RUS", [_claim("", "enwiki", WIKI_EN), _claim("", "cn_list", "zh", tie_type="formal")])
    assert choose_tie_type(formal, "", [])[0] == "formal"


@pytest.mark.parametrize(("raw", "iso"), [
    ("1980/10/20", "1980-10-20"), ("1979.02.21", "1979-02-21"), ("1980年6月10日", "1980-06-10"),
    ("2002-09-26..28", "2002-09"), ("1984", "1984"), ("1982 (30th anniversary 2012-10-19)", "1982"), ("", ""),
])
def test_parse_raw_date(raw: str, iso: str) -> None:
    assert parse_raw_date(raw) == iso


def test_era_assignment() -> None:
    table = pd.DataFrame({"era_id": ["I", "II"], "start_year": ["1973", "1979"], "end_year": ["1978", ""]})
    years = pd.Series([1973, 1978, 1979, 2024, None], dtype="Int64")
    assert eras.era_for_years(years, table).tolist() == ["I", "I", "II", "II", "unknown"]


RESEARCH_HEADER = ("cn_name_zh,cn_name_en,cn_province_en,cn_level,partner_name_zh,partner_name_en,partner_country_iso3,"
                   "partner_level,partner_admin1_en,date,date_kind,tie_type,status,status_date,source_url,"
                   "source_outlet,evidence,note\n")


def test_research_tables_are_read_one_source_per_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from geo.build.claims import load_class_rules, research_claims

    path = tmp_path / "research_fixture.csv"
    path.write_text(RESEARCH_HEADER +
                    "湖北省,Hubei,Hubei,province,俄亥俄州,Ohio,USA,state,Ohio,1979-10-31,signed,formal,,,"
                    "https://example.org/a,Hubei Provincial Foreign Affairs Office,list row: 俄亥俄州 1979-10-31,\n"
                    "南京市,Nanjing,Jiangsu,prefecture,名古屋市,Nagoya,JPN,city,Aichi,1978-12-21,signed,formal,"
                    "suspended,2012-02,https://example.org/b,Xinhua 2012-02-21,suspended after remarks,\n"
                    "青岛市,Qingdao,Shandong,prefecture,진주시,Jinju,KOR,city,,2020,announced,intent,,,,"
                    "CLAIR 姉妹提携データ,letter of intent,\n", encoding="utf-8")
    claims = research_claims(path, load_class_rules())
    assert [c.source_class for c in claims] == ["official", "news", "partner_side"]
    assert claims[0].tie_type == "formal" and "Hubei Provincial" in claims[0].tie_basis
    assert claims[0].source.endswith("(https://example.org/a)")
    assert (claims[1].status, claims[1].status_date) == ("suspended", "2012-02")
    assert claims[2].partner_name_zh == ""  # Hangul is not a Chinese name
    assert claims[2].date_problem  # an announced date is not a signing date


def test_research_rows_a_second_reading_did_not_find_or_that_are_leads_are_not_used(tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    from geo.build.claims import load_class_rules, research_claims

    path = tmp_path / "research_fixture.csv"
    row = ("南通市,Nantong,Jiangsu,prefecture,哈博罗内市,Gaborone,BWA,city,,,,unknown,,,https://example.org/c,"
           "Nantong Daily,delegation from a friendship or cooperation city,,")
    path.write_text(RESEARCH_HEADER.rstrip("\n") + ",checked\n" +
                    row + "two readings agree\n" +
                    row + "second reader did not find this tie on the page\n" +
                    row + "lead only (not used): the page names the tie without saying what it is\n",
                    encoding="utf-8")
    claims = research_claims(path, load_class_rules())
    assert len(claims) == 1


def test_research_tables_with_missing_columns_fail_clearly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from geo.build.claims import load_class_rules, research_claims

    path = tmp_path / "research_bad.csv"
    path.write_text("cn_name_zh,partner_name_en\n南京市,Nagoya\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        research_claims(path, load_class_rules())


@pytest.mark.parametrize(("outlet", "cls"), [
    ("English Wikipedia twin-town lists (scraped 2026-02)", "enwiki"),
    ("zh.wikipedia 江苏省友好城市列表 (kiwix mirror 2024-04)", "cn_list"),
    ("CLAIR 自治体国際化協会 姉妹提携データ", "partner_side"),
    ("上海市人民政府外事办公室 \"上海市友好城市一览表\"", "official"),
    ("Xinhua 2004-10-27 via china.org.cn", "news"),
    ("meiguo.blog 2024-10-13, summary of CPAFFC data", "other"),
    ("an unknown page", "other"),
])
def test_source_classes_follow_the_curated_table(outlet: str, cls: str) -> None:
    from geo.build.claims import classify, load_class_rules

    assert classify(outlet, load_class_rules()) == cls


def test_chinese_partner_names_and_levels() -> None:
    from geo.build.partners import sound_score, zh_norm, zh_split

    assert zh_norm("長崎県") == "长崎县"
    assert zh_split("马里兰州", "USA") == ("马里兰", "state")
    assert zh_split("京畿道", "KOR") == ("京畿", "state")
    assert zh_split("大邱广域市", "KOR") == ("大邱", "city")
    assert zh_split("奥兰治县", "USA") == ("奥兰治", "county")  # a US county, not a prefecture
    assert sound_score("波士顿", "Boston") > 0.9 > sound_score("波士顿", "Denver")
