"""Arc geometry: each pairing is a quadratic Bézier curve in the Pacific-centred lon/lat frame.

Great circles from China to South America pass near the pole and are clipped by Web Mercator, so arcs are
drawn as planar curves that bow towards the pole instead, which reads as deliberate on a flat map. Python
computes the control point (tested here, reused by the PNG export); the browser only samples the curve.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from geo.basemap import pacific_lon_array

BOW = 0.22           # control-point offset as a share of the chord length
MAX_CONTROL_LAT = 78.0


def control_points(lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
                   ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Control point of each arc; inputs are plain longitudes (-180..180), outputs are Pacific-centred."""
    x1, x2 = pacific_lon_array(lon1), pacific_lon_array(lon2)
    y1, y2 = np.asarray(lat1, dtype=float), np.asarray(lat2, dtype=float)
    dx, dy = x2 - x1, y2 - y1
    length = np.hypot(dx, dy)
    # The unit normal that points north (or east for a due north–south chord) makes every arc bow poleward.
    nx, ny = -dy, dx
    flip = (ny < 0) | ((ny == 0) & (nx < 0))
    nx, ny = np.where(flip, -nx, nx), np.where(flip, -ny, ny)
    with np.errstate(invalid="ignore", divide="ignore"):
        ux, uy = np.where(length > 0, nx / length, 0.0), np.where(length > 0, ny / length, 0.0)
    cx = (x1 + x2) / 2 + ux * length * BOW
    cy = np.clip((y1 + y2) / 2 + uy * length * BOW, -MAX_CONTROL_LAT, MAX_CONTROL_LAT)
    return cx, cy


def sample(lon1: float, lat1: float, cx: float, cy: float, lon2: float, lat2: float,
           segments: int = 16) -> npt.NDArray[np.float64]:
    """Points along one arc, as an (n, 2) array of (pacific lon, lat); the same curve the browser draws."""
    x1, x2 = pacific_lon_array([lon1, lon2])
    s = np.linspace(0.0, 1.0, segments + 1)[:, None]
    p0, p1, p2 = np.array([x1, lat1]), np.array([cx, cy]), np.array([x2, lat2])
    return (1 - s) ** 2 * p0 + 2 * (1 - s) * s * p1 + s**2 * p2
