"""The data the browser map draws: places, arcs (or flows), colours, legend, labels, overlays, playback years.

The basemap is a static file the browser loads once; a filter change sends only this compact payload, so the
map keeps its view and nothing is rebuilt. Text goes out as plain strings and the browser inserts it as text.
Everything here is built column-wise (a value's text is made once per distinct value, never once per row), so a
payload of 50,000 pairings costs a fraction of a second.

Payload keys (the component's arguments; pages add `view`, `report_view`, `present`, `keys` themselves):
- `places`: [[place_id, lon, lat, label, side], …], Pacific-centred lon, in label rank order (busiest first);
  `label_candidates` of them may be labelled, `label_focus` (indexes) always are.
- `arcs`: [[place a, place b, control lon, control lat, colour index, width, id, tooltip], …]; a tooltip is a
  list of indexes into `strings` (text many arcs share), with None first for "the two places' names".
- `years` (arcs only): the year of each arc or None; `playback` = {first, last, unknown} for the year-by-year
  animation; `ended`: indexes of ended or suspended ties (drawn dashed).
- `legend`: {title, items: [[label, colour], …], under?: [item indexes drawn beneath the rest], scale?: {title,
  items: [[label, width px], …]}, note?}.
- `reduced` (large arc payloads only): a province → country flow payload (places, arcs, legend, note) the
  browser draws instead of the arcs while more than `detail_limit` arcs are in view.
- `overlays`: [{id, title, color, shape, points: [[lon, lat, label, [line, …]], …]}] drawn above the arcs
  (another layer's points, e.g. city networks); see `overlay_payload`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo import arcs, i18n, labels
from geo.affinity import AFFINITIES, AFFINITY_COLORS, primary_affinity
from geo.basemap import pacific_lon_array
from geo.filters import FIRST_YEAR
from geo.i18n import field, joined, label, t
from geo.labels import pick_column
from geo.regions import LEVEL_CLASSES

if TYPE_CHECKING:
    from geo.filters import Filters
    from geo.load import Atlas

ERA_COLORS = {"I": "#6a040f", "II": "#d00000", "III": "#e85d04", "IV": "#faa307", "V": "#2a9d8f",
              "unknown": "#8d99ae"}
LEVEL_COLORS = {"province_state": "#7b2cbf", "city_city": "#1d70a2", "county": "#e76f51"}
FLOW_COLOR = "#c1121f"
CN_COLOR, PARTNER_COLOR = "#c1121f", "#1d3557"
# A pairing whose only affinity comes from the fallback rule says nothing about affinity: a neutral grey keeps
# the real pattern visible when the map is coloured by affinity (about half the pairings).
AFFINITY_FALLBACK_COLOR = "#adb5bd"
ENDED_COLOR = "#6c757d"
ENDED_STATUSES = ("suspended", "terminated")
OVERLAY_SHAPES = ("square", "diamond", "triangle")

ARC_WIDTH = 1.0  # one CSS pixel: Chromium strokes hairlines several times faster than wider lines
# Above this many arcs in view the browser draws province → country flows instead of each arc (it says so).
# Measured in Chromium without a GPU on the shared 2-core machine (bench/map_detail.py, median of 9 steps, every
# arc drawn): a zoom step takes ~50 ms at 5,000 arcs, ~70 ms at 7,500, ~100–135 ms at 10,000 and ~250 ms at
# 20,000; a pan passes 100 ms between 15,000 and 20,000. Flows keep a step near 60 ms at any size.
DETAIL_LIMIT = 8_000
LABEL_CANDIDATES = 400  # places the browser may label, in rank order; it fits what it can without overlaps
MAX_AUTO_FLOWS = 100  # the default flow threshold keeps at most this many flows
FLOW_MAX_WIDTH, FLOW_MIN_WIDTH = 18.0, 1.0
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


# ---------------------------------------------------------------------------------------------- colours

def _per_value(values: pd.Series, make: Callable[[Any], str]) -> pd.Series:
    """`values.map(make)`, calling `make` once per distinct value (text is made per value, not per row)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    made = np.array([make(v) for v in distinct], dtype=object)
    return pd.Series(made[codes], index=values.index, dtype=object)


def fallback_only(df: pd.DataFrame) -> pd.Series:
    """Rows whose affinity comes only from the fallback rule (nothing else applied)."""
    if "affinity_basis" not in df.columns:
        return pd.Series(False, index=df.index)
    return df["affinity_basis"].fillna("").str.fullmatch(r"[a-z]+:fallback")


