"""Files a user takes away: the filtered pairings as CSV or Excel, a slide or print image, an offline HTML map.

Spreadsheet cells are defended against formula injection (a cell starting with = + - @, a tab or a CR gets a
leading single quote), because names and sources come from scraped pages and users' own files. The image is
drawn with matplotlib on the same Pacific-centred basemap, arc geometry and colours as the browser map, with no
browser and no network.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from geo import load, mapview, paths
from geo.affinity import AFFINITIES
from geo.filters import FIRST_YEAR, Filters
from geo.i18n import t
from geo.regions import LEVEL_CLASSES, MACRO_REGIONS

SLIDE_SIZE = (1920, 1080)
SLIDE_DPI = 150
PRINT_SIZE = (3508, 2480)  # A4 landscape at 300 dpi
PRINT_DPI = 300
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FAMILY = "Noto Sans CJK SC"
SOURCE_LINE = {
    "zh": "来源：维基百科 (CC BY-SA 4.0)、GeoNames (CC BY 4.0)、Natural Earth；官方数字：中国人民对外友好协会",
    "en": "Sources: Wikipedia (CC BY-SA 4.0), GeoNames (CC BY 4.0), Natural Earth; official figures: CPAFFC",
}

# (column, header key) in export order; both name languages are kept whatever the interface language.
EXPORT_COLUMNS = [
    ("pair_id", "col_pair_id"), ("cn_name_zh", "col_cn_zh"), ("cn_name_en", "col_cn_en"),
    ("cn_province_zh", "col_province_zh"), ("cn_province_en", "col_province_en"), ("cn_level", "col_cn_level"),
    ("partner_name_zh", "col_partner_zh"), ("partner_name_en", "col_partner_en"),
    ("partner_country_zh", "col_country_zh"), ("partner_country_en", "col_country_en"),
    ("partner_country_iso3", "col_country_iso3"), ("partner_level", "col_partner_level"),
    ("established", "col_established"), ("date_source", "col_date_source"), ("tie_type", "col_tie_type"),
    ("affinities", "col_affinities"), ("source", "col_source"), ("note", "col_note"), ("placed", "col_placed"),
]
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> str:
    """Text for a spreadsheet cell, quoted with a leading ' if a spreadsheet could read it as a formula."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if text.startswith(_DANGEROUS) or text.lstrip(" \u3000\n").startswith(_DANGEROUS):
        return "'" + text
    return text


