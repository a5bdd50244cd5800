"""Import a user's own list of pairings (e.g. a provincial foreign-affairs office's spreadsheet saved as CSV).

Encoding: UTF-8 (with or without BOM) is tried first, then GB18030 (a superset of GBK, which Excel on Chinese
Windows writes); the report says which was used. Delimiter: comma, semicolon or tab, detected from the header.

Accepted headers (case, spaces, underscores and full-width brackets are ignored; see `HEADER_ALIASES`):

- Chinese side (required): 中方城市, 中方, 国内城市, 城市, 中方名称, Chinese city, cn_name; or separately
  cn_name_zh / 中方城市中文名 and cn_name_en / 中方城市英文名, Chinese city (English). A name with Chinese
  characters goes to the Chinese column, otherwise to the English one.
- Partner (required): 外方城市, 外方, 友好城市, 友城, 对方城市, 外国城市, partner, partner city, foreign city,
  sister city, partner_name; or partner_name_en / partner_name_zh.
- Country (required): 国家, 外方国家, 对方国家, 国别, 所在国, country, partner country, partner_country_iso3,
  iso3 — an ISO3 code or the English or Chinese name (as in data/countries.csv, plus common variants).
- Source (required): 来源, 出处, 资料来源, 数据来源, source.
- Optional: 结好时间 / 结好日期 / 签约时间 / 日期 / established / date / year; 省份 / 中方省份 / province;
  级别 / cn_level; partner_level; 类型 / 关系类型 / tie_type (正式/友好城市 -> formal, 友好交流 -> exchange);
  日期来源 / date_source; 备注 / note.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from geo._validate import AtlasDataError
from geo.find import has_cjk
from geo.i18n import t
from geo.load import Atlas
from geo.sources.merge import merge_records
from geo.sources.record import Record, check_rows, check_size, clean, text_of
from geo.sources.report import ImportResult

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "cn_name": ("中方城市", "中方", "国内城市", "城市", "中方名称", "中方省市", "chinesecity", "chineseside", "cnname",
                "city(china)", "chinacity"),
    "cn_zh": ("cn_name_zh", "中方城市中文名", "中方城市(中文)", "中文名", "chinesecity(chinese)"),
    "cn_en": ("cn_name_en", "中方城市英文名", "中方城市(英文)", "chinesecity(english)"),
    "cn_province": ("省份", "中方省份", "省", "所在省份", "省区市", "province", "chineseprovince", "cn_province_zh",
                    "cn_province_en", "cnprovince"),
    "cn_level": ("cn_level", "级别", "中方级别", "level"),
    "partner": ("外方城市", "外方", "友好城市", "友城", "对方城市", "外国城市", "外方名称", "partner", "partnercity",
                "foreigncity", "sistercity", "partner_name", "partnername", "twintown"),
    "partner_en": ("partner_name_en", "外方城市英文名", "外方城市(英文)", "partner(english)"),
    "partner_zh": ("partner_name_zh", "外方城市中文名", "外方城市(中文)", "partner(chinese)"),
    "partner_level": ("partner_level", "外方级别"),
    "country": ("国家", "外方国家", "对方国家", "国别", "所在国", "所在国家", "country", "partnercountry",
                "partner_country", "partner_country_iso3", "iso3", "countrycode"),
    "date": ("结好时间", "结好日期", "签约时间", "签字时间", "缔结时间", "建立时间", "结好年份", "日期", "时间",
             "established", "date", "year", "signed", "since"),
    "date_source": ("date_source", "日期来源"),
    "tie_type": ("tie_type", "类型", "关系类型", "type", "tietype"),
    "source": ("来源", "出处", "资料来源", "数据来源", "source", "sources"),
    "note": ("备注", "note", "notes", "说明"),
}


def _norm_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lstrip("\ufeff").lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "_-")


_LOOKUP = {_norm_header(alias): canon for canon, aliases in HEADER_ALIASES.items() for alias in aliases}


def decode(data: bytes, file: str, lang: str = "en") -> tuple[str, str]:
    """Bytes -> (text, encoding name). Refuses binary files (Excel, UTF-16) with a clear message."""
    if data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0" or b"\x00" in data[:4096]:
        raise AtlasDataError(file, t("imp_binary", lang))
    for encoding, label in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030/GBK")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if label == "UTF-8" and data.startswith(b"\xef\xbb\xbf"):
            label = "UTF-8 (BOM)"
        if "\x00" in text:
            raise AtlasDataError(file, t("imp_binary", lang))
        return text, label
    raise AtlasDataError(file, t("imp_bad_encoding", lang))


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "，", "；")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def map_header(header: list[str]) -> dict[str, int]:
    """Canonical field -> column index, first match wins."""
    out: dict[str, int] = {}
    for n, name in enumerate(header):
        canon = _LOOKUP.get(_norm_header(name))
        if canon and canon not in out:
            out[canon] = n
    return out


def import_csv(data: bytes, atlas: Atlas, *, file: str = "upload.csv", lang: str = "en") -> ImportResult:
    """Import a user's CSV into a copy of the atlas's pairings. Raises `AtlasDataError` only for a file-level
    problem (too big, empty, not text, no usable header); every data row gets a report row."""
    check_size(data, file, lang)
    text, encoding = decode(data, file, lang)
    delim = _delimiter(text.lstrip("\ufeff").split("\n", 1)[0])
    # A full-width delimiter is given to the csv reader as it is, so a quoted cell keeps its own commas.
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise AtlasDataError(file, t("imp_bad_csv", lang, reason=str(exc))) from None
    while table and not any(c.strip() for c in table[0]):
        table.pop(0)  # leading blank lines before the header
    if not table:
        raise AtlasDataError(file, t("imp_empty_file", lang))
    header, body = table[0], table[1:]
    check_rows(len(body), file, lang)
    cols = map_header(header)
    needed = {"col_need_cn": {"cn_name", "cn_zh", "cn_en"}, "col_need_partner": {"partner", "partner_en", "partner_zh"},
              "col_need_country": {"country"}, "col_need_source": {"source"}}
    missing = [t(key, lang) for key, names in needed.items() if not names & set(cols)]
    if missing:
        found = ", ".join(h.strip()[:30] for h in header[:12])
        raise AtlasDataError(file, t("imp_missing_columns", lang, cols="; ".join(missing), found=found))

    records, blank = [], []
    for n, cells in enumerate(body, start=2):
        def get(name: str, cells: list[str] = cells, as_written: bool = False) -> str:
            i = cols.get(name)
            if i is None or i >= len(cells):
                return ""
            return text_of(cells[i]) if as_written else clean(cells[i])

        # A line with nothing in it (Excel writes trailing ",,,," lines) is no pairing: it is counted and named
        # apart, so the report lists only rows that hold something.
        if not any(c.strip() for c in cells):
            blank.append(n)
            continue
        rec = Record(row=n)
        if len(cells) != len(header):
            rec.problems.append(t("imp_field_count", lang, n=len(cells), m=len(header)))
        rec.cn_zh, rec.cn_en = get("cn_zh"), get("cn_en")
        generic = get("cn_name")
        if generic:
            if has_cjk(generic):
                rec.cn_zh = rec.cn_zh or generic
            else:
                rec.cn_en = rec.cn_en or generic
        rec.partner_zh, rec.partner_en = get("partner_zh"), get("partner_en")
        generic = get("partner")
        if generic:
            if has_cjk(generic):
                rec.partner_zh = rec.partner_zh or generic
            else:
                rec.partner_en = rec.partner_en or generic
        rec.cn_province, rec.cn_level, rec.partner_level = get("cn_province"), get("cn_level"), get("partner_level")
        rec.country, rec.date, rec.date_source = get("country"), get("date"), get("date_source")
        rec.tie_type = get("tie_type")
        rec.source, rec.note = get("source", as_written=True), get("note", as_written=True)
        records.append(rec)
    result = merge_records(records, atlas, file=file, encoding=encoding, lang=lang)
    result.blank_rows = blank
    return result
