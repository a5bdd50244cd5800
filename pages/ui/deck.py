"""The deck of saved views (geo.deck) in the session and in the URL (`deck`, `slide`), for the map page (save)
and presentation mode (step through)."""

from __future__ import annotations

import streamlit as st

from geo import deck as geo_deck
from geo.filters import Filters
from pages.ui import state
from pages.ui.text import warn


def views() -> list[str]:
    """The saved views: the URL's deck when it has one (a shared link), else the session's, which then goes into
    the URL so the page's link carries it."""
    raw = state.param("deck")
    if raw is not None:
        saved = geo_deck.decode(raw)
        if not saved:  # 'deck=' or 'deck=|': nothing to present, and the link should say so
            warn("bad_param", key="deck", value=raw)
            state.set_param("deck", None)
        st.session_state["deck"] = saved
        return saved
    saved = list(st.session_state.get("deck", []))
    if saved:
        state.set_param("deck", geo_deck.encode(saved))
    return saved


def save(f: Filters) -> None:
    """Add the view on screen (filters, map view, focused pair or case) to the deck; for a button's on_click."""
    params = {k: state.param(k) for k in geo_deck.PAGE_KEYS}
    saved = geo_deck.add(views(), geo_deck.view_query(f, params))
    st.session_state["deck"] = saved
    state.set_param("deck", geo_deck.encode(saved))


def replace(number: int, view: str) -> None:
    """Put `view` in place of saved view `number` (1-based), in the session and the URL (e.g. an old pair id
    brought up to date)."""
    saved = views()
    if 1 <= number <= len(saved) and saved[number - 1] != view:
        saved[number - 1] = view
        st.session_state["deck"] = saved
        state.set_param("deck", geo_deck.encode(saved))


def clear() -> None:
    st.session_state.pop("deck", None)
    state.set_param("deck", None)
    state.set_param("slide", None)


def slide_number(count: int) -> int:
    """The slide the URL asks for (1-based), kept inside the deck; a bad value is named and the first used."""
    raw = state.param("slide")
    if raw is None:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        warn("bad_param", key="slide", value=raw)
        state.set_param("slide", "1")
        return 1
    return min(int(raw), max(count, 1))


def step(delta: int, count: int) -> None:
    """Move `delta` slides (stopping at the first and the last)."""
    state.set_param("slide", str(max(1, min(count, slide_number(count) + delta))))
