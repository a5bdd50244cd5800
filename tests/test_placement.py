"""Why a pairing is not drawn, per row (geo.placement)."""

from __future__ import annotations

import math
from pathlib import Path

from geo.load import load_atlas
from geo.placement import unplaced_reason

PLACED = {"cn_place_id": "gn:1", "partner_place_id": "gn:2", "cn_province_en": "Jiangsu",
          "partner_name_en": "Kobe", "cn_lat": 32.0, "cn_lon": 118.8, "partner_lat": 34.7, "partner_lon": 135.2}


def test_each_missing_end_is_named_with_its_reason() -> None:
    assert unplaced_reason(PLACED, "en") == ""
    no_province = {**PLACED, "cn_place_id": "", "cn_province_en": "", "cn_lat": math.nan, "cn_lon": math.nan}
    assert unplaced_reason(no_province, "en").startswith("Chinese side: its province is not known")
    assert unplaced_reason({**no_province, "cn_province_en": "Anhui"}, "en") == \
        "Chinese side: no point on file for it"
    chinese_only = {**PLACED, "partner_place_id": "", "partner_name_en": "德比郡", "partner_lat": None}
    assert unplaced_reason(chinese_only, "zh") == "外方：英文名不详（以中文名代替），未找到其坐标"
    both = {**no_province, "partner_place_id": "", "partner_lat": None}
    assert unplaced_reason(both, "en") == ("Chinese side: its province is not known, so it cannot be told which "
                                           "place of that name is meant; partner: no point on file for it")


def test_every_unplaced_fixture_row_has_a_reason(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    missing = atlas.pairings[~atlas.pairings["placed"]]
    assert len(missing) >= 1
    assert all(unplaced_reason(r, "en") for r in missing.to_dict("records"))
    assert not any(unplaced_reason(r, "en") for r in atlas.pairings[atlas.pairings["placed"]].to_dict("records"))
