"""The downloadable single-file map: self-contained, escape-safe, and carrying its data inline."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from geo.export.standalone import script_json, standalone_html

XSS = "<img src=x onerror=alert(1)>"
SCRIPT_END = "</script><script>alert(2)</script>"


def sample_args(tiles_url: str = "") -> dict[str, Any]:
    return {
        "height": 500,
        "lang": "zh",
        "places": [["cn:bj", 116.4, 39.9, "北京", "cn"], ["p:ny", 286.0, 40.7, "纽约", "partner"]],
        "arcs": [[0, 1, 200.0, 70.0, 0, 1.2, "P0001", ["北京 — 纽约", XSS, SCRIPT_END]]],
        "legend": {"title": "时期", "items": [["II 1979–1991", "#d00000"]]},
        "highlight": [],
        "fit_to": None,
        "view": None,
        "tiles_url": tiles_url,
        "labels": {"partners_of": "友城", "no_arcs": "没有"},
        "revision": 1,
    }


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.DOTALL)


@pytest.fixture(scope="module")
def page() -> str:
    return standalone_html(sample_args(), title="友城 <b>map</b>", note='note "with" <i>markup</i> & more')


def test_no_external_asset_urls(page: str) -> None:
    # Nothing may be fetched from the network: no src/href/url()/@import pointing at http(s). Leaflet's code
    # holds one link in a string (its attribution prefix, which the map does not show), so it is left out here.
    own = re.sub(r"<script>\n/\* @preserve\n \* Leaflet.*?</script>", "", page, flags=re.DOTALL)
    assert len(own) < len(page) - 100_000
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", own, flags=re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, flags=re.IGNORECASE)
    assert "sourceMappingURL" not in page
    assert "@import" not in page
    # Leaflet's own source may mention its home page and the SVG namespace; no other URL appears.
    hosts = set(re.findall(r"https?://([^/\"'\s)]+)", page))
    assert hosts <= {"leafletjs.com", "www.w3.org", "bugs.chromium.org", "bugzilla.mozilla.org"}, hosts
    assert "<link" not in page


def test_tiles_url_only_when_passed() -> None:
    url = "https://tile.example.org/{z}/{x}/{y}.png"
    assert "tile.example.org" not in standalone_html(sample_args(), "t")
    assert "tile.example.org" in standalone_html(sample_args(url), "t")


def test_data_inlined(page: str) -> None:
    args_tag = re.search(r'<script id="atlas-args" type="application/json">(.*?)</script>', page, flags=re.DOTALL)
    assert args_tag
    assert json.loads(args_tag.group(1)) == sample_args()
    base_tag = re.search(r'<script id="atlas-basemap" type="application/json">(.*?)</script>', page, flags=re.DOTALL)
    assert base_tag
    basemap = json.loads(base_tag.group(1))
    assert basemap["type"] == "FeatureCollection" and basemap["features"]
    assert "L.map" in page and "AtlasMap.startHarness" in page  # the component code and Leaflet are inline
    assert "fetch(" in page  # (the component can fetch, but skips it when the basemap is inline)


def test_title_and_note_escaped(page: str) -> None:
    assert "<b>map</b>" not in page
    assert "<title>友城 &lt;b&gt;map&lt;/b&gt;</title>" in page
    assert "<h1>友城 &lt;b&gt;map&lt;/b&gt;</h1>" in page
    assert "&lt;i&gt;markup&lt;/i&gt; &amp; more" in page
    assert "<i>markup</i>" not in page


def test_script_end_in_tooltip_cannot_close_script(page: str) -> None:
    # Every <script> element closes exactly where the page builder intended: the count of openings equals the
    # count of elements we emit, and the hostile strings only appear escaped.
    assert page.count("<script") == 5
    assert page.count("</script>") == 5
    assert SCRIPT_END not in page and XSS not in page
    assert "\\u003c/script\\u003e" in page
    # The JSON still decodes to the original text.
    args = json.loads(_scripts(page)[1])
    assert args["arcs"][0][7][1:] == [XSS, SCRIPT_END]


def test_script_json_escapes() -> None:
    text = script_json({"a": "</script><!-- & ]]> \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & ]]> \u2028"}
