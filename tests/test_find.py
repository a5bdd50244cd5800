"""Finding places and countries by what a person types, and sorting names as each language does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import find, stats
from geo.load import Atlas, load_atlas


@pytest.fixture
def atlas(data_dir: Path) -> Atlas:
    return load_atlas(data_dir)


@pytest.fixture
def places(atlas: Atlas) -> find.NameIndex:
    return find.place_index(stats.city_choices(atlas.pairings, atlas.places))


@pytest.mark.parametrize("typed", ["南京", "南京市", "Nanjing", "nanjing", "NANJING", "Nán Jīng", "nan jing", "gn:1"])
def test_a_chinese_city_by_any_name(places: find.NameIndex, typed: str) -> None:
    assert places.find(typed) == ["gn:1"]


def test_autonomous_county_and_partner_names(places: find.NameIndex) -> None:
    assert places.find("河口") == ["gn:2"]  # 河口瑶族自治县
    assert places.find("神户") == ["gn:10"] and places.find("Kobe") == ["gn:10"]
    assert places.find("lao cai") == ["gn:12"] and places.find("Lào Cai") == ["gn:12"]


def test_prefix_and_nothing(places: find.NameIndex) -> None:
    assert places.find("Los") == ["gn:13"]
    assert places.find("Atlantis") == [] and places.find("") == [] and places.find("x") == []
    assert places.find("Los", prefix=False) == []


def test_characters_typed_are_not_matched_by_sound() -> None:
    index = find.NameIndex()
    index.add("paris", ["巴黎市", "Paris"])
    index.add("bari", ["巴里市", "Bari"])
    assert index.find("巴黎") == ["paris"]  # same sound (bali), other characters
    assert index.find("bali") == ["paris", "bari"]  # typed in pinyin: both, in the order added


def test_one_name_for_two_places_returns_both() -> None:
    index = find.NameIndex()
    index.add("gn:jiangsu", ["苏州市", "Suzhou"])
    index.add("gn:anhui", ["宿州市", "Suzhou"])
    assert index.find("Suzhou") == ["gn:jiangsu", "gn:anhui"]
    assert index.find("苏州") == ["gn:jiangsu"]


def test_a_city_is_named_by_its_place_not_by_a_district(atlas: Atlas) -> None:
    df = atlas.pairings.copy()
    # A district placed at its parent city (as the data does for 姑苏区 at Suzhou): the profile keeps the city's
    # name, and the district's name still finds it.
    df.loc[df["pair_id"] == "P2", ["cn_name_zh", "cn_name_en", "cn_level"]] = ["玄武区", "Xuanwu", "district"]
    df = pd.concat([df[df["pair_id"] == "P2"], df[df["pair_id"] != "P2"]])
    choices = stats.city_choices(df, atlas.places)
    row = choices.set_index("place_id").loc["gn:1"]
    assert (row["name_zh"], row["name_en"]) == ("南京市", "Nanjing")
    assert find.place_index(choices).find("玄武区") == ["gn:1"]


@pytest.mark.parametrize(("typed", "iso3"), [("Japan", "JPN"), ("日本", "JPN"), ("riben", "JPN"), ("jp", "JPN"),
                                             ("USA", "USA"), ("美国", "USA"), ("United States of America", "USA"),
                                             ("korea", "KOR")])
def test_countries(atlas: Atlas, typed: str, iso3: str) -> None:
    assert find.country_index(atlas.countries).find(typed) == [iso3]


def test_sort_keys() -> None:
    names = ["埃及", "阿根廷", "德国", "阿尔巴尼亚", "巴西"]
    assert sorted(names, key=lambda n: find.sort_key(n, "zh")) == ["阿尔巴尼亚", "阿根廷", "埃及", "巴西", "德国"]
    assert sorted(["Österreich", "Oman", "Zambia"], key=lambda n: find.sort_key(n, "en")) == \
        ["Oman", "Österreich", "Zambia"]


@given(st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_find_never_raises(text: str) -> None:
    index = find.NameIndex()
    index.add("a", ["南京市", "Nanjing"])
    assert set(index.find(text)) <= {"a"}
