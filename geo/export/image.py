"""The map as a picture for slides (1920×1080 PNG) and print (A4 landscape: 300 dpi PNG, SVG, PDF), drawn with
matplotlib on the same Pacific-centred basemap, arc geometry and colours as the browser map, with no browser and
no network.

The picture matches the view: it is fitted to the pairings shown (or to a focused pairing, as the map page is),
names the busiest places without overlaps (`geo.labels`), draws a focused pairing strongly with its ends named,
draws ended or suspended ties dashed and grey, and carries the filters in words as its caption.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo import arcs, labels, load, mapview, paths
from geo.basemap import PACIFIC_CUT_LON, pacific_lon_array
from geo.export.summary import data_as_of, filter_summary, source_line
from geo.export.view import NO_FOCUS, Focus, case_by_number, focus_pairs, place_rows, shown
from geo.filters import Filters
from geo.i18n import pick, t

SLIDE_SIZE = (1920, 1080)
SLIDE_DPI = 150
PRINT_SIZE = (3508, 2480)  # A4 landscape at 300 dpi
PRINT_DPI = 300
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
CJK_FAMILY = "Noto Sans CJK SC"
ENDED_COLOR = "#7d7d7d"
FLOW_WIDTH = 0.45  # points per pixel of the live map's flow width
FOCUS_OUTLINE = "#000000"  # as the browser outlines a focused pairing
ENDED = ("suspended", "terminated")
LAT_RANGE = (-62.0, 86.0)  # what the basemap covers usefully (no Antarctica)
ASPECT_LAT_LIMIT = 60.0


def cjk_font() -> Any:
    """FontProperties for Noto Sans CJK SC (regular and bold); a clear error if fonts-noto-cjk is missing."""
    from matplotlib import font_manager

    if not CJK_FONT.exists():
        raise RuntimeError(f"Chinese text needs the Noto Sans CJK font ({CJK_FONT}); install it with "
                           "'apt-get install fonts-noto-cjk' and restart the app.")
    known = {(f.name, f.weight) for f in font_manager.fontManager.ttflist}
    if (CJK_FAMILY, 400) not in known:
        font_manager.fontManager.addfont(str(CJK_FONT))
    if CJK_BOLD.exists() and (CJK_FAMILY, 700) not in known:
        font_manager.fontManager.addfont(str(CJK_BOLD))
    return font_manager.FontProperties(family=CJK_FAMILY)


@lru_cache(maxsize=1)
def _basemap_paths() -> tuple[Any, Any, Any]:
    """The basemap as three matplotlib Paths (countries, Chinese provinces, the sea boundary line), built once:
    one compound path per layer draws far faster than one patch per country, and can be drawn shifted by 360°."""
    from matplotlib.path import Path as MplPath
    from shapely.geometry import polygon as shp_polygon

    from geo.basemap import KIND_COUNTRY, KIND_PROVINCE, KIND_SEA_BOUNDARY, basemap_frame

    frame = basemap_frame()

    def polygons(kind: str) -> Any:
        verts: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for geom in frame.loc[frame["kind"] == kind, "geometry"]:
            for poly in getattr(geom, "geoms", [geom]):
                # Exterior anticlockwise, holes clockwise: the nonzero fill rule then leaves holes empty.
                poly = shp_polygon.orient(poly, 1.0)
                for ring in [poly.exterior, *poly.interiors]:
                    xy = np.asarray(ring.coords, dtype=float)
                    c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
                    c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
                    verts.append(xy)
                    codes.append(c)
        return MplPath(np.concatenate(verts), np.concatenate(codes)) if verts else None

    def lines(kind: str) -> Any:
        verts, codes = [], []
        for geom in frame.loc[frame["kind"] == kind, "geometry"]:
            for line in getattr(geom, "geoms", [geom]):
                xy = np.asarray(line.coords, dtype=float)
                c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
                c[0] = MplPath.MOVETO
                verts.append(xy)
                codes.append(c)
        return MplPath(np.concatenate(verts), np.concatenate(codes)) if verts else None

    return polygons(KIND_COUNTRY), polygons(KIND_PROVINCE), lines(KIND_SEA_BOUNDARY)


@lru_cache(maxsize=1)
def _country_points() -> pd.DataFrame:
    return load.read_table(paths.COUNTRY_POINTS, ["iso3", "lon", "lat"])


# --- The extent ---------------------------------------------------------------------------------------------------

def arc_points(df: pd.DataFrame) -> np.ndarray:
    """Both ends and three points along each placed pairing's arc, as (pacific lon, lat) rows: what a picture
    must contain for every arc to be seen whole."""
    placed = df[df["placed"]]
    if placed.empty:
        return np.empty((0, 2))
    x1, x2 = pacific_lon_array(placed["cn_lon"]), pacific_lon_array(placed["partner_lon"])
    y1, y2 = placed["cn_lat"].to_numpy(float), placed["partner_lat"].to_numpy(float)
    cx, cy = arcs.control_points(placed["cn_lon"], placed["cn_lat"], placed["partner_lon"], placed["partner_lat"])
    out = [np.column_stack([x1, y1]), np.column_stack([x2, y2])]
    for s in (0.25, 0.5, 0.75):
        out.append(np.column_stack([(1 - s) ** 2 * x1 + 2 * (1 - s) * s * cx + s**2 * x2,
                                    (1 - s) ** 2 * y1 + 2 * (1 - s) * s * cy + s**2 * y2]))
    return np.concatenate(out)


def view_extent(df: pd.DataFrame, focus: tuple[str, ...] = ()) -> tuple[float, float, float, float]:
    """(lon0, lon1, lat0, lat1) in the Pacific-centred frame around what the view shows: the focused pairing if
    there is one (the map page zooms to it too), else every placed pairing; the whole world when nothing is
    placed. The frame is cut in the mid-Atlantic, so pairings that cross the Pacific stay whole and centred."""
    rows = df[df["pair_id"].isin(set(focus))] if focus else df
    pts = arc_points(rows)
    if not len(pts):
        return PACIFIC_CUT_LON, PACIFIC_CUT_LON + 360.0, -58.0, 84.0
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    pad = 8.0 if focus else max(3.0, 0.04 * max(x1 - x0, y1 - y0))
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    # A pairing of two near places still shows some country around it.
    grow_x, grow_y = max(0.0, 24.0 - (x1 - x0)) / 2, max(0.0, 14.0 - (y1 - y0)) / 2
    return x0 - grow_x, x1 + grow_x, max(LAT_RANGE[0], y0 - grow_y), min(LAT_RANGE[1], y1 + grow_y)


def view_flows(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str) -> mapview.Flows | None:
    """In flow mode, the same flows the live map draws (`mapview.view_flows`: grouping, smallest flow, colours,
    region anchors), so the picture's flows end where the map's do and a caption can say which grouping and
    threshold; None in arc mode."""
    if filters.mode != "flow":
        return None
    return mapview.view_flows(df, atlas, filters, lang, _country_points())


def view_caption(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str) -> str:
    """The filters in words, for flows with their grouping and threshold (`filter_summary`)."""
    flows = view_flows(df, atlas, filters, lang)
    return filter_summary(filters, atlas, lang, flows.min_count if flows is not None else None)


def fit_limits(extent: tuple[float, float, float, float], box_w: float, box_h: float
               ) -> tuple[tuple[float, float], tuple[float, float], float]:
    """x and y limits that hold `extent` and fill a box of box_w × box_h pixels, and the aspect (y units per x
    unit on screen, 1/cos of the middle latitude, so a region keeps its shape as on a local map)."""
    x0, x1, y0, y1 = extent
    mid = max(-ASPECT_LAT_LIMIT, min(ASPECT_LAT_LIMIT, (y0 + y1) / 2))
    aspect = 1.0 / math.cos(math.radians(mid))
    dx, dy = x1 - x0, y1 - y0
    want = box_h / (aspect * box_w)  # dy/dx that fills the box
    if dy / dx < want:
        # Taller than the data: add latitude, but never more than the map has; then the box narrows instead.
        span = min(dx * want, LAT_RANGE[1] - LAT_RANGE[0])
        y0, y1 = y0 - (span - dy) / 2, y1 + (span - dy) / 2
        if y1 > LAT_RANGE[1]:  # slide back over the map rather than show empty polar space
            y0, y1 = y0 - (y1 - LAT_RANGE[1]), LAT_RANGE[1]
        elif y0 < LAT_RANGE[0]:
            y0, y1 = LAT_RANGE[0], y1 + (LAT_RANGE[0] - y0)
    else:
        extra = dy / want - dx
        x0, x1 = x0 - extra / 2, x1 + extra / 2
    return (x0, x1), (y0, y1), aspect


# --- Drawing ------------------------------------------------------------------------------------------------------

@dataclass
class MapPicture:
    """A drawn map: the figure, its map Axes (`transData` maps (pacific lon, lat) to pixels), the names placed
    on it (label, side, focus, x, y in pixels from the top left) and the focused pairings."""

    fig: Any
    ax: Any
    labels: pd.DataFrame
    focus_pairs: tuple[str, ...]


def _style(n_arcs: int, scale: float) -> tuple[float, float]:
    """Arc opacity and width: bold and opaque for a few arcs, lighter as they crowd, always heavier than the
    browser's 1 px so the picture survives a projector."""
    crowd = math.log10(n_arcs + 1)
    return float(np.clip(1.1 - 0.2 * crowd, 0.35, 0.85)), float(np.clip(1.7 - 0.25 * crowd, 0.8, 1.5)) * scale