def export_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The pairings as a table of safe strings, with human-readable headers in `lang`."""
    out: dict[str, list[str]] = {}
    for column, key in EXPORT_COLUMNS:
        if column not in df.columns:
            continue
        values: Iterable[Any] = df[column]
        if column == "placed":
            values = [t("yes", lang) if bool(v) else t("no", lang) for v in df[column]]
        elif column == "affinities":
            values = ["、".join(AFFINITIES.get(a, (a, a))[0 if lang == "zh" else 1] for a in str(v).split(";") if a)
                      if lang == "zh" else ", ".join(AFFINITIES.get(a, (a, a))[1] for a in str(v).split(";") if a)
                      for v in df[column]]
        out[t(key, lang)] = [safe_cell(v) for v in values]
    return pd.DataFrame(out)


def export_csv(df: pd.DataFrame, lang: str) -> bytes:
    """UTF-8 with BOM (so Excel on Chinese Windows opens it correctly), CRLF, every cell formula-safe."""
    table = export_table(df, lang)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in table.columns])
    writer.writerows(table.itertuples(index=False, name=None))
    return buf.getvalue().encode("utf-8-sig")


def export_excel(df: pd.DataFrame, lang: str, note: str = "") -> bytes:
    """An .xlsx workbook: the pairings (bold frozen header, filter, widths) and an 'about' sheet with `note`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    table = export_table(df, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_pairings", lang)[:31]

    def put(row: int, col: int, value: str, bold: bool = False) -> None:
        cell = ws.cell(row=row, column=col)
        cell.value = _ILLEGAL_XLSX.sub("", safe_cell(value))
        cell.data_type = "s"  # never a formula, whatever the text
        if bold:
            cell.font = Font(bold=True)

    for c, name in enumerate(table.columns, start=1):
        put(1, c, name, bold=True)
    for r, values in enumerate(table.itertuples(index=False, name=None), start=2):
        for c, value in enumerate(values, start=1):
            put(r, c, value)
    ws.freeze_panes = "A2"
    if len(table.columns):
        ws.auto_filter.ref = ws.dimensions
    from openpyxl.utils import get_column_letter

    for c, name in enumerate(table.columns, start=1):
        longest = max([len(str(name))] + [len(str(v)) for v in table.iloc[:200, c - 1]])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest * 1.2))
    about = wb.create_sheet(t("sheet_about", lang)[:31])
    for r, line in enumerate([t("app_title", lang), note, SOURCE_LINE["en" if lang == "en" else "zh"]], start=1):
        cell = about.cell(row=r, column=1)
        cell.value = _ILLEGAL_XLSX.sub("", safe_cell(line))
        cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _names(values: tuple[str, ...], table: dict[str, tuple[str, str]], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    shown = [table.get(v, (v, v))[0 if lang == "zh" else 1] for v in values[:6]]
    more = len(values) - len(shown)
    return sep.join(shown) + (t("and_more", lang, n=more) if more > 0 else "")


def filter_summary(filters: Filters, atlas: load.Atlas, lang: str) -> str:
    """One line naming every active filter ('all pairings' when none is active)."""
    from datetime import date

    p = atlas.pairings
    parts: list[str] = []
    sep = "；" if lang == "zh" else "; "
    if filters.eras:
        eras = {str(e.era_id): (f"{e.era_id} {e.label_zh}", f"{e.era_id} {e.label_en}")
                for e in atlas.eras.itertuples()}
        eras["unknown"] = (t("unknown_era", "zh"), t("unknown_era", "en"))
        parts.append(f"{t('era', lang)}: {_names(filters.eras, eras, lang)}")
    if filters.year_min > FIRST_YEAR or filters.year_max < date.today().year:
        parts.append(f"{t('years', lang)}: {filters.year_min}–{filters.year_max}")
    if not filters.include_unknown:
        parts.append(t("sum_no_unknown", lang))
    def pairs(base: str) -> dict[str, tuple[str, str]]:
        return {str(en): (str(zh), str(en)) for zh, en in zip(p[f"{base}_zh"], p[f"{base}_en"], strict=True)}

    tables: list[tuple[str, str, dict[str, tuple[str, str]]]] = [
        ("continents", "continent", pairs("continent")),
        ("subregions", "subregion", pairs("subregion")),
        ("bri_groups", "bri_group", {**{str(r.bri_group): (str(r.group_zh), str(r.group_en))
                                        for r in atlas.bri.itertuples()}, "none": (t("sum_not_bri", "zh"),
                                                                                   t("sum_not_bri", "en"))}),
        ("provinces", "province", {str(r.province_en): (str(r.province_zh), str(r.province_en))
                                   for r in atlas.provinces.itertuples()}),
        ("macro_regions", "macro_region", MACRO_REGIONS),
        ("levels", "level", LEVEL_CLASSES),
        ("countries", "country", {str(r.iso3): (str(r.name_zh), str(r.name_en)) for r in atlas.countries.itertuples()}),
        ("affinities", "affinity", AFFINITIES),
    ]
    for attr, label, table in tables:
        chosen = getattr(filters, attr)
        if chosen:
            parts.append(f"{t(label, lang)}: {_names(chosen, table, lang)}")
    if filters.formal_only:
        parts.append(t("sum_formal", lang))
    if filters.search.strip():
        parts.append(f"{t('sum_search', lang)}: “{filters.search.strip()[:40]}”")
    if filters.mode == "flow":
        parts.append(t("mode_flow", lang))
    return sep.join(parts) if parts else t("sum_all", lang)


def data_as_of(atlas: load.Atlas) -> str:
    """The latest date the dataset speaks of: its newest pairing or official total."""
    dates = [d for d in list(atlas.pairings["established"]) + list(atlas.official_totals.get("date", []))
             if isinstance(d, str) and d]
    return max(dates) if dates else ""


def export_html(args: dict[str, Any], title: str, note: str = "") -> str:
    """The offline interactive map as one HTML file (see `geo.standalone`)."""
    from geo.standalone import standalone_html

    return standalone_html(args, title, note)


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


def export_png(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, lang: str,
               size: tuple[int, int] = SLIDE_SIZE, dpi: int = SLIDE_DPI) -> bytes:
    """A PNG of the map for slides (1920×1080 by default) or print (`PRINT_SIZE` at `PRINT_DPI`).

    Title and filter summary on top, arcs (or province→country flows) coloured like the browser map, a legend,
    and a footer with the count shown, the data date and the sources. No browser, no network.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from geo import arcs

    font = cjk_font()
    countries, provinces, sea = _basemap_layers()
    width_in, height_in = size[0] / dpi, size[1] / dpi
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    scale = min(width_in / 12.8, height_in / 7.2)  # type sizes relative to a 1920×1080 slide at 150 dpi
    ax = fig.add_axes((0.01, 0.09, 0.98, 0.79))
    ax.set_facecolor("#eef3f7")
    countries.plot(ax=ax, color="#dcdcdc", edgecolor="#ffffff", linewidth=0.3 * scale)
    provinces.plot(ax=ax, facecolor="#f1e6e6", edgecolor="#9a8a8a", linewidth=0.25 * scale)
    if len(sea):
        sea.plot(ax=ax, color="#777777", linewidth=0.5 * scale)

    if filters.mode == "flow":
        args = mapview.flow_args(df, lang=lang, provinces=atlas.provinces, country_points=_country_points(),
                                 revision=0)
        colors = [mapview.FLOW_COLOR]
        alpha, thickness = 0.3, 0.3
    else:
        args = mapview.map_args(df, lang=lang, color_by=filters.color_by, eras=atlas.eras, revision=0)
        colors = [c for _, c in args["legend"]["items"]]
        alpha, thickness = 0.45, 0.55
    places = args["places"]
    segments, seg_colors, widths = [], [], []
    for a in args["arcs"]:
        p, q = places[a[0]], places[a[1]]
        segments.append(arcs.sample(p[1], p[2], a[2], a[3], q[1], q[2], segments=24))
        seg_colors.append(colors[min(int(a[4]), len(colors) - 1)])
        widths.append(float(a[5]) * thickness * scale)
    if segments:
        ax.add_collection(LineCollection(segments, colors=seg_colors, linewidths=widths, alpha=alpha,
                                         capstyle="round", zorder=3))
    if places:
        for side, color in (("cn", mapview.CN_COLOR), ("partner", mapview.PARTNER_COLOR)):
            pts = [(p[1], p[2]) for p in places if p[4] == side]
            if pts:
                xs, ys = zip(*pts, strict=True)
                ax.scatter(xs, ys, s=(5 if side == "cn" else 3) * scale ** 2, color=color, zorder=4, linewidths=0)
    ax.set_xlim(-30, 330)
    ax.set_ylim(-58, 84)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()

    legend = args["legend"]
    handles = [Line2D([0], [0], color=c, lw=3 * scale) for _, c in legend["items"]]
    if handles:
        item_font, title_font = font.copy(), font.copy()
        item_font.set_size(8 * scale)
        title_font.set_size(9 * scale)
        ax.legend(handles, [str(lab) for lab, _ in legend["items"]], title=str(legend["title"]), loc="lower left",
                  prop=item_font, title_fontproperties=title_font, frameon=True, framealpha=0.9)

    fig.text(0.015, 0.955, t("app_title", lang), fontproperties=font, fontsize=22 * scale, fontweight="bold",
             va="center", color="#1d3557")
    fig.text(0.015, 0.905, filter_summary(filters, atlas, lang)[:180], fontproperties=font, fontsize=11 * scale,
             va="center", color="#333333")
    count = t("png_count", lang, n=f"{len(df):,}", placed=f"{int(df['placed'].sum()) if len(df) else 0:,}")
    fig.text(0.985, 0.955, count, fontproperties=font, fontsize=13 * scale, ha="right", va="center",
             color="#c1121f")
    as_of = data_as_of(atlas)
    footer = (t("data_date", lang, date=as_of) + ("　" if lang == "zh" else " · ") if as_of else "") + \
        SOURCE_LINE["en" if lang == "en" else "zh"]
    fig.text(0.015, 0.04, footer, fontproperties=font, fontsize=8.5 * scale, va="center", color="#555555")
    fig.text(0.015, 0.015, t("png_note", lang), fontproperties=font, fontsize=7.5 * scale, va="center",
             color="#777777")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()
