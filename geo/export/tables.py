"""The filtered pairings as a spreadsheet (CSV or Excel) with headers and coded values in the chosen language.

Every cell is defended against formula injection (a cell starting with = + - @, a tab or a CR gets a leading
single quote), because names and sources come from scraped pages and users' own files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from geo.i18n import joined, label, t

# (column, header key, how a value is shown) in export order; both name languages are kept whatever the
# interface language, and coded values (levels, tie types, status, affinities) are translated.
Shown = Callable[[Any, str], str]


def _coded(kind: str) -> Shown:
    return lambda value, lang: label(kind, str(value), lang) if str(value) else ""


def _affinities(value: Any, lang: str) -> str:
    return joined((label("affinity", a, lang) for a in str(value).split(";") if a), lang)


def _yes_no(value: Any, lang: str) -> str:
    return t("yes" if bool(value) else "no", lang)


EXPORT_COLUMNS: list[tuple[str, str, Shown | None]] = [
    ("pair_id", "col_pair_id", None), ("cn_name_zh", "col_cn_zh", None), ("cn_name_en", "col_cn_en", None),
    ("cn_province_zh", "col_province_zh", None), ("cn_province_en", "col_province_en", None),
    ("cn_level", "col_cn_level", _coded("lvl")), ("partner_name_zh", "col_partner_zh", None),
    ("partner_name_en", "col_partner_en", None), ("partner_country_zh", "col_country_zh", None),
    ("partner_country_en", "col_country_en", None), ("partner_country_iso3", "col_country_iso3", None),
    ("partner_level", "col_partner_level", _coded("lvl")), ("established", "col_established", None),
    ("date_source", "col_date_source", None), ("tie_type", "col_tie_type", _coded("tie")),
    ("status", "col_status", _coded("status")), ("status_date", "col_status_date", None),
    ("status_source", "col_status_source", None), ("affinities", "col_affinities", _affinities),
    ("source", "col_source", None), ("note", "col_note", None), ("placed", "col_placed", _yes_no),
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
    """The pairings as a table of safe strings, with headers and coded values in `lang`."""
    out: dict[str, list[str]] = {}
    for column, key, shown in EXPORT_COLUMNS:
        if column not in df.columns:
            continue
        values = [shown(v, lang) for v in df[column]] if shown else list(df[column])
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


def export_excel(df: pd.DataFrame, lang: str, note: str = "", about: list[str] | None = None) -> bytes:
    """An .xlsx workbook: the pairings (bold frozen header, filter, widths) and an 'about' sheet with the app's
    name, `note` (e.g. the filter summary) and the `about` lines (e.g. the sources)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    table = export_table(df, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_pairings", lang)[:31]

    def put(sheet: Any, row: int, col: int, value: str, bold: bool = False) -> None:
        cell = sheet.cell(row=row, column=col)
        cell.value = _ILLEGAL_XLSX.sub("", safe_cell(value))
        cell.data_type = "s"  # never a formula, whatever the text
        if bold:
            cell.font = Font(bold=True)

    for c, name in enumerate(table.columns, start=1):
        put(ws, 1, c, name, bold=True)
    for r, values in enumerate(table.itertuples(index=False, name=None), start=2):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
    ws.freeze_panes = "A2"
    if len(table.columns):
        ws.auto_filter.ref = ws.dimensions
    for c, name in enumerate(table.columns, start=1):
        longest = max([len(str(name))] + [len(str(v)) for v in table.iloc[:200, c - 1]])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest * 1.2))
    sheet = wb.create_sheet(t("sheet_about", lang)[:31])
    for r, line in enumerate([t("app_title", lang), note, *(about or [])], start=1):
        put(sheet, r, 1, line)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