def _wrap(text: str, width_em: float, max_lines: int) -> list[str]:
    """Break `text` into lines of at most `width_em` ems (CJK characters are one em), at spaces or separators
    where it can; the last line ends with '…' if text is left over."""
    lines, line = [], ""
    for ch in text:
        if labels.text_width(line + ch, 1.0) > width_em:
            cut = max(line.rfind(" "), line.rfind("；"), line.rfind("; "), line.rfind("，"))
            if cut > len(line) * 0.6:
                lines.append(line[:cut + 1].rstrip())
                line = line[cut + 1:].lstrip()
            else:
                lines.append(line)
                line = ""
        line += ch
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return [ln for ln in lines if ln]


def focus_line(df: pd.DataFrame, focus: Focus, lang: str) -> str:
    """'Focus: Tianjin – Kobe (book case 1)' or 'Partners of Nanjing: 12 pairings shown'; '' if nothing is
    focused or the view hides it."""
    pairs = focus_pairs(df, focus)
    if pairs:
        row = df[df["pair_id"] == pairs[0]].iloc[0].to_dict()
        name = f"{pick(row, 'cn_name', lang)} — {pick(row, 'partner_name', lang)}"
        if case_by_number(focus.case):
            name = t("export_focus_case", lang, name=name, n=focus.case)
        return t("export_focus", lang, name=name)
    rows = place_rows(df, focus.place_id)
    if len(rows):
        first = rows.iloc[0].to_dict()
        side = "cn" if first["cn_place_id"] == focus.place_id else "partner"
        return t("export_focus_place", lang, name=pick(first, f"{side}_name", lang), n=len(rows))
    return ""


