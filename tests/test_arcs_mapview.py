"""Arc geometry and the browser payload: Pacific-centred, poleward bows, escaped text left to the browser."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo import arcs, mapview, paths
from geo.basemap import pacific_lon
from geo.load import load_atlas


def test_control_point_bows_north_and_crosses_pacific() -> None:
    # Beijing to Buenos Aires goes east across the Pacific, not west across Eurasia.
    cx, cy = arcs.control_points([116.4], [39.9], [-58.4], [-34.6])
    assert 116.4 < cx[0] < pacific_lon(-58.4)
    assert cy[0] > (39.9 - 34.6) / 2
    pts = arcs.sample(116.4, 39.9, cx[0], cy[0], -58.4, -34.6, segments=8)
    assert pts.shape == (9, 2)
    assert np.allclose(pts[0], [116.4, 39.9]) and np.allclose(pts[-1], [301.6, -34.6])
    assert (pts[:, 1] <= arcs.MAX_CONTROL_LAT).all()


def test_control_point_is_clamped_and_handles_zero_length() -> None:
    cx, cy = arcs.control_points([100.0, 10.0], [70.0, 5.0], [-100.0, 10.0], [70.0, 5.0])
    assert cy[0] <= arcs.MAX_CONTROL_LAT
    assert cx[1] == 10.0 and cy[1] == 5.0


def test_map_args_payload(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    args = mapview.map_args(atlas.pairings, lang="zh", color_by="era", eras=atlas.eras, revision=7,
                            highlight=("P2",), marked=("P1",), case_numbers={"P1": 1})
    assert len(args["arcs"]) == 5  # P5 has no partner place: not drawn, listed elsewhere
    assert args["revision"] == 7 and args["highlight"] == ["P2"] and args["marked"] == ["P1"]
    pair_ids = [a[6] for a in args["arcs"]]
    assert "P5" not in pair_ids
    p1 = mapview.tooltip_lines(args, args["arcs"][pair_ids.index("P1")])
    assert p1[0] == "天津市 — 神户市"
    assert "书中案例 1" in p1
    p3 = mapview.tooltip_lines(args, args["arcs"][pair_ids.index("P3")])
    assert "年份不详" in " ".join(p3)
    # Shared lines are sent once: every line after the names is an index into the table of strings.
    assert all(a[7][0] is None and all(isinstance(i, int) for i in a[7][1:]) for a in args["arcs"])
    assert "级别：城市级" in args["strings"], "Chinese tooltips use the full-width colon"
    lons = [p[1] for p in args["places"]]
    assert all(-30 <= lon < 330 for lon in lons)
    labels = {p[0]: p[3] for p in args["places"]}
    assert labels["cnprov:Tianjin"] == "天津市"
    assert [item[0] for item in args["legend"]["items"]][-1] == "书中案例"
    # Words the browser shows as they are: no placeholder left unfilled.
    assert args["labels"] == {"partners_of": "友城", "no_arcs": "没有符合条件的友城"}


def test_map_args_english_and_colour_modes(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    for color_by, n_items in (("level", 3), ("affinity", 5), ("era", 6)):
        args = mapview.map_args(atlas.pairings, lang="en", color_by=color_by, eras=atlas.eras, revision=1)
        assert len(args["legend"]["items"]) == n_items
        assert all(0 <= a[4] < n_items for a in args["arcs"])
    assert mapview.tooltip_lines(args, args["arcs"][0])[0].startswith("Tianjin")


def test_markup_in_names_is_sent_as_plain_text(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.copy()
    df.loc[df["pair_id"] == "P2", "partner_name_zh"] = "<img src=x onerror=alert(1)>"
    args = mapview.map_args(df, lang="zh", color_by="era", eras=atlas.eras, revision=1)
    text = json.dumps(args, ensure_ascii=False)
    # The payload carries the string unchanged; the browser inserts it as text (see the browser tests).
    assert "<img src=x onerror=alert(1)>" in text


def test_flow_args(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)
    args = mapview.flow_args(atlas.pairings, lang="en", provinces=atlas.provinces, country_points=points, revision=1)
    flows = {a[6]: a for a in args["arcs"]}
    assert "flow:Guangdong:USA" in flows and "flow:Jiangsu:USA" in flows
    assert flows["flow:Jiangsu:KAZ"][7] == ["Jiangsu → Kazakhstan: 1 pairings"]
    assert len(flows) == 6


def test_bounds(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    one = atlas.pairings[atlas.pairings["pair_id"] == "P2"]
    (lat0, lon0), (lat1, lon1) = mapview.bounds_of(one, pad=0)
    assert lon0 == 118.78 and lon1 == pacific_lon(-90.20)
    assert mapview.bounds_of(atlas.pairings[atlas.pairings["pair_id"] == "P5"]) is None


def test_status_and_tie_type_in_tooltips(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.copy()
    df.loc[df["pair_id"] == "P2", ["status", "status_date"]] = ["terminated", "2012-02"]
    args = mapview.map_args(df, lang="zh", color_by="era", eras=atlas.eras, revision=1)
    by_id = {a[6]: mapview.tooltip_lines(args, a) for a in args["arcs"]}
    assert "已终止（2012-02）" in by_id["P2"]
    assert not any("有效" in line for line in by_id["P1"]), "an active tie says nothing about its status"


def _size(obj: object) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode())


# Bytes per drawn arc, everything included (places, arcs, shared strings). Measured on the embedded data at
# ~129 B/arc with tooltip text shared (2026-11); sending every arc its own tooltip lines costs ~250 B/arc.
BYTES_PER_ARC = 170


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_payload_budget_from_the_real_data(lang: str) -> None:
    atlas = load_atlas()
    args = mapview.map_args(atlas.pairings, lang=lang, color_by="era", eras=atlas.eras, revision=1)
    n = len(args["arcs"])
    assert n == int(atlas.pairings["placed"].sum())
    assert _size(args) <= BYTES_PER_ARC * n, f"{_size(args) / n:.0f} bytes per arc"
    # What the shared-string table saves: the same payload with each arc's lines written out breaks the budget.
    spelled = {**args, "strings": [], "arcs": [[*a[:7], mapview.tooltip_lines(args, a)] for a in args["arcs"]]}
    assert _size(spelled) > BYTES_PER_ARC * n
