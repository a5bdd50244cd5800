"""The Leaflet map component (geo/web/atlas_map) and its payloads.

`show` draws a map and returns the user's newest event on it, once: a click on a place or an arc, or (where
asked with `report_view`) the view after a pan or zoom. `cached_args` builds the payload for a filter state
once and returns it again for free (shared between sessions, never unpickled).
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from geo import cases as geo_cases
from geo import filters as geo_filters
from geo import mapview, paths
from geo.filters import Filters
from pages.ui import session

_atlas_map = components.declare_component("atlas_map", path=str(paths.COMPONENT_DIR))


def _fresh(key: str, event: Any) -> dict[str, Any] | None:
    """`event` if the page has not been handed it yet (events carry a sequence number), else None."""
    if not isinstance(event, dict):
        return None
    seen = st.session_state.setdefault("_map_events", {})
    if seen.get(key) == event.get("seq"):
        return None
    seen[key] = event.get("seq")
    return event


def show(args: dict[str, Any], key: str) -> dict[str, Any] | None:
    """Render the map with component arguments `args`; the event the user made since the last run, or None.

    The component keeps sending its last value on every rerun; events carry a sequence number, so each is handed
    to the page once."""
    # Each payload field is its own component argument: the browser reads them as `args.arcs`, `args.places`, ...
    return _fresh(key, _atlas_map(**args, key=key, default=None))


def pending(key: str) -> dict[str, Any] | None:
    """The map's newest event before the map is drawn in this run (e.g. a key that steps to the next saved view,
    which changes what the page draws), handed over once like `show`'s."""
    return _fresh(key, st.session_state.get(key))


def revision(*parts: Any) -> int:
    """A number that changes when the map's content does (the browser redraws only on a new revision)."""
    return hash(parts) & 0x7FFFFFFF


@st.cache_data(show_spinner=False, max_entries=32)
def cached_flows(f: Filters, dataset_token: str) -> mapview.Flows:
    """The flows of a filter state (for the flow map and the ranked list beside it), as the exports make them."""
    a = session.atlas()
    return mapview.view_flows(geo_filters.apply(a.pairings, f), a, f, f.lang, session.country_points())


# Payloads kept, shared by every session: a view built before (another session's, or this one's before a filter
# change) comes back at no cost. Each is held as built (a 50,000-pairing payload is ~25 MB of Python objects), so
# the number is kept small; st.cache_data would keep pickles instead and unpickle one on every run.
PAYLOADS_KEPT = 12


@st.cache_resource(show_spinner=False, max_entries=PAYLOADS_KEPT)
def _payload(f: Filters, height: int, dataset_token: str, highlight: tuple[str, ...],
             fit_to: tuple[tuple[float, float], ...] | None, tiles_url: str,
             marked: tuple[str, ...], overlays: list[dict[str, Any]] | None) -> dict[str, Any]:
    """Map payload for a filter state (arcs or flows), built once; read-only (shared between sessions).
    `overlays` are extra point layers drawn above the arcs (see `mapview.overlay_payload`)."""
    a = session.atlas()
    shown = geo_filters.apply(a.pairings, f)
    rev = revision(f, height, dataset_token, highlight, fit_to, tiles_url, marked,
                   json.dumps(overlays, sort_keys=True, ensure_ascii=False) if overlays else "")
    fit = [list(p) for p in fit_to] if fit_to else None
    if f.mode == "flow":
        return mapview.flow_args(shown, lang=f.lang, provinces=a.provinces, country_points=session.country_points(),
                                 revision=rev, tiles_url=tiles_url, height=height, fit_to=fit, overlays=overlays,
                                 flows=cached_flows(f, dataset_token))
    return mapview.map_args(shown, lang=f.lang, color_by=f.color_by, eras=a.eras, revision=rev,
                            highlight=highlight, marked=marked, fit_to=fit, tiles_url=tiles_url, height=height,
                            case_numbers=geo_cases.case_of_pair(session.case_links()), overlays=overlays,
                            provinces=a.provinces, country_points=session.country_points())


def cached_args(f: Filters, height: int, dataset_token: str, *, highlight: tuple[str, ...] = (),
                fit_to: tuple[tuple[float, float], ...] | None = None, tiles_url: str = "",
                marked: tuple[str, ...] = (), overlays: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Map payload for a filter state; the `dataset_token` keys it by the session's dataset. A new top-level
    dict each time, so a page may add or replace keys (the view, a layer); the payload's own values are shared
    and must not be changed."""
    return dict(_payload(f, height, dataset_token, highlight, fit_to, tiles_url, marked, overlays))


def bounds(rows: Any, pad: float) -> tuple[tuple[float, float], ...] | None:
    """`mapview.bounds_of` as a hashable value (for `cached_args`)."""
    fit = mapview.bounds_of(rows, pad=pad)
    return tuple((p[0], p[1]) for p in fit) if fit else None


def fit_for(f: Filters, shown: Any, focus: Any = None, *, world_when_unfiltered: bool = True
            ) -> tuple[tuple[float, float], ...] | None:
    """Where the map frames the view: a focused pairing first; the flows drawn in flow mode; with no filter set,
    nothing (the world frame, unless `world_when_unfiltered` is False as in presentation mode); else the pairings
    shown, as presentation mode and the exports frame them."""
    if focus is not None:
        return bounds(focus, pad=8.0)
    if world_when_unfiltered and f.is_default() and f.mode != "flow":
        return None
    if f.mode == "flow":  # always fitted: the flow map sits beside the ranked list, narrower than the world frame
        fit = mapview.flow_bounds(cached_flows(f, session.dataset_token()), pad=2.0)
        return tuple((p[0], p[1]) for p in fit) if fit else None
    return bounds(shown, pad=2.0)
