"""The data the browser map draws: places, arcs (or province→country flows), colours and legend.

The basemap is a static file the browser loads once; a filter change sends only this compact payload, so the
map keeps its view and nothing is rebuilt. Text goes out as plain strings and the browser inserts it as text.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from geo import arcs, i18n, labels
from geo.affinity import AFFINITIES, AFFINITY_COLORS, primary_affinity
from geo.basemap import pacific_lon_array
from geo.i18n import field, joined, label, t
from geo.regions import LEVEL_CLASSES

ERA_COLORS = {"I": "#6a040f", "II": "#d00000", "III": "#e85d04", "IV": "#faa307", "V": "#2a9d8f",
              "unknown": "#8d99ae"}
LEVEL_COLORS = {"province_state": "#7b2cbf", "city_city": "#1d70a2", "county": "#e76f51"}
FLOW_COLOR = "#c1121f"
CN_COLOR, PARTNER_COLOR = "#c1121f", "#1d3557"


def _legend(df: pd.DataFrame, color_by: str, lang: str, eras: pd.DataFrame) -> tuple[pd.Series, dict[str, Any]]:
    """Colour index per row and the legend it refers to."""
    if color_by == "level":
        keys = list(LEVEL_CLASSES)
        labels = [label("level", k, lang) for k in keys]
        colors = [LEVEL_COLORS[k] for k in keys]
        values, title = df["level_class"], t("legend_level", lang)
    elif color_by == "affinity":
        keys = list(AFFINITIES)
        labels = [label("affinity", k, lang) for k in keys]
        colors = [AFFINITY_COLORS[k] for k in keys]
        values, title = primary_affinity(df["affinities"]), t("legend_affinity", lang)
    else:
        names = i18n.era_labels(eras.to_dict("records"), lang)
        keys = list(names)
        labels = list(names.values())
        colors = [ERA_COLORS.get(k, "#555555") for k in keys]
        values, title = df["era_id"], t("legend_era", lang)
    index = {k: n for n, k in enumerate(keys)}
    color_idx = values.map(index).fillna(len(keys) - 1).astype(int)
    return color_idx, {"title": title, "items": [[lab, col] for lab, col in zip(labels, colors, strict=True)]}


def _tooltip(row: dict[Hashable, Any], lang: str) -> list[str]:
    affs = joined((label("affinity", a, lang) for a in row["affinities"].split(";") if a), lang)
    lines = [
        f"{i18n.cn_label(row, lang)} — {i18n.partner_label(row, lang)}",
        f"{i18n.pick(row, 'cn_province', lang)} · {i18n.pick(row, 'partner_country', lang)}",
        field("level", label("level", row["level_class"], lang), lang),
        field("established", i18n.year_text(row, lang), lang),
        field("affinity", t("inferred_value", lang, value=affs), lang),
    ]
    if row.get("tie_type") not in (None, "", "formal", "unknown"):
        lines.append(label("tie", str(row["tie_type"]), lang))
    status = str(row.get("status") or "active")
    if status != "active":
        when = str(row.get("status_date") or "")
        lines.append(t("status_since", lang, status=label("status", status, lang), date=when) if when else
                     label("status", status, lang))
    if row.get("case_number"):
        lines.append(t("case_marker", lang, n=row["case_number"]))
    return lines


def map_args(df: pd.DataFrame, *, lang: str, color_by: str, eras: pd.DataFrame, revision: int,
             highlight: tuple[str, ...] = (), marked: tuple[str, ...] = (), fit_to: list[list[float]] | None = None,
             tiles_url: str = "", height: int = 620, case_numbers: dict[str, int] | None = None) -> dict[str, Any]:
    """Component arguments for one arc per placed pairing. `highlight` arcs are drawn strongly (a focused
    pairing), `marked` ones with a light outline (the book's cases)."""
    placed = df[df["placed"]].copy()
    if case_numbers:
        placed["case_number"] = placed["pair_id"].map(case_numbers).fillna(0).astype(int)
    places = labels.place_labels(placed, lang)
    pos = {pid: n for n, pid in enumerate(places["place_id"])}
    color_idx, legend = _legend(placed, color_by, lang, eras)
    cx, cy = arcs.control_points(placed["cn_lon"], placed["cn_lat"], placed["partner_lon"], placed["partner_lat"])
    # Tooltip text shared by many arcs ("Jiangsu · Japan", "Level: City–city") is sent once and referred to by
    # index; the first line (the two names) is rebuilt in the browser from the place labels.
    strings: dict[str, int] = {}
    arc_rows = []
    for n, row in enumerate(placed.to_dict("records")):
        lines = _tooltip(row, lang)
        coded: list[int | None] = [None] + [strings.setdefault(line, len(strings)) for line in lines[1:]]
        arc_rows.append([pos[row["cn_place_id"]], pos[row["partner_place_id"]], round(float(cx[n]), 2),
                         round(float(cy[n]), 2), int(color_idx.iloc[n]), 1.2, row["pair_id"], coded])
    if marked:
        legend["items"].append([t("legend_case", lang), "#000000"])
    payload = _payload(places, arc_rows, legend, lang, revision, highlight, fit_to, tiles_url, height)
    payload["marked"] = list(marked)
    payload["strings"] = list(strings)
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


def flow_args(df: pd.DataFrame, *, lang: str, provinces: pd.DataFrame, country_points: pd.DataFrame,
              revision: int, tiles_url: str = "", height: int = 620) -> dict[str, Any]:
    """Component arguments for one arc per Chinese province and partner country, width by count."""
    placed = df[(df["cn_province_en"] != "") & (df["partner_country_iso3"] != "")]
    counts = placed.groupby(["cn_province_en", "partner_country_iso3"]).size().reset_index(name="n")
    prov = provinces.set_index("province_en")
    pts = country_points.set_index("iso3")
    counts = counts[counts["cn_province_en"].isin(prov.index) & counts["partner_country_iso3"].isin(pts.index)]
    country_name = placed.drop_duplicates("partner_country_iso3").set_index("partner_country_iso3")
    name_col = "partner_country_zh" if lang == "zh" else "partner_country_en"
    rows_places: dict[str, list[Any]] = {}
    for p in counts["cn_province_en"].unique():
        rows_places[f"cnprov:{p}"] = [f"cnprov:{p}", float(str(prov.at[p, "lon"])), float(str(prov.at[p, "lat"])),
                                      prov.at[p, "province_zh"] if lang == "zh" else p, "cn"]
    for c in counts["partner_country_iso3"].unique():
        rows_places[f"ctry:{c}"] = [f"ctry:{c}", float(str(pts.at[c, "lon"])), float(str(pts.at[c, "lat"])),
                                    country_name.at[c, name_col] or c, "partner"]
    places = pd.DataFrame(list(rows_places.values()), columns=["place_id", "lon", "lat", "label", "side"])
    pos = {pid: n for n, pid in enumerate(places["place_id"])}
    lon1 = counts["cn_province_en"].map(lambda p: prov.at[p, "lon"]).astype(float)
    lat1 = counts["cn_province_en"].map(lambda p: prov.at[p, "lat"]).astype(float)
    lon2 = counts["partner_country_iso3"].map(lambda c: pts.at[c, "lon"]).astype(float)
    lat2 = counts["partner_country_iso3"].map(lambda c: pts.at[c, "lat"]).astype(float)
    cx, cy = arcs.control_points(lon1, lat1, lon2, lat2)
    arc_rows = []
    for n, row in enumerate(counts.to_dict("records")):
        a_label = places.at[pos[f"cnprov:{row['cn_province_en']}"], "label"]
        b_label = places.at[pos[f"ctry:{row['partner_country_iso3']}"], "label"]
        width = round(1.0 + 1.6 * float(np.sqrt(row["n"])), 2)
        arc_rows.append([pos[f"cnprov:{row['cn_province_en']}"], pos[f"ctry:{row['partner_country_iso3']}"],
                         round(float(cx[n]), 2), round(float(cy[n]), 2), 0, width,
                         f"flow:{row['cn_province_en']}:{row['partner_country_iso3']}",
                         [t("flow_tooltip", lang, a=a_label, b=b_label, n=int(row["n"]))]])
    legend = {"title": t("legend_flow", lang), "items": [[t("mode_flow", lang), FLOW_COLOR]]}
    return _payload(places, arc_rows, legend, lang, revision, (), None, tiles_url, height)


def _payload(places: pd.DataFrame, arc_rows: list[list[Any]], legend: dict[str, Any], lang: str, revision: int,
             highlight: tuple[str, ...], fit_to: list[list[float]] | None, tiles_url: str,
             height: int) -> dict[str, Any]:
    lons = pacific_lon_array(places["lon"].astype(float)) if len(places) else np.array([])
    place_rows = [[pid, round(float(lon), 3), round(float(lat), 3), str(label), side]
                  for pid, lon, lat, label, side in zip(places["place_id"], lons, places["lat"], places["label"],
                                                        places["side"], strict=True)]
    return {
        "height": height, "lang": lang, "places": place_rows, "arcs": arc_rows, "legend": legend,
        "highlight": list(highlight), "fit_to": fit_to, "view": None, "tiles_url": tiles_url,
        "labels": {"partners_of": t("map_partners", lang), "no_arcs": t("no_arcs", lang)},
        "revision": revision,
    }


def bounds_of(df: pd.DataFrame, pad: float = 3.0) -> list[list[float]] | None:
    """[[lat_min, lon_min], [lat_max, lon_max]] around the placed rows, in the Pacific-centred frame."""
    placed = df[df["placed"]]
    if placed.empty:
        return None
    lons = np.concatenate([pacific_lon_array(placed["cn_lon"]), pacific_lon_array(placed["partner_lon"])])
    lats = np.concatenate([placed["cn_lat"].to_numpy(float), placed["partner_lat"].to_numpy(float)])
    return [[float(lats.min() - pad), float(lons.min() - pad)], [float(lats.max() + pad), float(lons.max() + pad)]]