def color_scheme(df: pd.DataFrame, color_by: str, lang: str, eras: pd.DataFrame | None
                 ) -> tuple[np.ndarray, dict[str, Any]]:
    """The colour index of each row and the legend it refers to ({"title", "items": [[label, colour], …]})."""
    if color_by == "level":
        keys = list(LEVEL_CLASSES)
        names = [label("level", k, lang) for k in keys]
        colors = [LEVEL_COLORS[k] for k in keys]
        values, title = df["level_class"], t("legend_level", lang)
    elif color_by == "affinity":
        keys = [*AFFINITIES, "fallback"]
        names = [label("affinity", k, lang) for k in AFFINITIES] + [t("legend_affinity_fallback", lang)]
        colors = [AFFINITY_COLORS[k] for k in AFFINITIES] + [AFFINITY_FALLBACK_COLOR]
        values = primary_affinity(df["affinities"]).where(~fallback_only(df), "fallback")
        title = t("legend_affinity", lang)
    else:
        era_names = i18n.era_labels(eras.to_dict("records") if eras is not None else [], lang)
        keys = list(era_names)
        names = list(era_names.values())
        colors = [ERA_COLORS.get(k, "#555555") for k in keys]
        values, title = df["era_id"], t("legend_era", lang)
    index = {k: n for n, k in enumerate(keys)}
    color_idx = values.map(index).fillna(len(keys) - 1).astype(int).to_numpy()
    # Grey entries (year unknown, fallback affinity) are drawn beneath the others, so they never hide the pattern.
    under = [index[k] for k in ("unknown", "fallback") if k in index]
    return color_idx, {"title": title, "items": [[n, c] for n, c in zip(names, colors, strict=True)], "under": under}


# ---------------------------------------------------------------------------------------------- arcs

def _tooltip_columns(df: pd.DataFrame, lang: str) -> list[pd.Series]:
    """The tooltip lines after the names line, one Series per line ("" where a row has no such line)."""
    where = pick_column(df, "cn_province", lang) + " · " + pick_column(df, "partner_country", lang)
    level = _per_value(df["level_class"], lambda v: field("level", label("level", v, lang), lang))
    established = df["established"].fillna("")
    year = _per_value(established, lambda v: field("established", v or t("year_unknown", lang), lang))
    affinity = _per_value(df["affinities"].fillna(""), lambda v: field("affinity", t(
        "inferred_value", lang, value=joined((label("affinity", a, lang) for a in v.split(";") if a), lang)), lang))
    cols = [where, level, year, affinity]
    if "tie_type" in df.columns:
        cols.append(_per_value(df["tie_type"].fillna(""), lambda v: "" if v in ("", "formal", "unknown")
                               else label("tie", v, lang)))
    if "status" in df.columns:
        status = df["status"].fillna("").replace("", "active")
        when = df["status_date"].fillna("") if "status_date" in df.columns else pd.Series("", index=df.index)

        def status_line(key: str) -> str:
            value, date = key.split("|", 1)
            if value == "active":
                return ""
            name = label("status", value, lang)
            return t("status_since", lang, status=name, date=date) if date else name

        cols.append(_per_value(status + "|" + when.where(status != "active", ""), status_line))
    if "case_number" in df.columns:
        cols.append(_per_value(df["case_number"], lambda n: t("case_marker", lang, n=n) if n else ""))
    return cols


