"""The map as a picture for slides (1920×1080) or print (A4 landscape, 300 dpi), drawn with matplotlib on the
same Pacific-centred basemap, arc geometry and colours as the browser map, with no browser and no network."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from geo import load, mapview, paths
from geo.export.summary import data_as_of, filter_summary, source_line
from geo.filters import Filters
from geo.i18n import t

SLIDE_SIZE = (1920, 1080)
SLIDE_DPI = 150
PRINT_SIZE = (3508, 2480)  # A4 landscape at 300 dpi
PRINT_DPI = 300
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FAMILY = "Noto Sans CJK SC"


@lru_cache(maxsize=1)
def _basemap_layers() -> tuple[Any, Any, Any]:
    from geo.basemap import KIND_COUNTRY, KIND_PROVINCE, KIND_SEA_BOUNDARY, basemap_frame

    frame = basemap_frame()
    return (frame[frame["kind"] == KIND_COUNTRY], frame[frame["kind"] == KIND_PROVINCE],
            frame[frame["kind"] == KIND_SEA_BOUNDARY])


def cjk_font() -> Any:
    """FontProperties for Noto Sans CJK SC; a clear error if fonts-noto-cjk is not installed."""
    from matplotlib import font_manager

    if not CJK_FONT.exists():
        raise RuntimeError(f"Chinese text needs the Noto Sans CJK font ({CJK_FONT}); install it with "
                           "'apt-get install fonts-noto-cjk' and restart the app.")
    if CJK_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(CJK_FONT))
    return font_manager.FontProperties(family=CJK_FAMILY)


@lru_cache(maxsize=1)
def _country_points() -> pd.DataFrame:
    return load.read_table(paths.COUNTRY_POINTS, ["iso3", "lon", "lat"])


def map_figure(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str,
               size: tuple[int, int] = SLIDE_SIZE, dpi: int = SLIDE_DPI) -> tuple[Any, Any]:
    """The picture as a matplotlib (Figure, map Axes): title and filter summary on top, arcs (or
    province→country flows) coloured like the browser map, a legend, and a footer with the count shown, the data
    date and the sources. The Axes' `transData` maps (Pacific-centred lon, lat) to pixels, for tests."""
    from matplotlib.figure import Figure

    font = cjk_font()
    width_in, height_in = size[0] / dpi, size[1] / dpi
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    scale = min(width_in / 12.8, height_in / 7.2)  # type sizes relative to a 1920×1080 slide at 150 dpi
    ax = fig.add_axes((0.01, 0.09, 0.98, 0.79))
    _draw_basemap(ax, scale)
    if filters.mode == "flow":
        args = mapview.flow_args(df, lang=lang, provinces=atlas.provinces, country_points=_country_points(),
                                 revision=0)
        colors, alpha, thickness = [mapview.FLOW_COLOR], 0.3, 0.3
    else:
        args = mapview.map_args(df, lang=lang, color_by=filters.color_by, eras=atlas.eras, revision=0)
        colors, alpha, thickness = [c for _, c in args["legend"]["items"]], 0.45, 0.55
    _draw_arcs(ax, args, colors, alpha, thickness * scale, scale)
    _draw_legend(ax, args["legend"], font, scale)

    def text(x: float, y: float, words: str, size: float, color: str, **kw: Any) -> None:
        fig.text(x, y, words, fontproperties=font, fontsize=size * scale, va="center", color=color, **kw)

    text(0.015, 0.955, t("app_title", lang), 22, "#1d3557", fontweight="bold")
    text(0.015, 0.905, filter_summary(filters, atlas, lang)[:180], 11, "#333333")
    placed = int(df["placed"].sum()) if len(df) else 0
    text(0.985, 0.955, t("png_count", lang, n=f"{len(df):,}", placed=f"{placed:,}"), 13, "#c1121f", ha="right")
    as_of = data_as_of(atlas)
    footer = t("data_date", lang, date=as_of) + t("footer_sep", lang) if as_of else ""
    text(0.015, 0.04, footer + source_line(lang), 8.5, "#555555")
    text(0.015, 0.015, t("png_note", lang), 7.5, "#777777")
    return fig, ax


def _draw_basemap(ax: Any, scale: float) -> None:
    countries, provinces, sea = _basemap_layers()
    ax.set_facecolor("#eef3f7")
    countries.plot(ax=ax, color="#dcdcdc", edgecolor="#ffffff", linewidth=0.3 * scale)
    provinces.plot(ax=ax, facecolor="#f1e6e6", edgecolor="#9a8a8a", linewidth=0.25 * scale)
    if len(sea):
        sea.plot(ax=ax, color="#777777", linewidth=0.5 * scale)
    ax.set_xlim(-30, 330)
    ax.set_ylim(-58, 84)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()


def _draw_arcs(ax: Any, args: dict[str, Any], colors: list[str], alpha: float, thickness: float,
               scale: float) -> None:
    from matplotlib.collections import LineCollection

    from geo import arcs

    places = args["places"]
    segments, seg_colors, widths = [], [], []
    for a in args["arcs"]:
        p, q = places[a[0]], places[a[1]]
        segments.append(arcs.sample(p[1], p[2], a[2], a[3], q[1], q[2], segments=24))
        seg_colors.append(colors[min(int(a[4]), len(colors) - 1)])
        widths.append(float(a[5]) * thickness)
    if segments:
        ax.add_collection(LineCollection(segments, colors=seg_colors, linewidths=widths, alpha=alpha,
                                         capstyle="round", zorder=3))
    for side, color in (("cn", mapview.CN_COLOR), ("partner", mapview.PARTNER_COLOR)):
        pts = [(p[1], p[2]) for p in places if p[4] == side]
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.scatter(xs, ys, s=(5 if side == "cn" else 3) * scale ** 2, color=color, zorder=4, linewidths=0)


def _draw_legend(ax: Any, legend: dict[str, Any], font: Any, scale: float) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([0], [0], color=c, lw=3 * scale) for _, c in legend["items"]]
    if not handles:
        return
    item_font, title_font = font.copy(), font.copy()
    item_font.set_size(8 * scale)
    title_font.set_size(9 * scale)
    ax.legend(handles, [str(lab) for lab, _ in legend["items"]], title=str(legend["title"]), loc="lower left",
              prop=item_font, title_fontproperties=title_font, frameon=True, framealpha=0.9)


def export_png(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str,
               size: tuple[int, int] = SLIDE_SIZE, dpi: int = SLIDE_DPI) -> bytes:
    """A PNG of `map_figure` for slides (1920×1080 by default) or print (`PRINT_SIZE` at `PRINT_DPI`)."""
    fig, _ = map_figure(df, atlas, filters, lang, size, dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()
