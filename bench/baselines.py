"""The two folium maps ours is compared with, drawing exactly what ours draws.

Both take our own payload (`geo.mapview.map_args`), so places, arc curves, colours and tooltip text are the same
on both sides; only the way of drawing differs:

- naive: one `folium.PolyLine` per arc and one `CircleMarker` per place, each with its own tooltip (SVG, the
  way most folium examples draw lines);
- best:  one `folium.GeoJson` FeatureCollection of all arcs and one of all places, `prefer_canvas=True`,
  a `GeoJsonTooltip` each (the fastest plain-folium form in /work/shared/reference/stack_notes.md).

The same basemap as ours (countries, Chinese provinces, the sea boundary) is embedded as one GeoJson layer, and
Leaflet comes from `leaflet/` next to the page (served locally, nothing from a CDN).
"""

from __future__ import annotations

from typing import Any

import folium

from geo import arcs, mapview
from geo.basemap import load_basemap

ARC_SEGMENTS = 16  # the component samples 16 segments per arc (atlas_map.js ARC_SEGMENTS)
LEAFLET_JS = [("leaflet", "leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", "leaflet/leaflet.css")]
BASE_STYLE = {
    "country": {"color": "#ffffff", "weight": 0.6, "fillColor": "#dedede", "fillOpacity": 1},
    "cn_province": {"color": "#a8a29e", "weight": 0.5, "fillColor": "#ebe4de", "fillOpacity": 1},
    "cn_sea_boundary": {"color": "#6b7f99", "weight": 1, "dashArray": "4 3", "fill": False},
}


def _map(prefer_canvas: bool) -> folium.Map:
    m = folium.Map(location=[25, 150], zoom_start=2, tiles=None, prefer_canvas=prefer_canvas)
    m.default_js = LEAFLET_JS  # instance attributes: the class defaults point at CDNs
    m.default_css = LEAFLET_CSS
    folium.GeoJson(load_basemap(), name="basemap", interactive=False,
                   style_function=lambda f: BASE_STYLE.get(f["properties"].get("kind"), BASE_STYLE["country"]),
                   ).add_to(m)
    return m


def _arc_geometry(args: dict[str, Any]) -> list[tuple[list[list[float]], str, str]]:
    """(points as [lat, lon], colour, tooltip text) per arc, the curve ours draws."""
    places = args["places"]
    colors = [c for _, c in args["legend"]["items"]]
    out = []
    for a in args["arcs"]:
        p, q = places[a[0]], places[a[1]]
        pts = arcs.sample(p[1], p[2], a[2], a[3], q[1], q[2], segments=ARC_SEGMENTS)
        # sample() takes plain longitudes; our places are already Pacific-centred, which it leaves unchanged.
        latlngs = [[round(float(lat), 3), round(float(lon), 3)] for lon, lat in pts]
        out.append((latlngs, colors[min(int(a[4]), len(colors) - 1)], "\n".join(mapview.tooltip_lines(args, a))))
    return out


def naive_html(args: dict[str, Any]) -> str:
    """One PolyLine and one CircleMarker per item, each with its own tooltip (SVG)."""
    m = _map(prefer_canvas=False)
    for latlngs, color, tip in _arc_geometry(args):
        folium.PolyLine(latlngs, color=color, weight=1.2, opacity=0.55, tooltip=tip.replace("\n", "<br>")).add_to(m)
    for p in args["places"]:
        cn = p[4] == "cn"
        folium.CircleMarker([p[2], p[1]], radius=2.6 if cn else 2.2, weight=0.6, color="#ffffff",
                            fill=True, fill_color=mapview.CN_COLOR if cn else mapview.PARTNER_COLOR,
                            fill_opacity=0.95, tooltip=str(p[3])).add_to(m)
    return str(m.get_root().render())


def best_html(args: dict[str, Any]) -> str:
    """One GeoJson layer of all arcs and one of all places, on a canvas, with GeoJsonTooltip."""
    m = _map(prefer_canvas=True)
    features = [{"type": "Feature", "id": n, "properties": {"color": color, "tip": tip},
                 "geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in latlngs]}}
                for n, (latlngs, color, tip) in enumerate(_arc_geometry(args))]
    folium.GeoJson({"type": "FeatureCollection", "features": features}, name="arcs",
                   style_function=lambda f: {"color": f["properties"]["color"], "weight": 1.2, "opacity": 0.55},
                   tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False)).add_to(m)
    points = [{"type": "Feature", "id": n, "properties": {"side": p[4], "name": str(p[3])},
               "geometry": {"type": "Point", "coordinates": [p[1], p[2]]}} for n, p in enumerate(args["places"])]
    folium.GeoJson({"type": "FeatureCollection", "features": points}, name="places",
                   marker=folium.CircleMarker(radius=2.4, weight=0.6, color="#ffffff", fill=True, fill_opacity=0.95),
                   style_function=lambda f: {"fillColor": mapview.CN_COLOR if f["properties"]["side"] == "cn"
                                             else mapview.PARTNER_COLOR},
                   tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(m)
    return str(m.get_root().render())
