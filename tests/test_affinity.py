"""Each affinity rule fires where it must and not where it must not; every pairing gets a tag with a basis."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo import affinity, paths
from geo._validate import AtlasDataError

RULES = affinity.load_rules(paths.AFFINITY_RULES)


def frame(**cols: list) -> pd.DataFrame:  # type: ignore[type-arg]
    n = len(next(iter(cols.values())))
    base = {"cn_name_en": ["X"] * n, "cn_province_en": ["Jiangsu"] * n, "partner_name_en": ["Y"] * n,
            "partner_country_iso3": ["USA"] * n, "subregion_en": ["Northern America"] * n,
            "continent_en": ["Americas"] * n, "distance_km": [10000.0] * n, "bri_group": ["none"] * n,
            "year": pd.array([None] * n, dtype="Int64")}
    base.update(cols)
    return pd.DataFrame(base)


def fires(rule_id: str, df: pd.DataFrame) -> list[bool]:
    rule = next(r for r in RULES.rules if r.id == rule_id)
    return affinity.evaluate(df, rule.when).tolist()


@pytest.mark.parametrize(("rule_id", "yes", "no"), [
    ("land_neighbour", {"partner_country_iso3": "VNM"}, {"partner_country_iso3": "JPN"}),
    ("narrow_sea_neighbour", {"partner_country_iso3": "KOR"}, {"partner_country_iso3": "VNM"}),
    ("near_distance", {"distance_km": 900.0}, {"distance_km": 1600.0}),
    ("cross_border_peoples", {"cn_province_en": "Yunnan", "partner_country_iso3": "LAO"},
     {"cn_province_en": "Jiangsu", "partner_country_iso3": "LAO"}),
    ("cross_border_languages", {"cn_province_en": "Jilin", "partner_country_iso3": "KOR"},
     {"cn_province_en": "Jilin", "partner_country_iso3": "JPN"}),
    ("shared_script", {"partner_country_iso3": "JPN"}, {"partner_country_iso3": "FRA"}),
    ("dungan_heritage", {"cn_province_en": "Shaanxi", "partner_country_iso3": "KAZ"},
     {"cn_province_en": "Shaanxi", "partner_country_iso3": "RUS"}),
    ("overseas_chinese_origin", {"cn_province_en": "Fujian", "partner_country_iso3": "MYS"},
     {"cn_province_en": "Hebei", "partner_country_iso3": "MYS"}),
    ("overseas_chinese_ties", {"cn_province_en": "Guangdong", "partner_country_iso3": "SGP"},
     {"cn_province_en": "Guangdong", "partner_country_iso3": "USA"}),
    ("china_europe_rail", {"cn_name_en": "Chongqing", "subregion_en": "Western Europe"},
     {"cn_name_en": "Chongqing", "subregion_en": "Northern America"}),
    ("belt_and_road_era", {"bri_group": "cis", "year": 2015}, {"bri_group": "cis", "year": 2005}),
    ("reform_opening_first_wave", {"partner_country_iso3": "USA", "year": 1984},
     {"partner_country_iso3": "USA", "year": 1995}),
])
def test_rule_fires_and_does_not(rule_id: str, yes: dict, no: dict) -> None:  # type: ignore[type-arg]
    df = pd.concat([frame(**{k: [v] for k, v in yes.items()}), frame(**{k: [v] for k, v in no.items()})],
                   ignore_index=True)
    assert fires(rule_id, df) == [True, False]


def test_every_rule_is_tested() -> None:
    tested = {p[0] for p in test_rule_fires_and_does_not.pytestmark[0].args[1]}  # type: ignore[attr-defined]
    assert tested == {r.id for r in RULES.rules}


def test_unknown_distance_and_year_never_fire() -> None:
    df = frame(distance_km=[float("nan")], bri_group=["cis"])
    assert fires("near_distance", df) == [False]
    assert fires("belt_and_road_era", df) == [False]


def test_fallback_and_overrides() -> None:
    df = frame(partner_country_iso3=["USA", "VNM"], cn_name_en=["Nanjing", "Hekou"],
               partner_name_en=["St. Louis", "Lao Cai"])
    overrides = pd.DataFrame({"cn_name_en": ["Nanjing"], "partner_name_en": ["St. Louis"],
                              "partner_country_iso3": ["USA"], "affinity": ["sentiment"]})
    tags = affinity.tag(df, RULES, overrides)
    assert tags["affinities"].tolist() == ["sentiment", "geography"]
    assert tags["affinity_basis"].tolist() == ["sentiment:override", "geography:land_neighbour"]
    plain = affinity.tag(df.iloc[:1], RULES)
    assert plain["affinities"].tolist() == ["opportunity"]
    assert plain["affinity_basis"].tolist() == ["opportunity:fallback"]
    assert "fallback" in affinity.explain(RULES, "opportunity:fallback", "en")[0][1]


def test_bad_rule_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - id: r1\n    affinity: luck\n    when: {}\n    explain_zh: x\n    explain_en: y\n"
                    "fallback: {id: f, affinity: opportunity, explain_zh: x, explain_en: y}\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="rule 'r1': affinity must be one of"):
        affinity.load_rules(path)
    path.write_text("rules:\n  - id: r1\n    affinity: geography\n    when: {partner_planet_in: [MARS]}\n"
                    "    explain_zh: x\n    explain_en: y\n"
                    "fallback: {id: f, affinity: opportunity, explain_zh: x, explain_en: y}\n", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="unknown test 'partner_planet_in'"):
        affinity.load_rules(path)


def test_haversine() -> None:
    d = affinity.haversine_km(pd.Series([39.9]), pd.Series([116.4]), pd.Series([31.2]), pd.Series([121.5]))
    assert 1000 < d.iloc[0] < 1100  # Beijing–Shanghai is about 1,070 km