def draw_map(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str, size: tuple[int, int] = SLIDE_SIZE,
             dpi: int = SLIDE_DPI, focus: Focus = NO_FOCUS, label_limit: int | None = None,
             extent: tuple[float, float, float, float] | None = None) -> MapPicture:
    """The picture: title, the filters in words and the focus on top; the fitted map with arcs (or province →
    country flows), names and a legend; a footer with the count shown, the data date and the sources.
    `extent` (lon0, lon1, lat0, lat1) fixes the window instead of fitting it to `df`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    width_in, height_in = size[0] / dpi, size[1] / dpi
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # a renderer to measure the legend with, before anything is drawn
    scale = min(width_in / 12.8, height_in / 7.2)  # type sizes relative to a 1920×1080 slide at 150 dpi

    def y_from_top(inches: float) -> float:
        return 1 - inches * scale / height_in

    def text(x: float, y: float, words: str, pt: float, color: str, **kw: Any) -> None:
        fig.text(x, y, words, fontproperties=font, fontsize=pt * scale, va="center", color=color, **kw)

    # Header: title and count, the caption (up to two lines), the focus.
    text(0.012, y_from_top(0.34), t("app_title", lang), 22, "#1d3557", fontweight="bold")
    placed_n = int(df["placed"].sum()) if len(df) else 0
    text(0.988, y_from_top(0.34), t("png_count", lang, n=f"{len(df):,}", placed=f"{placed_n:,}"), 14, "#c1121f",
         ha="right")
    caption_em = (width_in * 0.97 * 72) / (12.5 * scale)
    flows = view_flows(df, atlas, filters, lang)
    caption = filter_summary(filters, atlas, lang, flows.min_count if flows is not None else None)
    lines = _wrap(caption, caption_em, 2)
    top = 0.72
    for line in lines:
        text(0.012, y_from_top(top), line, 12.5, "#222222")
        top += 0.27
    fpairs = focus_pairs(df, focus) if filters.mode != "flow" else ()
    line = focus_line(df, focus, lang) if filters.mode != "flow" else ""
    if line:
        text(0.012, y_from_top(top), line, 12.5, "#000000", fontweight="bold")
        top += 0.27
    map_top = 1 - (top - 0.08) * scale / height_in
    map_bottom = 0.5 * scale / height_in
    ax = fig.add_axes((0.008, map_bottom, 0.984, map_top - map_bottom))

    box_w, box_h = 0.984 * size[0], (map_top - map_bottom) * size[1]
    xlim, ylim, aspect = fit_limits(extent or view_extent(df, fpairs), box_w, box_h)
    _draw_basemap(ax, xlim, scale)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect(aspect, adjustable="box", anchor="C")  # any slack (a whole-world view) shared above and below
    bare(ax)

    if filters.mode == "flow":
        args = mapview.flow_args(df, lang=lang, provinces=atlas.provinces, country_points=_country_points(),
                                 revision=0, flows=flows)
        _draw_flows(ax, args, scale)
        candidates = _flow_candidates(args, df)
    else:
        args = mapview.map_args(df, lang=lang, color_by=filters.color_by, eras=atlas.eras, revision=0)
        _draw_arcs(ax, args, df, scale, fpairs, focus.place_id)
        candidates = _candidates(df, lang, fpairs, focus.place_id)
    ended = filters.mode != "flow" and bool(df["status"].isin(ENDED).any()) if len(df) else False
    legend = _draw_legend(ax, args["legend"], font, scale, ended, lang)

    ax.apply_aspect()  # the box shrinks to the aspect now, so data → pixel positions are final
    legend_box = _place_legend(fig, ax, legend, _cloud(args), scale)
    limit = label_limit if label_limit is not None else int(22 + 18 * (scale * dpi / SLIDE_DPI - 1) / 1.5)
    placed_labels = _place_labels(fig, ax, candidates, legend_box, font, scale, dpi, limit)

    as_of = data_as_of(atlas)
    footer = t("data_date", lang, date=as_of) + t("footer_sep", lang) if as_of else ""
    text(0.012, 0.29 * scale / height_in, footer + source_line(lang), 9, "#555555")
    text(0.012, 0.11 * scale / height_in, t("png_note", lang), 8, "#777777")
    return MapPicture(fig, ax, placed_labels, fpairs)


def map_figure(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str, size: tuple[int, int] = SLIDE_SIZE,
               dpi: int = SLIDE_DPI, focus: Focus = NO_FOCUS) -> tuple[Any, Any]:
    """`draw_map` as (Figure, map Axes)."""
    pic = draw_map(df, atlas, filters, lang, size, dpi, focus)
    return pic.fig, pic.ax


def bare(ax: Any) -> None:
    """No ticks or frame, but keep the Axes' face: it is the sea (`set_axis_off` would hide it too)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _draw_basemap(ax: Any, xlim: tuple[float, float], scale: float) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Affine2D

    countries, provinces, sea = _basemap_paths()
    ax.set_facecolor("#eef3f7")
    layers: list[tuple[Any, dict[str, Any], float]] = [
        (countries, {"facecolors": "#dcdcdc", "edgecolors": "#ffffff", "linewidths": 0.35 * scale}, 1.0),
        (provinces, {"facecolors": "#f1e6e6", "edgecolors": "#9a8a8a", "linewidths": 0.3 * scale}, 1.1),
        (sea, {"facecolors": "none", "edgecolors": "#6b7f99", "linewidths": 0.6 * scale,
               "linestyles": [(0, (4, 3))]}, 1.2)]
    # The basemap spans one turn of the globe from the mid-Atlantic cut; a window reaching past either cut gets
    # the neighbouring copy, so no part of a fitted picture is left blank.
    for turn in (-1, 0, 1):
        lo = PACIFIC_CUT_LON + 360.0 * turn
        if xlim[1] < lo or xlim[0] > lo + 360.0:
            continue
        shift = Affine2D().translate(360.0 * turn, 0) + ax.transData
        for path, style, z in layers:
            if path is not None:
                # A collection, not a patch: adding a patch walks every curve to update the data limits (~1 s).
                ax.add_collection(PathCollection([path], transform=shift, zorder=z, **style), autolim=False)


