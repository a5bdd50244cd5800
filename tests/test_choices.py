"""Filter values and their names in each language; options that depend on other filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import choices
from geo.filters import Filters
from geo.load import Atlas, load_atlas


@pytest.fixture
def atlas(data_dir: Path) -> Atlas:
    return load_atlas(data_dir)


@pytest.mark.parametrize("field", ["eras", "continents", "subregions", "bri_groups", "provinces", "macro_regions",
                                   "levels", "countries", "affinities"])
def test_every_list_filter_has_names_in_both_languages(atlas: Atlas, field: str) -> None:
    zh, en = choices.option_labels(atlas, field, "zh"), choices.option_labels(atlas, field, "en")
    assert zh and set(zh) == set(en)
    assert field in choices.FIELD_LABEL and isinstance(getattr(Filters(), field), tuple)


def test_some_names(atlas: Atlas) -> None:
    assert choices.option_labels(atlas, "countries", "zh")["JPN"] == "日本"
    assert choices.option_labels(atlas, "affinities", "en")["geography"] == "Geography"
    assert choices.option_labels(atlas, "bri_groups", "zh")["none"] == "非沿线国家"
    assert choices.option_labels(atlas, "eras", "zh")["unknown"] == "年份不详"
    assert choices.option_labels(atlas, "continents", "zh")["Europe"] == "欧洲"


def test_subregions_and_countries_follow_the_continent(atlas: Atlas) -> None:
    offered = ["Eastern Asia", "Western Europe", "Northern America"]
    assert choices.subregions_of(atlas, (), offered) == offered
    assert choices.subregions_of(atlas, ("Europe",), offered) == ["Western Europe"]
    assert choices.countries_of(atlas, ("Asia",), (), ["JPN", "USA", "VNM"]) == ["JPN", "VNM"]
    assert choices.countries_of(atlas, (), ("Northern America",), ["JPN", "USA"]) == ["USA"]


def test_sorted_by_name(atlas: Atlas) -> None:
    names = choices.option_labels(atlas, "countries", "zh")
    assert choices.sorted_by_name(["JPN", "AFG", "DEU"], names, "zh") == ["AFG", "DEU", "JPN"]  # 阿富汗 德国 日本
    names = choices.option_labels(atlas, "countries", "en")
    assert choices.sorted_by_name(["JPN", "AFG", "DEU"], names, "en") == ["AFG", "DEU", "JPN"]
