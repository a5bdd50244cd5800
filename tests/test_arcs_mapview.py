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
    # Words the browser shows: only the playback counts keep a placeholder, which the browser fills.
    assert args["labels"]["partners_of"] == "友城" and args["labels"]["no_arcs"] == "没有符合条件的友城"
    assert [k for k, v in args["labels"].items() if "{" in v] == ["play_count", "play_unknown"]


def test_book_case_in_the_legend_only_when_a_case_arc_is_drawn(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    with_case = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1,
                                 marked=("P1",))
    items = [item[0] for item in with_case["legend"]["items"]]
    assert items.count("Book case") == 1 and with_case["legend"]["case_item"] == items.index("Book case")
    # P5 cannot be placed (no partner place): marking it draws no case arc, so no legend entry either.
    unplaced = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1,
                                marked=("P5",))
    assert "Book case" not in [item[0] for item in unplaced["legend"]["items"]]
    assert "case_item" not in unplaced["legend"]


def test_map_args_english_and_colour_modes(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    for color_by, n_items in (("level", 3), ("affinity", 6), ("era", 6)):
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
    assert flows["flow:Jiangsu:KAZ"][7] == ["Jiangsu → Kazakhstan: 1 pairing"]
    assert len(flows) == 6


def test_bounds(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    one = atlas.pairings[atlas.pairings["pair_id"] == "P2"]
    (lat0, lon0), (lat1, lon1) = mapview.bounds_of(one, pad=0)
    assert lon0 == 118.78 and lon1 == pacific_lon(-90.20)
    assert mapview.bounds_of(atlas.pairings[atlas.pairings["pair_id"] == "P5"]) is None


def test_flow_bounds_frame_the_flow_ends_not_the_pairings(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)
    flows = mapview.flow_data(atlas.pairings, lang="en", provinces=atlas.provinces, country_points=points)
    (lat0, lon0), (lat1, lon1) = mapview.flow_bounds(flows, pad=1.0)
    tb = flows.table
    ends_lon = [pacific_lon(x) for x in [*tb["src_lon"], *tb["dst_lon"]]]
    ends_lat = [*tb["src_lat"], *tb["dst_lat"]]
    assert (lon0, lon1) == (min(ends_lon) - 1.0, max(ends_lon) + 1.0)
    assert (lat0, lat1) == (min(ends_lat) - 1.0, max(ends_lat) + 1.0)
    none = mapview.flow_data(atlas.pairings.iloc[0:0], lang="en", provinces=atlas.provinces, country_points=points)
    assert mapview.flow_bounds(none) is None


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


# --- Column-wise payload, labels, colours, ended ties, overlays, flows, playback (issues 9, 10, 12, 13) -------------

def _reference_tooltip(row: dict, lang: str) -> list[str]:  # type: ignore[type-arg]
    """The tooltip of one row written the plain per-row way, to check the column-wise build against."""
    from geo import i18n
    from geo.i18n import field, joined, label, t

    affs = joined((label("affinity", a, lang) for a in row["affinities"].split(";") if a), lang)
    lines = [f"{i18n.cn_label(row, lang)} — {i18n.partner_label(row, lang)}",
             f"{i18n.pick(row, 'cn_province', lang)} · {i18n.pick(row, 'partner_country', lang)}",
             field("level", label("level", row["level_class"], lang), lang),
             field("established", i18n.year_text(row, lang), lang),
             field("affinity", t("inferred_value", lang, value=affs), lang)]
    if row.get("tie_type") not in (None, "", "formal", "unknown"):
        lines.append(label("tie", str(row["tie_type"]), lang))
    status = str(row.get("status") or "active")
    if status != "active":
        when = str(row.get("status_date") or "")
        lines.append(t("status_since", lang, status=label("status", status, lang), date=when) if when else
                     label("status", status, lang))
    return lines


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_column_wise_tooltips_match_the_per_row_text(lang: str) -> None:
    atlas = load_atlas()
    df = atlas.pairings
    args = mapview.map_args(df, lang=lang, color_by="era", eras=atlas.eras, revision=1)
    rows = {r["pair_id"]: r for r in df[df["placed"]].to_dict("records")}
    names = {p[0]: p[3] for p in args["places"]}
    checked = 0
    for arc in args["arcs"]:
        row = rows[arc[6]]
        want = _reference_tooltip(row, lang)
        got = mapview.tooltip_lines(args, arc)
        # The names line comes from the place labels (a district is named by its city), the rest is the row's.
        assert got[0] == f"{names[row['cn_place_id']]} — {names[row['partner_place_id']]}"
        assert got[1:] == want[1:], arc[6]
        checked += 1
    assert checked == int(df["placed"].sum()) > 2000


def test_places_come_in_label_rank_order_with_the_focus_first(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    args = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1,
                            highlight=("P2",))
    ids = [p[0] for p in args["places"]]
    # P2 is Nanjing – St. Louis: both ends first and always labelled, then the busiest place (Guangzhou, 2).
    assert set(ids[:2]) == {"gn:1", "gn:11"} and args["label_focus"] == [0, 1]
    assert ids[2] == "gn:3"
    assert args["label_candidates"] == len(ids)
    plain = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1)
    assert plain["places"][0][3] == "Guangzhou" and plain["label_focus"] == []


def test_fallback_affinity_has_its_own_neutral_colour(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.copy()
    df.loc[df["pair_id"] == "P2", ["affinities", "affinity_basis"]] = ["opportunity", "opportunity:fallback"]
    df.loc[df["pair_id"] == "P4", ["affinities", "affinity_basis"]] = ["opportunity", "opportunity:some_rule"]
    args = mapview.map_args(df, lang="en", color_by="affinity", eras=atlas.eras, revision=1)
    items = args["legend"]["items"]
    fallback = len(items) - 1
    assert items[fallback] == ["Inferred only by the fallback rule (no real basis)",
                               mapview.AFFINITY_FALLBACK_COLOR]
    basis = df.set_index("pair_id")["affinity_basis"]
    for arc in args["arcs"]:
        only_fallback = basis[arc[6]] == "opportunity:fallback"
        assert (arc[4] == fallback) == only_fallback, (arc[6], basis[arc[6]])
    colour = {a[6]: a[4] for a in args["arcs"]}
    assert colour["P2"] == fallback and items[colour["P4"]][0] == "Opportunity", "a real rule keeps its colour"


def test_ended_ties_are_flagged(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.copy()
    df.loc[df["pair_id"] == "P4", ["status", "status_date"]] = ["terminated", "2019"]
    df.loc[df["pair_id"] == "P6", "status"] = "suspended"
    args = mapview.map_args(df, lang="en", color_by="era", eras=atlas.eras, revision=1)
    flagged = {args["arcs"][i][6] for i in args["ended"]}
    assert flagged == {"P4", "P6"}
    assert args["labels"]["ended"] == "Ended or suspended (dashed)"


def test_overlays_are_moved_into_the_pacific_frame_and_checked(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    overlays = [
        {"id": "net:a", "title": "Network A", "color": "#1b9e77", "shape": "diamond",
         "points": [[-122.42, 37.77, "San Francisco", ["member since 2019"]], [116.4, 39.9, "Beijing", []]]},
        {"id": "net:b", "title": "<b>B</b>", "color": "red; background:url(x)", "shape": "star",
         "points": [[2.35, 48.86, "Paris"]]},
    ]
    args = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1,
                            overlays=overlays)
    a, b = args["overlays"]
    assert a["points"][0] == [pytest.approx(237.58), 37.77, "San Francisco", ["member since 2019"]]
    assert a["points"][1][0] == 116.4 and a["shape"] == "diamond" and a["color"] == "#1b9e77"
    assert b["color"] == "#555555" and b["shape"] == "square" and b["title"] == "<b>B</b>"
    assert b["points"] == [[2.35, 48.86, "Paris", []]]
    assert mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1)["overlays"] == []
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)
    flow = mapview.flow_args(atlas.pairings, lang="en", provinces=atlas.provinces, country_points=points,
                             revision=1, overlays=overlays)
    assert [o["id"] for o in flow["overlays"]] == ["net:a", "net:b"]


def test_a_large_payload_carries_the_flows_drawn_instead(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)
    small = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1,
                             provinces=atlas.provinces, country_points=points)
    assert "reduced" not in small and small["detail_limit"] == mapview.DETAIL_LIMIT
    big = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1,
                           provinces=atlas.provinces, country_points=points, detail_limit=3)
    reduced = big["reduced"]
    assert {a[6] for a in reduced["arcs"]} == {"flow:Tianjin:JPN", "flow:Jiangsu:USA", "flow:Yunnan:VNM",
                                               "flow:Guangdong:USA", "flow:Guangdong:MYS"}
    assert "5 arcs are too many" in reduced["note"] and "5 province → country flows" in reduced["note"]
    assert reduced["legend"]["scale"]["items"], "the flows carry their width scale"


