"""The filtered pairings as a spreadsheet (CSV or Excel) with headers and coded values in the chosen language.

Every cell is defended against formula injection (a cell starting with = + - @, a tab or a CR gets a leading
single quote), because names and sources come from scraped pages and users' own files. Work is done per column
and per distinct value, so 50,000 pairings export in about a second.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import numpy as np
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
# Characters XML 1.0 cannot hold (control characters but tab and line breaks, lone surrogates, U+FFFE/U+FFFF).
_ILLEGAL_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An Excel sheet holds 1,048,576 rows; one is the header. Beyond that the workbook keeps the first rows and
# says so (the CSV has every row).
EXCEL_MAX_ROWS = 1_048_575
EXCEL_MAX_CHARS = 32_767  # characters in one cell


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _defused(text: str) -> str:
    if text.lstrip(" \u3000\n").startswith(_DANGEROUS):
        return "'" + text
    return text


def safe_cell(value: Any) -> str:
    """Text for a spreadsheet cell, quoted with a leading ' if a spreadsheet could read it as a formula."""
    return _defused(_text(value))


def _xlsx_cell(value: Any) -> str:
    """Text for an Excel cell: characters XML cannot hold removed first (so none can hide a leading '='), then
    defused, then cut to Excel's limit."""
    return _defused(_ILLEGAL_XLSX.sub("", _text(value)))[:EXCEL_MAX_CHARS]


def _columns(df: pd.DataFrame, lang: str, cell: Callable[[Any], str] = safe_cell) -> dict[str, list[str]]:
    """Header -> the column's cells, each distinct value shown in `lang` and made safe once (names, codes and
    sources repeat across many pairings), whole columns at a time (reading pandas' Arrow strings one by one is
    slow)."""
    out: dict[str, list[str]] = {}
    for column, key, shown in EXPORT_COLUMNS:
        if column not in df.columns:
            continue
        codes, distinct = pd.factorize(df[column], use_na_sentinel=False)
        cells = np.array([cell(shown(v, lang) if shown else v) for v in distinct] or [""], dtype=object)
        out[t(key, lang)] = cells[codes].tolist()
    return out


def export_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The pairings as a table of safe strings, with headers and coded values in `lang`."""
    return pd.DataFrame(_columns(df, lang))


def export_csv(df: pd.DataFrame, lang: str) -> bytes:
    """UTF-8 with BOM (so Excel on Chinese Windows opens it correctly), CRLF, every cell formula-safe."""
    columns = _columns(df, lang)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in columns])
    writer.writerows(zip(*columns.values(), strict=True))
    return buf.getvalue().encode("utf-8-sig")


def excel_capped(rows: int, lang: str, cap: int | None = None) -> str | None:
    """The note saying a workbook holds only the first `cap` (default `EXCEL_MAX_ROWS`) of `rows` pairings, or
    None when all fit."""
    cap = EXCEL_MAX_ROWS if cap is None else cap
    return t("xlsx_capped", lang, cap=f"{cap:,}", total=f"{rows:,}") if rows > cap else None


def export_excel(df: pd.DataFrame, lang: str, note: str = "", about: list[str] | None = None,
                 max_rows: int | None = None) -> bytes:
    """An .xlsx workbook: the pairings (bold frozen header, filter, widths) and an 'about' sheet with the app's
    name, `note` (e.g. the filter summary) and the `about` lines (e.g. the sources). More than `max_rows`
    (default `EXCEL_MAX_ROWS`) pairings: the first `max_rows`, and the about sheet says so.

    openpyxl lays out the workbook (styles, header, both sheets); the pairings' rows are then streamed into the
    first sheet as inline strings, the same cells openpyxl itself writes. openpyxl's own cell-by-cell writing
    takes ~5 s for 50,000 pairings; this takes well under one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    max_rows = EXCEL_MAX_ROWS if max_rows is None else max_rows
    capped = excel_capped(len(df), lang, max_rows)
    columns = _columns(df.iloc[:max_rows], lang, cell=_xlsx_cell)
    headers = list(columns)
    n_rows = len(df.iloc[:max_rows])
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_pairings", lang)[:31]
    for c, name in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=c, value=_xlsx_cell(name))
        cell.data_type = "s"  # never a formula, whatever the text
        cell.font = Font(bold=True)
        longest = max([len(name)] + [len(v) for v in columns[name][:200]])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest * 1.2))
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    if headers:
        ws.auto_filter.ref = f"A1:{last}{n_rows + 1}"
    sheet = wb.create_sheet(t("sheet_about", lang)[:31])
    for r, line in enumerate([t("app_title", lang), note, *(about or []), *([capped] if capped else [])], start=1):
        sheet.cell(row=r, column=1, value=_xlsx_cell(line)).data_type = "s"
    skeleton = io.BytesIO()
    wb.save(skeleton)
    if not headers:
        return skeleton.getvalue()
    letters = [get_column_letter(c) for c in range(1, len(headers) + 1)]
    rows = _xml_rows(letters, list(columns.values()), first=2)
    return _with_rows(skeleton.getvalue(), "xl/worksheets/sheet1.xml", rows, f"A1:{last}{n_rows + 1}",
                      large=n_rows > 200_000)


def _xml_rows(letters: list[str], columns: list[list[str]], first: int) -> Iterator[str]:
    """<row> elements of inline-string cells (empty cells left out), in chunks of rows."""
    fragments: dict[str, str] = {}

    def fragment(text: str) -> str:  # each distinct text escaped once
        found = fragments.get(text)
        if found is None:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            body = xml_escape(text).replace("\r", "&#13;")  # a bare CR would be read back as a line feed
            found = fragments[text] = f'" t="inlineStr"><is><t{space}>{body}</t></is></c>'
        return found

    chunk: list[str] = []
    for r, values in enumerate(zip(*columns, strict=True), start=first):
        row = str(r)
        chunk.append(f'<row r="{row}">')
        chunk.extend(f'<c r="{letter}{row}{fragment(v)}' for letter, v in zip(letters, values, strict=True) if v)
        chunk.append("</row>")
        if len(chunk) > 20_000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def _with_rows(xlsx: bytes, part: str, rows: Iterator[str], ref: str, large: bool = False) -> bytes:
    """The workbook `xlsx` with `rows` added at the end of the sheet `part`, its dimension set to `ref`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != part:
                zout.writestr(info, data)
                continue
            head, end, tail = data.decode("utf-8").partition("</sheetData>")
            if not end:
                raise ValueError(f"{part} has no <sheetData> to add rows to")
            head = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', head, count=1)
            target = zipfile.ZipInfo(part, date_time=info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            # The size is unknown until written; ZIP64 headers only where the sheet could pass 2 GB (some Excel
            # versions warn about them on small files).
            with zout.open(target, "w", force_zip64=large) as fh:
                fh.write(head.encode("utf-8"))
                for text in rows:
                    fh.write(text.encode("utf-8"))
                fh.write((end + tail).encode("utf-8"))
    return out.getvalue()