def _arc_segments(args: dict[str, Any], rows: list[list[Any]]) -> list[np.ndarray]:
    """Each arc sampled as the browser samples it."""
    places = args["places"]
    return [arcs.sample(places[a[0]][1], places[a[0]][2], a[2], a[3], places[a[1]][1], places[a[1]][2], segments=24)
            for a in rows]


def _draw_arcs(ax: Any, args: dict[str, Any], df: pd.DataFrame, scale: float, fpairs: tuple[str, ...],
               place_id: str) -> None:
    from matplotlib.collections import LineCollection

    colors = [c for _, c in args["legend"]["items"]]
    status = dict(zip(df["pair_id"], df["status"], strict=True)) if len(df) else {}
    alpha, width = _style(len(args["arcs"]), scale)
    if fpairs:
        alpha *= 0.45  # the focused pairing is the message; the rest is context
    standing = [a for a in args["arcs"] if status.get(a[6], "active") not in ENDED]
    ended = [a for a in args["arcs"] if status.get(a[6], "active") in ENDED]
    if standing:
        ax.add_collection(LineCollection(
            _arc_segments(args, standing), colors=[colors[min(int(a[4]), len(colors) - 1)] for a in standing],
            linewidths=width, alpha=alpha, capstyle="round", zorder=3))
    if ended:
        ax.add_collection(LineCollection(_arc_segments(args, ended), colors=ENDED_COLOR, linewidths=width,
                                         linestyles=(0, (3.5, 2.5)), alpha=min(1.0, alpha + 0.15), zorder=3.1))
    # A selected city's ties, then a focused pairing: drawn on top, outlined in black as the browser does.
    place_ids = set(place_rows(df, place_id)["pair_id"]) if place_id else set()
    for chosen, extra in ((place_ids, 1.2), (set(fpairs), 2.2)):
        rows = [a for a in args["arcs"] if a[6] in chosen]
        if not rows:
            continue
        segs = _arc_segments(args, rows)
        ax.add_collection(LineCollection(segs, colors=FOCUS_OUTLINE, linewidths=width * (1 + extra) + 2 * scale,
                                         capstyle="round", zorder=5))
        ax.add_collection(LineCollection(
            segs, colors=[ENDED_COLOR if status.get(a[6]) in ENDED else colors[min(int(a[4]), len(colors) - 1)]
                          for a in rows], linewidths=width * (1 + extra), capstyle="round", zorder=5.1))
    places = args["places"]
    for side, color, size in (("cn", mapview.CN_COLOR, 9), ("partner", mapview.PARTNER_COLOR, 6)):
        pts = [(p[1], p[2]) for p in places if p[4] == side]
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.scatter(xs, ys, s=size * scale**2, color=color, zorder=6, linewidths=0.4 * scale, edgecolors="white")


