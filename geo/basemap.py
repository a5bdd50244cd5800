"""The offline world basemap (countries, Chinese provinces, South China Sea line) and its longitude rule.

The basemap is Pacific-centred: the world is cut at longitude -30 (mid-Atlantic), so China sits near the
middle and the Americas lie to its east, as on world maps printed in China. Any coordinate drawn on top of
the basemap (cities, arcs) must go through `pacific_lon` / `pacific_lon_array` so it uses the same frame.
The file itself is built by `python -m geo.build.basemap`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from geo.paths import BASEMAP

if TYPE_CHECKING:
    import geopandas as gpd

PACIFIC_CUT_LON = -30.0
"""Longitudes west of this are moved 360 degrees east; all basemap longitudes lie in [-30, 330)."""

KIND_COUNTRY = "country"
KIND_PROVINCE = "cn_province"
KIND_SEA_BOUNDARY = "cn_sea_boundary"


def pacific_lon(lon: float) -> float:
    """Map a plain longitude (-180..180) into the Pacific-centred frame [-30, 330)."""
    return lon + 360.0 if lon < PACIFIC_CUT_LON else lon


def pacific_lon_array(lon: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Vectorised `pacific_lon` for arrays of longitudes (arc vertices, city columns)."""
    arr = np.asarray(lon, dtype=np.float64)
    return np.where(arr < PACIFIC_CUT_LON, arr + 360.0, arr)


def plain_lon(lon: float) -> float:
    """Inverse of `pacific_lon`: bring a basemap longitude back to -180..180."""
    return lon - 360.0 if lon > 180.0 else lon


@lru_cache(maxsize=1)
def _load_cached() -> str:
    # Cache the text, not the dict, so callers can mutate their copy without corrupting later loads.
    return BASEMAP.read_text(encoding="utf-8")


def load_basemap() -> dict[str, Any]:
    """Return the basemap GeoJSON FeatureCollection (a fresh dict; the file is read once per process)."""
    return json.loads(_load_cached())


def basemap_frame(kinds: tuple[str, ...] | None = None) -> gpd.GeoDataFrame:
    """Return the basemap as a GeoDataFrame, for static (matplotlib) exports.

    `kinds` filters on the `kind` property (e.g. ``("country", "cn_province")``). The frame has no CRS on
    purpose: its longitudes are Pacific-shifted (up to 330), and a reprojection that assumed plain
    EPSG:4326 would silently wrap them back.
    """
    import geopandas as gpd  # heavy; only the PNG export needs it

    features = load_basemap()["features"]
    if kinds is not None:
        features = [f for f in features if f["properties"].get("kind") in kinds]
    return gpd.GeoDataFrame.from_features(features, crs=None)