def test_flows_aggregate_at_each_level_with_a_threshold(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)

    def flows(level: str, k: int = 1) -> mapview.Flows:
        return mapview.flow_data(atlas.pairings, level=level, lang="en", provinces=atlas.provinces,
                                 country_points=points, min_count=k)

    prov = flows("province")
    assert dict(zip(prov.table["src"] + ">" + prov.table["dst"], prov.table["n"], strict=True)) == {
        "Tianjin>JPN": 1, "Jiangsu>USA": 1, "Jiangsu>KAZ": 1, "Yunnan>VNM": 1, "Guangdong>USA": 1,
        "Guangdong>MYS": 1}
    cont = flows("continent")
    assert dict(zip(cont.table["dst_label"], cont.table["n"], strict=True)) == {"Asia": 4, "Americas": 2}
    assert set(cont.table["src_label"]) == {"China"} and cont.total_pairings == 6
    macro = flows("macro")
    assert macro.table["n"].sum() == 6 and set(macro.table["src"]) <= {"east", "central", "west", "northeast"}
    # A threshold keeps the larger flows and says how many pairings it leaves out.
    only_big = flows("continent", 3)
    assert list(only_big.table["dst_label"]) == ["Asia"] and only_big.hidden_pairings == 2
    assert "1 of 2 flows drawn (at least 3 pairings each); 2 pairings" in mapview.flow_note(only_big, "en")
    assert mapview.flow_note(cont, "en") == ""


