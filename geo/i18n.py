"""Interface text in Chinese and English, in one table, and display names in the chosen language."""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("友城地图", "Youcheng Atlas"),
    "app_subtitle": ("中国国际友好城市地图 · 依据《城市外交：理论与实践》", "China's friendship cities, after *City Diplomacy: Theory and Practice*"),
    "language": ("语言 / Language", "语言 / Language"),
    "page_map": ("地图", "Map"),
    "page_cases": ("二十个案例", "20 case studies"),
    "page_timeline": ("时间线", "Timeline"),
    "page_rankings": ("排行与统计", "Rankings"),
    "page_bri": ("一带一路", "Belt and Road"),
    "page_city": ("城市档案", "City profiles"),
    "page_data": ("数据与导入", "Data and import"),
    "page_method": ("五缘方法说明", "Affinity method"),
    "page_present": ("演示模式", "Presentation"),
    "filters": ("筛选", "Filters"),
    "era": ("时期", "Era"),
    "years": ("年份范围", "Years"),
    "include_unknown": ("包括年份不详的友城", "Include pairings of unknown year"),
    "continent": ("对方大洲", "Partner continent"),
    "subregion": ("对方次区域", "Partner sub-region"),
    "bri_group": ("一带一路分组", "Belt and Road group"),
    "province": ("中方省份", "Chinese province"),
    "macro_region": ("中方地区", "Chinese macro-region"),
    "level": ("级别", "Level"),
    "country": ("对方国家", "Partner country"),
    "affinity": ("五缘类型", "Affinity type"),
    "formal_only": ("只看正式友城（不含友好交流关系）", "Formal ties only (hide friendly-exchange ties)"),
    "search": ("搜索（中文或英文）", "Search (Chinese or English)"),
    "color_by": ("着色依据", "Colour by"),
    "mode": ("显示方式", "View"),
    "mode_arcs": ("每对友城一条弧线", "One arc per pairing"),
    "mode_flow": ("汇总流向（省—国）", "Flows (province → country)"),
    "reset": ("重置筛选", "Reset filters"),
    "all": ("全部", "All"),
    "shown": ("显示友城", "Pairings shown"),
    "of_total": ("共 {total} 对", "of {total}"),
    "countries_n": ("国家", "Countries"),
    "provinces_n": ("省份", "Provinces"),
    "dated_share": ("有确切年份", "With known year"),
    "placed_share": ("已定位", "Placed on map"),
    "year_unknown": ("年份不详", "year unknown"),
    "established": ("结好时间", "Established"),
    "source": ("来源", "Source"),
    "partner": ("友城", "Partner"),
    "partners_of": ("友城：", "Partners of"),
    "no_arcs": ("没有符合条件的友城", "No pairings match"),
    "no_match": ("没有符合当前筛选条件的友城。请放宽筛选条件。", "No pairings match the current filters. Widen the filters."),
    "unplaced_title": ("无法在地图上定位的友城（{n}）", "Pairings that cannot be placed on the map ({n})"),
    "unplaced_help": ("这些友城保留在数据中，但至少一端没有坐标。", "These pairings stay in the data, but at least one end has no coordinates."),
    "bad_param": ("链接参数“{key}”的值“{value}”无效，已使用默认值。", "Link parameter '{key}' has an invalid value '{value}'; the default is used."),
    "legend_era": ("时期", "Era"),
    "legend_level": ("级别", "Level"),
    "legend_affinity": ("五缘（首要）", "Affinity (first)"),
    "legend_flow": ("线宽＝友城数", "Width = number of pairings"),
    "legend_case": ("书中案例", "Book case"),
    "unknown_era": ("年份不详", "Year unknown"),
    "clicked_city": ("已选城市", "Selected city"),
    "case_marker": ("书中案例 {n}", "Book case {n}"),
    "open_case": ("打开案例 {n}", "Open case {n}"),
    "show_on_map": ("在地图上显示", "Show on map"),
    "tiles_online": ("在线底图（需联网，默认关闭）", "Online tiles (needs internet, off by default)"),
    "pairs_word": ("对", "pairings"),
    "flow_tooltip": ("{a} → {b}：{n} 对", "{a} → {b}: {n} pairings"),
    "inferred": ("推断", "inferred"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_png": ("下载幻灯片图片 (PNG)", "Download slide image (PNG)"),
    "download_html": ("下载离线交互地图 (HTML)", "Download offline interactive map (HTML)"),
    "data_date": ("数据截至 {date}", "Data as of {date}"),
    "coverage_note": ("本数据收录 {n} 对；官方统计 {official} 对（{date}，{source}）。", "This dataset holds {n} pairings; the official count is {official} ({date}, {source})."),
    "level_province_state": ("省州级", "Province–state"),
    "level_city_city": ("城市级", "City–city"),
    "level_county": ("县区级", "County and district"),
    "cn_level_province": ("省级", "province-level"),
    "cn_level_prefecture": ("地级市", "prefecture city"),
    "cn_level_county": ("县级", "county-level"),
    "cn_level_district": ("市辖区", "district"),
    "partner_level_state": ("州/省级", "state/province"),
    "partner_level_city": ("城市", "city"),
    "partner_level_county": ("县/郡", "county"),
    "partner_level_unknown": ("级别不详", "level unknown"),
    "tie_exchange": ("友好交流关系", "friendly-exchange tie"),
    "per_book": ("据本书，未获独立证实", "per the book, not independently confirmed"),
    "verified_confirmed": ("已核实", "confirmed"),
    "verified_partial": ("部分核实", "partly confirmed"),
    "case_unknown": ("没有编号为“{n}”的案例（有效编号 1–20）。", "There is no case '{n}' (valid numbers are 1–20)."),
    "city_unknown": ("找不到城市“{name}”。", "No city called '{name}' was found."),
}


# `$` too: Streamlit's Markdown renders $…$ as LaTeX.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md_escape(text: str, limit: int | None = 60) -> str:
    """User text made safe to show inside a Markdown message: shortened (unless `limit` is None), every
    Markdown/HTML/LaTeX sign escaped."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text.replace("\n", " "))


def t(key: str, lang: str, /, **fmt: Any) -> str:
    """Look up `key` in the chosen language and fill `{placeholders}`; unknown keys show as the key itself."""
    zh, en = STRINGS.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def pick(row: Mapping[Hashable, Any], base: str, lang: str) -> str:
    """`row[base_zh]` or `row[base_en]` for the language, falling back to the other when empty."""
    first, second = (f"{base}_zh", f"{base}_en") if lang == "zh" else (f"{base}_en", f"{base}_zh")
    for key in (first, second):
        value = row.get(key, "")
        if isinstance(value, str) and value.strip():
            return value
    return ""


def cn_label(row: Mapping[Hashable, Any], lang: str) -> str:
    """Name of the Chinese side as people say it: '南京市' / 'Nanjing'."""
    return pick(row, "cn_name", lang)


def partner_label(row: Mapping[Hashable, Any], lang: str) -> str:
    return pick(row, "partner_name", lang)


def year_text(row: Mapping[Hashable, Any], lang: str) -> str:
    value = row.get("established", "")
    return value if isinstance(value, str) and value else t("year_unknown", lang)


def _merge_page_strings() -> None:
    # Page groups keep their strings in their own modules so they can grow without touching this table.
    from geo import _strings_data, _strings_stats

    for table in (_strings_stats.STRINGS, _strings_data.STRINGS):
        clash = set(table) & set(STRINGS)
        if clash:
            raise KeyError(f"interface string keys defined twice: {sorted(clash)}")
        STRINGS.update(table)


_merge_page_strings()
