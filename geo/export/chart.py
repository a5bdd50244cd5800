"""The timeline as a picture for the briefing deck: pairings signed per year (bars), the running total of the
view's dated pairings (line) and, when the view is the whole country's, the official national totals (dots)."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from geo import load, stats
from geo.export.image import cjk_font
from geo.filters import Filters
from geo.i18n import t

NARROWING = ("continents", "subregions", "bri_groups", "provinces", "macro_regions", "levels", "countries",
             "affinities", "search", "formal_only")


def narrowed(filters: Filters) -> bool:
    """Whether the view is a part of the country's ties (a region, level, type or search), so that the official
    national totals are not comparable with it."""
    return any(bool(getattr(filters, name)) for name in NARROWING)


def timeline_png(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, size: tuple[int, int] = (1800, 780),
                 dpi: int = 150) -> bytes:
    """`timeline_figure` as a PNG."""
    fig = timeline_figure(df, atlas, filters, size, dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def timeline_figure(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, size: tuple[int, int] = (1800, 780),
                    dpi: int = 150) -> Any:
    """Bars per year and the cumulative curve of the dated pairings in `df`, with the official national totals
    where they compare (the newest one also as a reference line); axis labels and legend in the filters'
    language."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    lang = filters.lang
    font = cjk_font()
    fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.07, 0.14, 0.86, 0.8))
    yearly = stats.per_year(df)
    cum = stats.cumulative(df)
    handles: list[Any] = []
    if len(yearly):
        handles.append(ax.bar(yearly["year"], yearly["pairings"], color="#e85d04", width=0.8,
                              label=t("deck_chart_per_year", lang)))
    ax.set_ylabel(t("deck_chart_per_year", lang), fontproperties=font, fontsize=10)
    right = ax.twinx()
    if len(cum):
        (line,) = right.plot(cum["year"], cum["cumulative"], color="#1d3557", linewidth=2.4,
                             label=t("deck_chart_cumulative", lang))
        handles.append(line)
    last_x = float(cum["year"].max()) if len(cum) else float(filters.year_min)
    if not narrowed(filters):
        official = stats.official_series(atlas.official_totals)
        official = official[official["year_float"] >= filters.year_min]
        if len(official):
            handles.append(right.scatter(official["year_float"], official["pairs"], color="#c1121f", s=28, zorder=5,
                                         label=t("series_official", lang)))
            # The newest official total as a reference line, and the axis long enough to show its dot.
            latest = official.iloc[-1]
            handles.append(right.axhline(float(latest["pairs"]), color="#c1121f", linewidth=1.2, linestyle="--",
                                         label=t("deck_chart_official_latest", lang, n=f"{int(latest['pairs']):,}",
                                                 date=latest["date"])))
            last_x = max(last_x, float(official["year_float"].max()))
    right.set_ylabel(t("deck_chart_cumulative", lang), fontproperties=font, fontsize=10)
    right.set_ylim(bottom=0)
    for axis in (ax, right):
        axis.spines["top"].set_visible(False)
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        for label in axis.get_yticklabels() + axis.get_xticklabels():
            label.set_fontproperties(font)
    ax.set_xlim(filters.year_min - 1, max(last_x, 2000) + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    item_font = font.copy()
    item_font.set_size(10)
    if handles:
        ax.legend(handles, [h.get_label() for h in handles], loc="upper left", prop=item_font, frameon=False)
    return fig
