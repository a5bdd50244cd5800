"""One self-contained HTML file of the interactive map, for the "download interactive map" button.

Everything the page needs is inlined: Leaflet's CSS and JS, the component's CSS and JS, the basemap and the
map arguments, so the file works when opened from disk with no network. The only URL that may appear is a
tiles_url the caller passes explicitly (the user's opt-in online layer).
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

from geo.paths import BASEMAP, COMPONENT_DIR, LEAFLET_DIR

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(obj: Any) -> str:
    """JSON text that is safe inside an HTML <script> element (no `</script>`, `<!--` or `]]>` can form)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_JSON_ESCAPES)


def _inline_js(text: str) -> str:
    # Drop the source-map hint (devtools would try to load the missing .map file), then neutralise any closing
    # tag or comment opener so the inline <script> cannot end early.
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _inline_css(text: str) -> str:
    return text.replace("</", "<\\/")


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str, str, str]:
    leaflet_css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    leaflet_js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    atlas_css = (COMPONENT_DIR / "atlas_map.css").read_text(encoding="utf-8")
    atlas_js = (COMPONENT_DIR / "atlas_map.js").read_text(encoding="utf-8")
    basemap = script_json(json.loads(BASEMAP.read_text(encoding="utf-8")))
    return _inline_css(leaflet_css), _inline_js(leaflet_js), _inline_css(atlas_css), _inline_js(atlas_js), basemap


def standalone_html(args: dict[str, Any], title: str, note: str = "") -> str:
    """Return a complete HTML document that shows the map for `args` (the component's argument dict)."""
    leaflet_css, leaflet_js, atlas_css, atlas_js, basemap = _assets()
    lang = "en" if args.get("lang") == "en" else "zh"
    note_html = f'\n    <p class="atlas-standalone-note">{html.escape(note)}</p>' if note else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
  <style>
{leaflet_css}
  </style>
  <style>
{atlas_css}
  </style>
</head>
<body>
  <header class="atlas-standalone-header">
    <h1>{html.escape(title)}</h1>{note_html}
  </header>
  <div id="atlas-map"></div>
  <script id="atlas-basemap" type="application/json">{basemap}</script>
  <script id="atlas-args" type="application/json">{script_json(args)}</script>
  <script>
{leaflet_js}
  </script>
  <script>
{atlas_js}
  </script>
  <script>window.AtlasMap.startHarness();</script>
</body>
</html>
"""


def export_html(args: dict[str, Any], title: str, note: str = "") -> str:
    """The offline interactive map for the component arguments `args`, titled, with a note under the title."""
    return standalone_html(args, title, note)