def _shared_tooltips(df: pd.DataFrame, lang: str) -> tuple[list[list[int | None]], list[str]]:
    """Each row's tooltip as indexes into one table of distinct lines (None first: the names line, which the
    browser makes from the place labels), and that table. Each line column has few distinct values, so each is
    factorised on its own and only its distinct values go into the table."""
    cols = _tooltip_columns(df, lang)
    if df.empty:
        return [], []
    table: dict[str, int] = {}  # line -> its index in order of first use, columns in order
    uses: list[int] = []
    coded = []
    for col in cols:
        codes, distinct = pd.factorize(col)
        per_value = np.bincount(codes, minlength=len(distinct))
        ids = np.empty(len(distinct), dtype=np.int64)
        for k, value in enumerate(distinct):
            line = str(value)
            if line not in table:
                table[line] = len(uses)
                uses.append(0)
            ids[k] = table[line]
            uses[ids[k]] += int(per_value[k])
        coded.append(ids[codes])
    # The most used lines get the smallest indexes (the fewest digits in the payload).
    order = np.argsort(-np.asarray(uses), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    lines = list(table)
    strings = [lines[i] for i in order]
    grid = np.column_stack([rank[c] for c in coded]).tolist()
    if "" in table:  # an absent line: dropped from the rows, and its table entry left unused
        blank = strings.index("")
        return [[None] + [c for c in r if c != blank] for r in grid], strings  # type: ignore[operator]
    return [[None, *r] for r in grid], strings


def _places_rows(places: pd.DataFrame) -> list[list[Any]]:
    lons = np.round(pacific_lon_array(places["lon"].astype(float)), 3) if len(places) else np.array([])
    lats = np.round(places["lat"].astype(float).to_numpy(), 3) if len(places) else np.array([])
    return [list(r) for r in zip(places["place_id"].astype(str), lons.tolist(), lats.tolist(),
                                 places["label"].astype(str), places["side"].astype(str), strict=True)]


def _years(df: pd.DataFrame) -> list[int | None]:
    years = pd.to_numeric(df["year"], errors="coerce").astype("Float64")
    return years.round().astype("Int64").astype(object).where(years.notna(), None).tolist()


# Source and note texts a pairing carries that the map never shows: left behind before the placed rows are taken,
# as taking rows of long Arrow-backed strings is most of the cost of selecting them (50,000 pairings: ~110 ms).
_NOT_ON_MAP = ("date_source", "date_note", "tie_basis", "status_source", "source", "note")


def _placed_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The placed pairings, with the columns the map payload uses."""
    keep = [c for c in df.columns if c not in _NOT_ON_MAP]
    return df.loc[df["placed"].to_numpy(bool), keep]


def map_args(df: pd.DataFrame, *, lang: str, color_by: str, eras: pd.DataFrame, revision: int,
             highlight: tuple[str, ...] = (), marked: tuple[str, ...] = (), fit_to: list[list[float]] | None = None,
             tiles_url: str = "", height: int = 620, case_numbers: dict[str, int] | None = None,
             overlays: Sequence[dict[str, Any]] | None = None, provinces: pd.DataFrame | None = None,
             country_points: pd.DataFrame | None = None, detail_limit: int = DETAIL_LIMIT) -> dict[str, Any]:
    """Component arguments for one arc per placed pairing. `highlight` arcs are drawn strongly (a focused
    pairing) and their ends labelled, `marked` ones with a light outline (the book's cases). With `provinces`
    and `country_points`, a payload of more than `detail_limit` arcs also carries the province → country flows
    the browser draws while too many arcs are in view."""
    placed = _placed_rows(df)
    if case_numbers:
        placed = placed.assign(case_number=placed["pair_id"].map(case_numbers).fillna(0).astype(int))
    places = labels.ranked_places(placed, lang, focus_pairs=highlight)
    pos = pd.Index(places["place_id"])
    color_idx, legend = color_scheme(placed, color_by, lang, eras)
    cx, cy = arcs.control_points(placed["cn_lon"], placed["cn_lat"], placed["partner_lon"], placed["partner_lat"])
    tips, strings = _shared_tooltips(placed, lang)
    arc_rows = [list(r) for r in zip(
        pos.get_indexer(placed["cn_place_id"]).tolist(), pos.get_indexer(placed["partner_place_id"]).tolist(),
        np.round(cx, 2).tolist(), np.round(cy, 2).tolist(), color_idx.tolist(), [ARC_WIDTH] * len(placed),
        placed["pair_id"].astype(str).tolist(), tips, strict=True)]
    # The book-case entry only where a case is among the arcs (a case left unplaced draws nothing); the browser
    # also hides it while no case arc is in view (`case_item` names the entry).
    if marked and placed["pair_id"].isin(marked).any():
        legend["items"].append([t("legend_case", lang), "#000000"])
        legend["case_item"] = len(legend["items"]) - 1
    payload = _payload(_places_rows(places), arc_rows, legend, lang, revision, highlight, fit_to, tiles_url, height)
    payload["marked"] = list(marked)
    payload["strings"] = strings
    payload["years"] = _years(placed)
    # Playback needs at least two dated pairings (a case panel's single arc has nothing to animate).
    payload["playback"] = playback_span(placed) if sum(y is not None for y in payload["years"]) >= 2 else None
    ended = placed["status"].isin(ENDED_STATUSES).to_numpy() if "status" in placed.columns else np.zeros(0, bool)
    payload["ended"] = np.flatnonzero(ended).tolist()
    payload["label_focus"] = np.flatnonzero(places["focus"].to_numpy()).tolist() if len(places) else []
    payload["overlays"] = overlay_payload(overlays)
    payload["detail_limit"] = detail_limit
    if len(arc_rows) > detail_limit and provinces is not None and country_points is not None:
        flows = flow_data(placed, level="province", lang=lang, provinces=provinces, country_points=country_points,
                          color_by=color_by, eras=eras, min_count=1)
        reduced = _flow_payload(flows, lang)
        reduced["note"] = t("reduced_note", lang, n=f"{len(arc_rows):,}", flows=f"{len(flows.table):,}")
        payload["reduced"] = reduced
    return payload


def tooltip_lines(args: dict[str, Any], arc: list[Any]) -> list[str]:
    """The tooltip of one arc as the browser shows it (decodes shared strings and the names line)."""
    out = []
    for i, item in enumerate(arc[7]):
        if isinstance(item, int):
            out.append(args["strings"][item])
        elif item is None and i == 0:
            out.append(f"{args['places'][arc[0]][3]} — {args['places'][arc[1]][3]}")
        else:
            out.append(item)
    return out


def _payload(place_rows: list[list[Any]], arc_rows: list[list[Any]], legend: dict[str, Any], lang: str,
             revision: int, highlight: tuple[str, ...], fit_to: list[list[float]] | None, tiles_url: str,
             height: int) -> dict[str, Any]:
    return {
        "height": height, "lang": lang, "places": place_rows, "arcs": arc_rows, "legend": legend,
        "highlight": list(highlight), "fit_to": fit_to, "view": None, "tiles_url": tiles_url,
        "labels": browser_words(lang), "singular": i18n.singular_nouns(lang), "revision": revision,
        "label_candidates": min(LABEL_CANDIDATES, len(place_rows)), "label_focus": [],
    }


def browser_words(lang: str) -> dict[str, str]:
    """The interface words the browser shows itself (placeholders in braces are filled there)."""
    keys = {"partners_of": "map_partners", "no_arcs": "no_arcs", "ended": "legend_ended",
            "play": "play_start", "pause": "play_pause", "resume": "play_resume", "back": "play_back",
            "forward": "play_forward", "close": "play_close", "play_count": "play_count",
            "play_unknown": "play_unknown"}
    return {name: t(key, lang) for name, key in keys.items()}


# The longitudes a `view` may give: plain ones (-180..180), and the map's own Pacific-centred frame up to 330,
# which the page writes after a pan (a link copied from the address bar must open).
VIEW_LON_MIN, VIEW_LON_MAX = -180.0, 330.0


def read_view(text: str) -> tuple[dict[str, Any] | None, str]:
    """The map's `view` URL value '35.2,139.7,5' -> ({"center": [35.2, 139.7], "zoom": 5.0}, ''), the longitude
    brought into the Pacific-centred frame (-30..330; '35,-74,4' is New York); or (None, why) with `why` the
    catalogue key saying what is wrong: the form, the latitude, the longitude or the zoom."""
    try:
        lat, lon, zoom = (float(x) for x in text.split(","))
    except ValueError:
        return None, "view_why_form"
    if not all(np.isfinite((lat, lon, zoom))):
        return None, "view_why_form"
    if not -90 <= lat <= 90:
        return None, "view_why_lat"
    if not VIEW_LON_MIN <= lon <= VIEW_LON_MAX:
        return None, "view_why_lon"
    if not 1 <= zoom <= 12:
        return None, "view_why_zoom"
    return {"center": [lat, float(pacific_lon_array(lon))], "zoom": zoom}, ""


def parse_view(text: str) -> dict[str, Any] | None:
    """`read_view` without the reason."""
    return read_view(text)[0]


def bounds_of(df: pd.DataFrame, pad: float = 3.0) -> list[list[float]] | None:
    """[[lat_min, lon_min], [lat_max, lon_max]] around the placed rows, in the Pacific-centred frame."""
    placed = df.loc[df["placed"].to_numpy(bool), ["cn_lon", "cn_lat", "partner_lon", "partner_lat"]]
    return _box(placed, "cn", "partner", pad)


def flow_bounds(flows: Flows, pad: float = 3.0) -> list[list[float]] | None:
    """[[lat_min, lon_min], [lat_max, lon_max]] around the ends of the flows drawn (Pacific-centred frame): a flow
    runs between region anchors, not between the pairings' own points, so the arcs' bounds would not frame it."""
    return _box(flows.table, "src", "dst", pad)


def _box(table: pd.DataFrame, one: str, other: str, pad: float) -> list[list[float]] | None:
    """[[lat_min, lon_min], [lat_max, lon_max]] around both ends (`{one}_lat`/`_lon`, `{other}_…`) of every row."""
    if table.empty:
        return None
    lons = np.concatenate([pacific_lon_array(table[f"{one}_lon"]), pacific_lon_array(table[f"{other}_lon"])])
    lats = np.concatenate([table[f"{one}_lat"].to_numpy(float), table[f"{other}_lat"].to_numpy(float)])
    return [[float(lats.min() - pad), float(lons.min() - pad)], [float(lats.max() + pad), float(lons.max() + pad)]]


# ---------------------------------------------------------------------------------------------- playback

def playback_span(df: pd.DataFrame) -> dict[str, int] | None:
    """{first, last, unknown}: the years the animation steps through (from the first pair, 1973) and how many
    placed pairings of unknown year it leaves out; None when no placed pairing has a year."""
    placed = df[df["placed"]]
    years = pd.to_numeric(placed["year"], errors="coerce")
    if years.notna().sum() == 0:
        return None
    return {"first": min(FIRST_YEAR, int(years.min())), "last": int(years.max()),
            "unknown": int(years.isna().sum())}


def drawn_by(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """The placed pairings the animation shows at `year`: signed in or before it (unknown years never)."""
    placed = df[df["placed"]]
    years = pd.to_numeric(placed["year"], errors="coerce")
    return placed[years.notna() & (years <= year)]


def playback_frames(df: pd.DataFrame) -> pd.DataFrame:
    """One row per year of the animation: year, new (signed that year), shown (cumulative), for exports."""
    span = playback_span(df)
    if span is None:
        return pd.DataFrame({"year": pd.Series(dtype=int), "new": pd.Series(dtype=int),
                             "shown": pd.Series(dtype=int)})
    placed = df[df["placed"]]
    years = pd.to_numeric(placed["year"], errors="coerce").dropna().astype(int)
    span_years = range(span["first"], span["last"] + 1)
    new = years.value_counts().reindex(span_years, fill_value=0)
    return pd.DataFrame({"year": list(span_years), "new": new.to_numpy(), "shown": new.cumsum().to_numpy()})


# ---------------------------------------------------------------------------------------------- overlays

def overlay_payload(overlays: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Overlay layers as the browser draws them: longitudes moved into the Pacific-centred frame, colour and
    shape checked (a bad colour becomes grey, an unknown shape a square), text kept as plain strings."""
    out = []
    for layer in overlays or ():
        points = [p for p in layer.get("points", ()) if len(p) >= 3]
        lons = pacific_lon_array([float(p[0]) for p in points]).tolist() if points else []
        color = str(layer.get("color", ""))
        shape = str(layer.get("shape", "square"))
        out.append({
            "id": str(layer.get("id", "")), "title": str(layer.get("title", "")),
            "color": color if _HEX.match(color) else "#555555",
            "shape": shape if shape in OVERLAY_SHAPES else "square",
            "points": [[round(lon, 3), round(float(p[1]), 3), str(p[2]),
                        [str(x) for x in (p[3] if len(p) > 3 and p[3] else [])]]
                       for lon, p in zip(lons, points, strict=True)],
        })
    return out


# ---------------------------------------------------------------------------------------------- flows

@dataclass(frozen=True)
class Flows:
    """Pairings grouped into flows from a Chinese unit to a partner region, largest first.

    `table` columns: src, dst (keys), src_label, dst_label, src_lon, src_lat, dst_lon, dst_lat (plain lon),
    n (pairings), color (colour index into `legend`), top (the most common colour value's label and count).
    Only flows of at least `min_count` pairings are in `table`; `total_flows` and `total_pairings` count all."""

    table: pd.DataFrame
    legend: dict[str, Any]
    level: str
    min_count: int
    auto: bool
    total_flows: int
    total_pairings: int
    largest: int = 0  # pairings in the largest flow, drawn or not

    @property
    def hidden_pairings(self) -> int:
        return self.total_pairings - int(self.table["n"].sum())

    @property
    def all_below_threshold(self) -> bool:
        """Pairings match, but no flow reaches the threshold (the map would be empty though the filters are not)."""
        return self.table.empty and self.total_pairings > 0


def auto_min_count(counts: Iterable[int], max_flows: int = MAX_AUTO_FLOWS) -> int:
    """The smallest threshold that keeps at most `max_flows` flows (1 when there are no more than that)."""
    ordered = sorted(counts, reverse=True)
    return 1 if len(ordered) <= max_flows else int(ordered[max_flows]) + 1


def _medoid_anchors(keys: pd.Series, iso3: pd.Series, points: pd.DataFrame) -> pd.DataFrame:
    """For each group (e.g. a continent), the point of its member country nearest, weighted by pairings, to all
    the group's pairings: always on land, and where the group's pairings are (the mean could fall in China)."""
    pts = points.set_index("iso3")
    counts = pd.DataFrame({"key": keys, "iso3": iso3})
    counts = counts[counts["iso3"].isin(pts.index) & (counts["key"] != "")]
    counts = counts.groupby(["key", "iso3"]).size().rename("w").reset_index()
    counts["x"] = pacific_lon_array(pts.loc[counts["iso3"], "lon"].astype(float))
    counts["y"] = pts.loc[counts["iso3"], "lat"].astype(float).to_numpy()
    counts["lon"] = pts.loc[counts["iso3"], "lon"].astype(float).to_numpy()
    rows = []
    for key, g in counts.groupby("key"):  # one small matrix per group (a few dozen countries at most)
        x, y, w = g["x"].to_numpy(float), g["y"].to_numpy(float), g["w"].to_numpy(float)
        cost = (np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) * w[None, :]).sum(axis=1)
        best = int(np.argmin(cost))
        rows.append((key, float(g["lon"].to_numpy(float)[best]), float(y[best])))
    return pd.DataFrame(rows, columns=["key", "lon", "lat"]).set_index("key")


def _level_keys(df: pd.DataFrame, level: str, lang: str, provinces: pd.DataFrame, country_points: pd.DataFrame,
                anchor_rows: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.DataFrame, pd.DataFrame]:
    """Source and destination key of each row, and each key's anchor point and label (index = key)."""
    prov = provinces.assign(lon=provinces["lon"].astype(float), lat=provinces["lat"].astype(float))
    if level == "macro":
        src = df["macro_region"].fillna("")
        dst = df["subregion_en"].fillna("")
        src_pts = prov[prov["macro_region"] != ""].groupby("macro_region")[["lon", "lat"]].mean()
        src_pts["label"] = [label("macro", k, lang) for k in src_pts.index]
        dst_pts = _medoid_anchors(anchor_rows["subregion_en"].fillna(""), anchor_rows["partner_country_iso3"],
                                  country_points)
        dst_names = pick_column(df, "subregion", lang).groupby(dst).first()
    elif level == "continent":
        src = pd.Series("CHN", index=df.index)
        dst = df["continent_en"].fillna("")
        china = country_points[country_points["iso3"] == "CHN"]
        lon, lat = ((float(china["lon"].iloc[0]), float(china["lat"].iloc[0])) if len(china)
                    else (float(prov["lon"].mean()), float(prov["lat"].mean())))
        src_pts = pd.DataFrame({"lon": [lon], "lat": [lat], "label": [t("china", lang)]}, index=["CHN"])
        dst_pts = _medoid_anchors(anchor_rows["continent_en"].fillna(""), anchor_rows["partner_country_iso3"],
                                  country_points)
        dst_names = pick_column(df, "continent", lang).groupby(dst).first()
    else:
        src = df["cn_province_en"].fillna("")
        dst = df["partner_country_iso3"].fillna("")
        src_pts = prov.set_index("province_en", drop=False)
        src_pts = src_pts.assign(label=src_pts["province_zh" if lang == "zh" else "province_en"])
        pts = country_points.set_index("iso3")
        dst_pts = pd.DataFrame({"lon": pts["lon"].astype(float), "lat": pts["lat"].astype(float)})
        dst_names = pick_column(df, "partner_country", lang).groupby(dst).first()
    dst_pts = dst_pts.assign(label=dst_names.reindex(dst_pts.index).fillna(""))
    dst_pts["label"] = dst_pts["label"].where(dst_pts["label"] != "", dst_pts.index.to_series())
    return src, dst, src_pts, dst_pts


def flow_data(df: pd.DataFrame, *, level: str = "province", lang: str, provinces: pd.DataFrame,
              country_points: pd.DataFrame, color_by: str | None = None, eras: pd.DataFrame | None = None,
              min_count: int = 0, anchor_rows: pd.DataFrame | None = None) -> Flows:
    """The flows of `df` at `level` ("province": province → country, "macro": macro-region → sub-region,
    "continent": China → continent), coloured by the most common value of `color_by` in each (one colour when
    None), keeping flows of at least `min_count` pairings (0: `auto_min_count`). Flows need no coordinates of
    their own, so pairings that cannot be placed as arcs still count. Anchors of regions are taken from
    `anchor_rows` (default `df`; pass the whole dataset to keep them still while filters change)."""
    src, dst, src_pts, dst_pts = _level_keys(df, level, lang, provinces, country_points,
                                             df if anchor_rows is None else anchor_rows)
    ok = src.isin(src_pts.index) & dst.isin(dst_pts.index)
    rows = pd.DataFrame({"src": src[ok], "dst": dst[ok]})
    if color_by:
        cat, legend = color_scheme(df, color_by, lang, eras)
        rows["cat"] = cat[ok.to_numpy()]
        legend["title"] = t("legend_flow_color", lang, scheme=legend["title"])
    else:
        rows["cat"] = 0
        legend = {"title": t("legend_flow", lang), "items": [[t("mode_flow", lang), FLOW_COLOR]]}
    by_cat = rows.groupby(["src", "dst", "cat"]).size().rename("k").reset_index()
    totals = by_cat.groupby(["src", "dst"])["k"].sum().rename("n")
    top = by_cat.sort_values(["k", "cat"], ascending=[False, True]).drop_duplicates(["src", "dst"])
    table = top.set_index(["src", "dst"]).join(totals).reset_index()
    table = table.sort_values(["n", "src", "dst"], ascending=[False, True, True]).reset_index(drop=True)
    auto = min_count <= 0
    threshold = auto_min_count(table["n"]) if auto else int(min_count)
    total_flows, total_pairings = len(table), int(table["n"].sum())
    largest = int(table["n"].max()) if len(table) else 0
    table = table[table["n"] >= threshold].reset_index(drop=True)
    names = [str(item[0]) for item in legend["items"]]
    table = table.assign(
        color=table["cat"].astype(int),
        top=[f"{names[c]} ({k})" if color_by else "" for c, k in zip(table["cat"], table["k"], strict=True)],
        src_label=src_pts["label"].reindex(table["src"]).to_numpy(),
        dst_label=dst_pts["label"].reindex(table["dst"]).to_numpy(),
        src_lon=src_pts["lon"].reindex(table["src"]).to_numpy(float),
        src_lat=src_pts["lat"].reindex(table["src"]).to_numpy(float),
        dst_lon=dst_pts["lon"].reindex(table["dst"]).to_numpy(float),
        dst_lat=dst_pts["lat"].reindex(table["dst"]).to_numpy(float),
    ).drop(columns=["cat", "k"])
    return Flows(table, legend, level, threshold, auto, total_flows, total_pairings, largest)


def _nice_below(value: float) -> int:
    """The largest of 1, 2, 5, 10, 20, 50, … not above `value` (at least 1)."""
    if value < 1:
        return 1
    mag = 10 ** int(np.floor(np.log10(value)))
    return int(max(m * mag for m in (1, 2, 5) if m * mag <= value))


def flow_width(n: pd.Series | np.ndarray | float, max_n: float) -> np.ndarray:
    """Line width in pixels, proportional to the count (the largest flow `FLOW_MAX_WIDTH`), never below
    `FLOW_MIN_WIDTH` so the smallest flows stay visible."""
    return np.maximum(FLOW_MIN_WIDTH, np.asarray(n, dtype=float) * FLOW_MAX_WIDTH / max(float(max_n), 1.0))


def width_scale(max_n: int, min_n: int, lang: str) -> dict[str, Any]:
    """The legend's width scale: a few round counts from the largest flow down, each with its drawn width."""
    values: list[int] = []
    for share in (1.0, 0.4, 0.1):
        v = _nice_below(max_n * share)
        if v >= max(min_n, 1) and v not in values:
            values.append(v)
    if not values:
        values = [max(max_n, 1)]
    widths = flow_width(np.array(values), max_n)
    return {"title": t("legend_width", lang),
            "items": [[t("legend_width_item", lang, n=f"{v:,}"), round(float(w), 2)]
                      for v, w in zip(values, widths, strict=True)]}


def _flow_payload(flows: Flows, lang: str) -> dict[str, Any]:
    """Places (the flows' ends, busiest first), arcs and legend of a flow map."""
    tb = flows.table
    ends = pd.concat([
        pd.DataFrame({"place_id": "src:" + tb["src"].astype(str), "lon": tb["src_lon"], "lat": tb["src_lat"],
                      "label": tb["src_label"], "side": "cn", "n": tb["n"]}),
        pd.DataFrame({"place_id": "dst:" + tb["dst"].astype(str), "lon": tb["dst_lon"], "lat": tb["dst_lat"],
                      "label": tb["dst_label"], "side": "partner", "n": tb["n"]})])
    places = (ends.groupby(["place_id", "lon", "lat", "label", "side"], sort=False)["n"].sum().reset_index()
              .sort_values(["n", "label"], ascending=[False, True]).reset_index(drop=True))
    pos = pd.Index(places["place_id"])
    cx, cy = arcs.control_points(tb["src_lon"], tb["src_lat"], tb["dst_lon"], tb["dst_lat"])
    max_n = int(tb["n"].max()) if len(tb) else 1
    widths = np.round(flow_width(tb["n"], max_n), 2)
    tips = [[t("flow_tooltip", lang, a=a, b=b, n=f"{n:,}"), *([t("flow_most", lang, top=top)] if top else [])]
            for a, b, n, top in zip(tb["src_label"], tb["dst_label"], tb["n"], tb["top"], strict=True)]
    arc_rows = [list(r) for r in zip(
        pos.get_indexer("src:" + tb["src"].astype(str)).tolist(), pos.get_indexer("dst:" + tb["dst"].astype(str))
        .tolist(), np.round(cx, 2).tolist(), np.round(cy, 2).tolist(), tb["color"].astype(int).tolist(),
        widths.tolist(), ("flow:" + tb["src"].astype(str) + ":" + tb["dst"].astype(str)).tolist(), tips,
        strict=True)]
    legend = dict(flows.legend)
    legend["scale"] = width_scale(max_n, flows.min_count, lang)
    return {"places": _places_rows(places), "arcs": arc_rows, "legend": legend,
            "label_candidates": min(LABEL_CANDIDATES, len(places)), "label_focus": []}


def view_flows(df: pd.DataFrame, atlas: Atlas, f: Filters, lang: str, country_points: pd.DataFrame) -> Flows:
    """The flows of the filtered pairings `df` as the live map draws them and the exports picture them: the
    filter state's grouping, colours and threshold, the regions anchored on the whole dataset (`atlas.pairings`),
    so a region's point stays put while filters change and a picture matches the map it was taken from."""
    return flow_data(df, level=f.flow_level, lang=lang, provinces=atlas.provinces, country_points=country_points,
                     color_by=f.color_by, eras=atlas.eras, min_count=f.flow_min, anchor_rows=atlas.pairings)


def flow_note(flows: Flows, lang: str) -> str:
    """What the flow map leaves out, in words ('' when it draws every flow)."""
    if len(flows.table) == flows.total_flows:
        return ""
    return t("flow_note", lang, shown=f"{len(flows.table):,}", total=f"{flows.total_flows:,}",
             k=f"{flows.min_count:,}", hidden=f"{flows.hidden_pairings:,}")


def flow_empty_note(flows: Flows, lang: str) -> str:
    """Why a flow map is empty although pairings match: no flow reaches the threshold ('' otherwise)."""
    if not flows.all_below_threshold:
        return ""
    return t("flow_none_reach", lang, n=f"{flows.total_pairings:,}", k=f"{flows.min_count:,}",
             largest=f"{flows.largest:,}")


def flow_args(df: pd.DataFrame, *, lang: str, provinces: pd.DataFrame, country_points: pd.DataFrame,
              revision: int, tiles_url: str = "", height: int = 620, level: str = "province", min_count: int = 0,
              color_by: str | None = None, eras: pd.DataFrame | None = None,
              anchor_rows: pd.DataFrame | None = None, fit_to: list[list[float]] | None = None,
              overlays: Sequence[dict[str, Any]] | None = None, flows: Flows | None = None) -> dict[str, Any]:
    """Component arguments for a flow map (see `flow_data`; or of `flows` already made from `df`): width
    proportional to the number of pairings, with a width scale and a note on the flows below the threshold in
    the legend."""
    if flows is None:
        flows = flow_data(df, level=level, lang=lang, provinces=provinces, country_points=country_points,
                          color_by=color_by, eras=eras, min_count=min_count, anchor_rows=anchor_rows)
    part = _flow_payload(flows, lang)
    payload = _payload(part["places"], part["arcs"], part["legend"], lang, revision, (), fit_to, tiles_url, height)
    payload.update(overlays=overlay_payload(overlays), strings=[])
    note = flow_note(flows, lang)
    if note:
        payload["legend"]["note"] = note
    empty = flow_empty_note(flows, lang)
    if empty:
        payload["empty_text"] = empty  # the map says why it is empty, not that nothing matches
    return payload


def flow_ranking(flows: Flows, lang: str, top: int = 20) -> pd.DataFrame:
    """The largest flows as a table for beside the map: rank, flow ('Jiangsu → Japan'), pairings."""
    tb = flows.table.head(top)
    return pd.DataFrame({
        "#": range(1, len(tb) + 1),
        t("flow", lang): (tb["src_label"].astype(str) + " → " + tb["dst_label"].astype(str)).to_numpy(),
        t("pairings", lang): tb["n"].to_numpy(),
    })


