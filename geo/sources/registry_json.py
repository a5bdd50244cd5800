"""Import the official registry's list (CPAFFC 友城查询), saved as JSON, and the opt-in fetch of that list.

The registry answers a POST with JSON holding its rows under `data.lists`; each row has `prov` (Chinese
province), `city` (Chinese city; blank or the province itself for a province-level tie), `w_city` (foreign city
or state, in Chinese), `w_country` (country, in Chinese), `qzsj` (signing date) and `jhsj` (year), plus `id`
and `sn`. Dates may be strings or numbers; anything not understood is reported on that row, which is kept
without a date. See /work/shared/reference/official_registry.md.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from geo._validate import AtlasDataError
from geo.i18n import t
from geo.load import Atlas
from geo.sources import Record, check_rows, check_size, clean, merge_records, province_short
from geo.sources.report import ImportResult

REGISTRY_PAGE = "https://www.cpaffc.org.cn/index/friend_city/index/lang/1.html"
REGISTRY_URL = "https://www.cpaffc.org.cn/index/friend_city/ajax"
REGISTRY_FORM = {"filter[prov]": "", "filter[city]": "", "filter[w_city]": "", "filter[w_country]": "",
                 "filter[qzsj]": "", "filter[qzsj_end]": "", "is_ajax": "1"}
SOURCE = "中国人民对外友好协会 友城查询 / CPAFFC friendship-city registry (cpaffc.org.cn)"
NAME = "registry.json"
_NESTED = re.compile(r"^(.{2,}?(?:市|自治州|州|盟|地区))(.{2,}(?:市|区|县|旗))$")


def _describe(value: Any) -> str:
    kind = type(value).__name__
    if isinstance(value, dict):
        return f"an object with keys {', '.join(list(map(str, value))[:8]) or '(none)'}"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    return f"{kind} {str(value)[:40]!r}"


def rows_of(doc: Any, lang: str = "en") -> list[Any]:
    """The registry rows under `data.lists`; a clear `AtlasDataError` for any other shape."""
    if not isinstance(doc, dict):
        got = f"top level = {_describe(doc)}"
    elif "data" not in doc:
        got = f"no 'data' key ({_describe(doc)})"
    elif not isinstance(doc["data"], dict):
        got = f"data = {_describe(doc['data'])}"
    elif not isinstance(doc["data"].get("lists"), list):
        got = f"data.lists = {_describe(doc['data']['lists'])}" if "lists" in doc["data"] else \
            f"no 'lists' in data ({_describe(doc['data'])})"
    else:
        return list(doc["data"]["lists"])
    extra = f" (msg: {str(doc.get('msg'))[:80]})" if isinstance(doc, dict) and doc.get("msg") else ""
    raise AtlasDataError(NAME, t("reg_bad_shape", lang, got=got) + extra)


def _record(n: int, item: Any, lang: str) -> Record:
    rec = Record(row=n, source=SOURCE)
    if not isinstance(item, dict):
        rec.reject = t("reg_not_object", lang, got=_describe(item))
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


def fetch_registry(timeout: float = 20, lang: str = "en") -> bytes:
    """Download the full registry list (the only network request this app can make).

    OPT-IN ONLY: call this solely when a user explicitly asks (the data page's "fetch from registry" button,
    off by default). It POSTs the registry's empty filter form to `REGISTRY_URL` and returns the JSON bytes,
    to be passed to `import_registry` (and offered for saving). Without a network it raises `AtlasDataError`
    saying the machine is offline and to use a saved file instead.
    """
    body = urllib.parse.urlencode(REGISTRY_FORM).encode()
    request = urllib.request.Request(REGISTRY_URL, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "X-Requested-With": "XMLHttpRequest",
        "Referer": REGISTRY_PAGE, "User-Agent": "YouchengAtlas/1.0 (user-initiated registry refresh)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (fixed https URL)
            return bytes(response.read(20 * 1024 * 1024))
    except urllib.error.HTTPError as exc:
        raise AtlasDataError(REGISTRY_URL, t("reg_http_error", lang, code=exc.code)) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise AtlasDataError(REGISTRY_URL, t("reg_offline", lang, reason=str(exc)[:120])) from None