def _draw_flows(ax: Any, args: dict[str, Any], scale: float) -> None:
    from matplotlib.collections import LineCollection

    rows = args["arcs"]
    palette = [c for _, c in args["legend"]["items"]] or [mapview.FLOW_COLOR]
    if rows:
        # Widest first, so a thin flow is never hidden under a wide one.
        rows = sorted(rows, key=lambda a: -float(a[5]))
        ax.add_collection(LineCollection(_arc_segments(args, rows),
                                         colors=[palette[min(int(a[4]), len(palette) - 1)] for a in rows],
                                         linewidths=[float(a[5]) * FLOW_WIDTH * scale for a in rows], alpha=0.55,
                                         capstyle="round", zorder=3))
    for side, color in (("cn", mapview.CN_COLOR), ("partner", mapview.PARTNER_COLOR)):
        pts = [(p[1], p[2]) for p in args["places"] if p[4] == side]
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.scatter(xs, ys, s=8 * scale**2, color=color, zorder=6, linewidths=0)


def _candidates(df: pd.DataFrame, lang: str, fpairs: tuple[str, ...], place_id: str) -> pd.DataFrame:
    """Places to name, in `geo.labels` order; a selected city is named first (its partners take their turn)."""
    ranked = labels.ranked_places(df, lang, focus_pairs=fpairs)
    if place_id and place_id in set(ranked["place_id"]):
        ranked = ranked.assign(focus=ranked["focus"] | (ranked["place_id"] == place_id))
        ranked = ranked.sort_values(["focus", "rank"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return ranked.assign(plon=pacific_lon_array(ranked["lon"].astype(float)) if len(ranked) else [])


def _flow_candidates(args: dict[str, Any], df: pd.DataFrame) -> pd.DataFrame:
    """Flow view: provinces and countries, the ones with most pairings first (a small stand-in for
    `labels.ranked_places`, which ranks places, not provinces and countries)."""
    counts = pd.concat([("cnprov:" + df["cn_province_en"]).value_counts(),
                        ("ctry:" + df["partner_country_iso3"]).value_counts()])
    rows = pd.DataFrame(args["places"], columns=["place_id", "lon", "lat", "label", "side"])
    rows["pairings"] = rows["place_id"].map(counts).fillna(0).astype(int)
    rows["focus"] = False
    rows["plon"] = rows["lon"]  # the payload's longitudes are Pacific-centred already
    return rows.sort_values(["pairings", "side", "label"], ascending=[False, True, True]).reset_index(drop=True)


def _cloud(args: dict[str, Any]) -> np.ndarray:
    """Five points along every arc of a payload (pacific lon, lat): where the picture has ink."""
    places = args["places"]
    if not args["arcs"]:
        return np.empty((0, 2))
    a = np.array([[places[r[0]][1], places[r[0]][2], r[2], r[3], places[r[1]][1], places[r[1]][2]]
                  for r in args["arcs"]], dtype=float)
    out = []
    for s in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(np.column_stack([(1 - s) ** 2 * a[:, 0] + 2 * (1 - s) * s * a[:, 2] + s**2 * a[:, 4],
                                    (1 - s) ** 2 * a[:, 1] + 2 * (1 - s) * s * a[:, 3] + s**2 * a[:, 5]]))
    return np.concatenate(out)


def _place_legend(fig: Any, ax: Any, legend: Any, cloud: np.ndarray, scale: float) -> Any:
    """Move the legend to the corner of the map that hides the fewest arcs; its box in pixels (y up)."""
    from matplotlib.transforms import Bbox

    if legend is None:
        return None
    size = legend.get_window_extent(fig.canvas.get_renderer())
    box = ax.get_window_extent()
    pad = 0.4 * scale * 10.5 * fig.dpi / 72
    xy = ax.transData.transform(cloud) if len(cloud) else np.empty((0, 2))
    best, best_n = None, None
    for loc in ("lower left", "lower right", "upper right", "upper left"):
        x0 = box.x0 + pad if "left" in loc else box.x1 - pad - size.width
        y0 = box.y0 + pad if "lower" in loc else box.y1 - pad - size.height
        inside = int(((xy[:, 0] >= x0) & (xy[:, 0] <= x0 + size.width) & (xy[:, 1] >= y0) &
                      (xy[:, 1] <= y0 + size.height)).sum()) if len(xy) else 0
        if best_n is None or inside < best_n:
            best, best_n = (loc, Bbox.from_bounds(x0, y0, size.width, size.height)), inside
    assert best is not None
    legend.set_loc(best[0])
    return best[1]


Box = tuple[float, float, float, float]


def fit_sides(candidates: pd.DataFrame, x: np.ndarray, y: np.ndarray, font_px: float, *, limit: int,
              bounds: Box, avoid: tuple[Box, ...] = (), pad_px: float = 2.0) -> pd.DataFrame:
    """`labels.fit` with two additions a picture needs: a name that does not fit right of its point may sit to
    its left (so places at the frame's right edge are named too), and `avoid` boxes (the legend) stay clear.
    Pixels, y downwards; candidates in rank order; focused places always kept. Adds x, y, `side_of_point`
    ('right'/'left') and the box (x0, y0, x1, y1)."""
    boxes: list[Box] = list(avoid)
    keep: list[int] = []
    placed: list[tuple[str, Box]] = []
    for i, row in enumerate(candidates.itertuples(index=False)):
        focus = bool(getattr(row, "focus", False))
        if len(keep) >= limit and not focus:
            continue
        size = font_px * (1.15 if focus else 1.0)
        w, h = labels.text_width(str(row.label), size), size * 0.6
        options = [("right", (x[i] + 4, y[i] - h, x[i] + 4 + w, y[i] + h)),
                   ("left", (x[i] - 4 - w, y[i] - h, x[i] - 4, y[i] + h))]
        fits = [(where, box) for where, box in options if not (
            box[0] < bounds[0] or box[1] < bounds[1] or box[2] > bounds[2] or box[3] > bounds[3] or
            any(box[0] < b[2] + pad_px and b[0] < box[2] + pad_px and box[1] < b[3] + pad_px and
                b[1] < box[3] + pad_px for b in boxes))]
        if fits or focus:
            where, box = fits[0] if fits else options[0]  # a focused name is shown even where it overlaps
            boxes.append(box)
            keep.append(i)
            placed.append((where, box))
    out = candidates.iloc[keep].reset_index(drop=True)
    boxes_out: list[Any] = [b for _, b in placed]
    return out.assign(x=x[keep], y=y[keep], side_of_point=[w for w, _ in placed], box=boxes_out)


def _place_labels(fig: Any, ax: Any, candidates: pd.DataFrame, legend: Any, font: Any, scale: float, dpi: int,
                  limit: int) -> pd.DataFrame:
    """Fit the names in pixel space inside the map and clear of the legend (`fit_sides`), then draw them."""
    import matplotlib.patheffects as pe

    empty = pd.DataFrame(columns=["label", "side", "focus", "x", "y", "side_of_point", "box"])
    if candidates.empty:
        return empty
    height = fig.bbox.height
    xy = ax.transData.transform(np.column_stack([candidates["plon"].to_numpy(float),
                                                 candidates["lat"].to_numpy(float)]))
    x, y = xy[:, 0], height - xy[:, 1]
    box = ax.get_window_extent()
    bounds = (box.x0 + 2, height - box.y1 + 2, box.x1 - 2, height - box.y0 - 2)
    font_pt = 9.5 * scale
    font_px = font_pt * dpi / 72
    inside = (x >= bounds[0]) & (x <= bounds[2]) & (y >= bounds[1]) & (y <= bounds[3])
    avoid = () if legend is None else ((legend.x0, height - legend.y1, legend.x1, height - legend.y0),)
    cands = candidates[inside].reset_index(drop=True)
    chosen = fit_sides(cands, x[inside], y[inside], font_px * 1.05, limit=limit, bounds=bounds, avoid=avoid)
    for row in chosen.itertuples(index=False):
        focus = bool(row.focus)
        color = mapview.CN_COLOR if row.side == "cn" else mapview.PARTNER_COLOR
        right = row.side_of_point == "right"
        # Anchored in data coordinates with an offset in points: vector back ends lay out at 72 dpi, so a
        # position in pixels would move.
        ax.annotate(str(row.label), xy=(float(row.plon), float(row.lat)), xycoords="data",  # type: ignore[arg-type]
                    xytext=((4 if right else -4) * 72 / dpi, 0), textcoords="offset points", va="center",
                    ha="left" if right else "right", fontproperties=font, fontsize=font_pt * (1.15 if focus else 1.0),
                    color="#000000" if focus else color, fontweight="bold" if focus else "normal", zorder=8,
                    annotation_clip=False, path_effects=[pe.withStroke(linewidth=2.6 * scale, foreground="white")])
    return chosen[list(empty.columns)] if len(chosen) else empty


def _draw_legend(ax: Any, legend: dict[str, Any], font: Any, scale: float, ended: bool, lang: str) -> Any:
    from matplotlib.lines import Line2D

    items = [(str(lab), Line2D([0], [0], color=c, lw=3.5 * scale)) for lab, c in legend["items"]]
    # A flow map's width scale: a few counts with the width they are drawn at.
    items += [(str(lab), Line2D([0], [0], color="#555555", lw=float(w) * FLOW_WIDTH * scale))
              for lab, w in (legend.get("scale") or {}).get("items", [])]
    if legend.get("note"):
        note = str(legend["note"])
        items.append(("\n".join(textwrap.wrap(note, 26 if lang == "zh" else 44)), Line2D([0], [0], color="none")))
    if ended:
        items.append((t("legend_ended", lang), Line2D([0], [0], color=ENDED_COLOR, lw=2.5 * scale,
                                                      linestyle=(0, (3.5, 2.5)))))
    if not items:
        return None
    item_font, title_font = font.copy(), font.copy()
    item_font.set_size(9.5 * scale)
    title_font.set_size(10.5 * scale)
    title_font.set_weight("bold")
    box = ax.legend([h for _, h in items], [lab for lab, _ in items], title=str(legend["title"]), loc="lower left",
                    prop=item_font, title_fontproperties=title_font, frameon=True, framealpha=0.92,
                    borderaxespad=0.4 * scale)
    box.set_zorder(10)  # above the city dots
    return box


# --- Files --------------------------------------------------------------------------------------------------------

def _save(fig: Any, fmt: str, dpi: int) -> bytes:
    from matplotlib import rc_context

    buf = io.BytesIO()
    # SVG: text as outlines, so Chinese shows wherever the file is opened. PDF: the CJK glyphs embedded (Type 3,
    # the subset used), so a print shop needs no font.
    with rc_context({"svg.fonttype": "path", "pdf.fonttype": 3}):
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=_metadata(fmt))
    return buf.getvalue()


def _metadata(fmt: str) -> dict[str, Any] | None:
    if fmt == "pdf":
        return {"Creator": "Youcheng Atlas", "Producer": None}
    if fmt == "svg":
        return {"Creator": "Youcheng Atlas", "Date": None}
    return None


def export_png(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str, size: tuple[int, int] = SLIDE_SIZE,
               dpi: int = SLIDE_DPI, focus: Focus = NO_FOCUS) -> bytes:
    """A PNG of the view for slides (1920×1080 by default) or print (`PRINT_SIZE` at `PRINT_DPI`)."""
    return _save(draw_map(df, atlas, filters, lang, size, dpi, focus).fig, "png", dpi)


def export_vector(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str, fmt: str,
                  focus: Focus = NO_FOCUS) -> bytes:
    """The print picture (A4 landscape) as SVG or PDF: every line and letter a vector, for a print shop."""
    if fmt not in ("svg", "pdf"):
        raise ValueError(f"vector format must be svg or pdf, not {fmt!r}")
    return _save(draw_map(df, atlas, filters, lang, PRINT_SIZE, PRINT_DPI, focus).fig, fmt, PRINT_DPI)


# --- One function per file for the whole view (what the buttons and the benchmark call) --------------------------

def slide_png(atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS) -> bytes:
    """The slide picture (1920×1080 PNG) of the view."""
    return export_png(shown(atlas, filters), atlas, filters, filters.lang, focus=focus)


def print_png(atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS) -> bytes:
    """The print picture (A4 landscape, 300 dpi PNG) of the view."""
    return export_png(shown(atlas, filters), atlas, filters, filters.lang, PRINT_SIZE, PRINT_DPI, focus)


def print_svg(atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS) -> bytes:
    """The print picture of the view as SVG (letters as outlines)."""
    return export_vector(shown(atlas, filters), atlas, filters, filters.lang, "svg", focus)


def print_pdf(atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS) -> bytes:
    """The print picture of the view as PDF (the Chinese font embedded)."""
    return export_vector(shown(atlas, filters), atlas, filters, filters.lang, "pdf", focus)
