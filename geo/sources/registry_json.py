"""Import the official registry's list (CPAFFC 友城查询), saved as JSON, and the opt-in fetch of that list.

The registry answers a POST with JSON holding its rows under `data.lists`; each row has `prov` (Chinese
province), `city` (Chinese city; blank or the province itself for a province-level tie), `w_city` (foreign city
or state, in Chinese), `w_country` (country, in Chinese), `qzsj` (signing date) and `jhsj` (year), plus `id`
and `sn`. Dates may be strings or numbers; anything not understood is reported on that row, which is kept
without a date. Fetching the list from the site is `geo.sources.registry_fetch`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from geo._validate import AtlasDataError
from geo.i18n import t
from geo.load import Atlas
from geo.sources.merge import merge_records
from geo.sources.record import Record, check_rows, check_size, clean, province_short
from geo.sources.report import ImportResult

SOURCE = "中国人民对外友好协会 友城查询 / CPAFFC friendship-city registry (cpaffc.org.cn)"
NAME = "registry.json"
_NESTED = re.compile(r"^(.{2,}?(?:市|自治州|州|盟|地区))(.{2,}(?:市|区|县|旗))$")


def _describe(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return t("desc_object", lang, keys=", ".join(list(map(str, value))[:8]) or "—")
    if isinstance(value, list):
        return t("desc_list", lang, n=len(value))
    return t("desc_value", lang, kind=type(value).__name__, value=repr(str(value)[:40]))


def rows_of(doc: Any, lang: str = "en") -> list[Any]:
    """The registry rows under `data.lists`; a clear `AtlasDataError` for any other shape."""
    if not isinstance(doc, dict):
        got = t("shape_top", lang, what=_describe(doc, lang))
    elif "data" not in doc:
        got = t("shape_no_data", lang, what=_describe(doc, lang))
    elif not isinstance(doc["data"], dict):
        got = t("shape_data", lang, what=_describe(doc["data"], lang))
    elif not isinstance(doc["data"].get("lists"), list):
        got = t("shape_lists", lang, what=_describe(doc["data"]["lists"], lang)) if "lists" in doc["data"] else \
            t("shape_no_lists", lang, what=_describe(doc["data"], lang))
    else:
        return list(doc["data"]["lists"])
    extra = t("shape_msg", lang, msg=str(doc.get("msg"))[:80]) if isinstance(doc, dict) and doc.get("msg") else ""
    raise AtlasDataError(NAME, t("reg_bad_shape", lang, got=got) + extra)


def _record(n: int, item: Any, lang: str) -> Record:
    rec = Record(row=n, source=SOURCE)
    if not isinstance(item, dict):
        rec.reject = t("reg_not_object", lang, got=_describe(item, lang))
        return rec
    prov, city = clean(item.get("prov")), clean(item.get("city"))
    ident = " ".join(f"{k}={clean(item.get(k))}" for k in ("id", "sn") if clean(item.get(k)))
    if not city or city == prov or province_short(city) == province_short(prov):
        rec.cn_zh, rec.cn_level = prov, "province"
    else:
        # '泰安市肥城市': a county-level city named with its prefecture; the last part is the place itself.
        m = _NESTED.match(city)
        rec.cn_zh, rec.cn_province = (m.group(2) if m else city), prov
    rec.partner_zh, rec.country = clean(item.get("w_city")), clean(item.get("w_country"))
    rec.date = item.get("qzsj")
    if rec.date in (None, "", 0, "0") and item.get("jhsj") not in (None, "", 0, "0"):
        rec.date = item.get("jhsj")
    rec.date_source = SOURCE
    rec.tie_type = "formal"
    rec.note = f"registry {ident}" if ident else "registry"
    return rec


def import_registry(data: bytes | str, atlas: Atlas, *, file: str = NAME, lang: str = "en") -> ImportResult:
    """Import the registry's JSON (as saved from the site or fetched by `fetch_registry`). Row numbers count
    the rows of `data.lists` from 1."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_size(raw, file, lang)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise AtlasDataError(file, t("reg_bad_json", lang, reason=str(exc)[:120])) from None
    items = rows_of(doc, lang)
    check_rows(len(items), file, lang)
    records = [_record(n, item, lang) for n, item in enumerate(items, start=1)]
    return merge_records(records, atlas, file=file, encoding="UTF-8 (JSON)", lang=lang)