def test_auto_threshold_and_width_scale() -> None:
    assert mapview.auto_min_count([5, 4, 3]) == 1
    assert mapview.auto_min_count(range(1, 201), max_flows=100) == 101
    counts = list(range(1, 201))
    k = mapview.auto_min_count(counts)
    assert sum(c >= k for c in counts) <= mapview.MAX_AUTO_FLOWS < sum(c >= k - 1 for c in counts)
    widths = mapview.flow_width([10, 20, 40], 40)
    assert widths[2] == mapview.FLOW_MAX_WIDTH and widths[1] == pytest.approx(widths[2] / 2)
    assert widths[0] == pytest.approx(widths[2] / 4), "width is proportional to the count"
    assert mapview.flow_width([1], 1000)[0] == mapview.FLOW_MIN_WIDTH
    scale = mapview.width_scale(43, 7, "en")
    assert scale["items"][0] == ["20 pairings", pytest.approx(20 * mapview.FLOW_MAX_WIDTH / 43, abs=0.01)]
    assert all(int(label.split()[0]) >= 7 for label, _ in scale["items"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unfiltered_flow_view_is_readable(lang: str) -> None:
    from geo import filters

    atlas = load_atlas()
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)
    shown = filters.apply(atlas.pairings, filters.Filters())
    args = mapview.flow_args(shown, lang=lang, provinces=atlas.provinces, country_points=points, revision=1,
                             color_by="era", eras=atlas.eras)
    assert 20 <= len(args["arcs"]) <= mapview.MAX_AUTO_FLOWS
    scale = args["legend"]["scale"]["items"]
    assert len(scale) >= 2 and scale[0][1] > scale[-1][1] >= 1, "a visible width scale, widest first"
    assert args["legend"]["note"], "the legend says how many flows and pairings the threshold leaves out"
    widths = [a[5] for a in args["arcs"]]
    assert widths == sorted(widths, reverse=True) and max(widths) == mapview.FLOW_MAX_WIDTH
    assert len({a[4] for a in args["arcs"]}) > 1, "coloured by the scheme (the most common era of each flow)"


def test_playback_years(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    args = mapview.map_args(atlas.pairings, lang="en", color_by="era", eras=atlas.eras, revision=1)
    years = dict(zip((a[6] for a in args["arcs"]), args["years"], strict=True))
    assert years == {"P1": 1973, "P2": 1979, "P3": None, "P4": 1981, "P6": 2015}
    assert args["playback"] == {"first": 1973, "last": 2015, "unknown": 1}
    assert set(mapview.drawn_by(atlas.pairings, 1980)["pair_id"]) == {"P1", "P2"}
    frames = mapview.playback_frames(atlas.pairings)
    assert frames["year"].iloc[0] == 1973 and frames["year"].iloc[-1] == 2015
    assert frames.set_index("year").loc[1981, "shown"] == 3 and frames["new"].sum() == 4
    undated = atlas.pairings.assign(year=None)
    assert mapview.playback_span(undated) is None and mapview.playback_frames(undated).empty


def test_parse_view() -> None:
    assert mapview.parse_view("35.2,139.7,5") == {"center": [35.2, 139.7], "zoom": 5.0}
    for bad in ("", "1,2", "95,10,3", "10,400,3", "10,10,30", "a,b,c", "10,-181,3", "nan,10,3"):
        assert mapview.parse_view(bad) is None


def test_view_takes_plain_longitudes_and_says_what_is_wrong() -> None:
    # A plain western longitude (New York, Lima) goes into the map's Pacific-centred frame; the map's own
    # values (written after a pan) still open.
    assert mapview.read_view("40.7,-74.0,4") == ({"center": [40.7, 286.0], "zoom": 4.0}, "")
    assert mapview.read_view("-12,-77,5")[0] == {"center": [-12.0, 283.0], "zoom": 5.0}
    assert mapview.read_view("10,-180,2")[0] == {"center": [10.0, 180.0], "zoom": 2.0}
    assert mapview.read_view("48.8,2.3,6")[0] == {"center": [48.8, 2.3], "zoom": 6.0}
    assert mapview.read_view("20,200,3")[0] == {"center": [20.0, 200.0], "zoom": 3.0}
    reasons = {v: mapview.read_view(v)[1] for v in ("1,2", "x,1,2", "95,10,3", "10,-200,3", "10,10,0")}
    assert reasons == {"1,2": "view_why_form", "x,1,2": "view_why_form", "95,10,3": "view_why_lat",
                       "10,-200,3": "view_why_lon", "10,10,0": "view_why_zoom"}


def test_playback_counts_only_placed_pairings_and_says_so(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    df = atlas.pairings.copy()
    df["year"] = None  # every pairing undated, one of them (P5) not placed
    df.loc[df.index[0], "year"] = 1990
    span = mapview.playback_span(df)
    assert span is not None and span["unknown"] == int(df["placed"].sum()) - 1 < int(df["year"].isna().sum())
    assert "on the map" in mapview.browser_words("en")["play_unknown"]
    assert "地图上" in mapview.browser_words("zh")["play_unknown"]


def test_a_threshold_above_every_flow_says_why_the_map_is_empty(data_dir: Path) -> None:
    atlas = load_atlas(data_dir)
    points = pd.read_csv(paths.COUNTRY_POINTS, dtype=str, keep_default_na=False)
    kw = {"lang": "en", "provinces": atlas.provinces, "country_points": points}
    flows = mapview.flow_data(atlas.pairings, min_count=50, **kw)
    assert flows.all_below_threshold and flows.largest == 1
    note = mapview.flow_empty_note(flows, "en")
    assert note.startswith(f"{flows.total_pairings} pairings match, but no flow reaches the threshold of 50")
    assert mapview.flow_args(atlas.pairings, revision=1, min_count=50, **kw)["empty_text"] == note
    drawn = mapview.flow_data(atlas.pairings, min_count=1, **kw)
    assert not drawn.all_below_threshold and mapview.flow_empty_note(drawn, "en") == ""
    assert "empty_text" not in mapview.flow_args(atlas.pairings, revision=1, min_count=1, **kw)
