"""The opt-in download of the official registry's list: the only network request this app can make.

Call `fetch_registry` solely when a user explicitly asks (the data page's fetch button, off by default). It POSTs
the registry's empty filter form and returns the JSON bytes for `registry_json.import_registry`. The whole fetch
has one deadline, and it never reads more than the importer accepts (`MAX_BYTES`), so a slow or huge answer
ends with a clear message instead of a hung page or a file the importer would refuse anyway.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request

from geo._validate import AtlasDataError
from geo.i18n import t
from geo.sources.record import MAX_BYTES

REGISTRY_PAGE = "https://www.cpaffc.org.cn/index/friend_city/index/lang/1.html"
REGISTRY_URL = "https://www.cpaffc.org.cn/index/friend_city/ajax"
REGISTRY_FORM = {"filter[prov]": "", "filter[city]": "", "filter[w_city]": "", "filter[w_country]": "",
                 "filter[qzsj]": "", "filter[qzsj_end]": "", "is_ajax": "1"}
DEADLINE_S = 60.0
_CHUNK = 64 * 1024


def fetch_registry(timeout: float = 20, lang: str = "en", deadline_s: float = DEADLINE_S) -> bytes:
    """Download the full registry list within `deadline_s` seconds in all (`timeout` bounds each wait for the
    server). Raises `AtlasDataError` when offline, on an HTTP error, past the deadline or over `MAX_BYTES`."""
    body = urllib.parse.urlencode(REGISTRY_FORM).encode()
    request = urllib.request.Request(REGISTRY_URL, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "X-Requested-With": "XMLHttpRequest",
        "Referer": REGISTRY_PAGE, "User-Agent": "YouchengAtlas/1.0 (user-initiated registry refresh)"})
    end = time.monotonic() + deadline_s
    try:
        with urllib.request.urlopen(request, timeout=min(timeout, deadline_s)) as response:  # noqa: S310
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > end:
                    raise AtlasDataError(REGISTRY_URL, t("reg_too_slow", lang, s=int(deadline_s)))
                chunk = response.read(_CHUNK)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise AtlasDataError(REGISTRY_URL, t("reg_too_big", lang, mb=MAX_BYTES // (1024 * 1024)))
                chunks.append(chunk)
    except urllib.error.HTTPError as exc:
        raise AtlasDataError(REGISTRY_URL, t("reg_http_error", lang, code=exc.code)) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise AtlasDataError(REGISTRY_URL, t("reg_offline", lang, reason=str(exc)[:120])) from None
