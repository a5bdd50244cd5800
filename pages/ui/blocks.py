"""Pieces several pages show: the page header with its notices, the headline figures, the unplaced list."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo import stats
from geo.i18n import cn_label, partner_label, pick, t
from pages.ui import session, state
from pages.ui.text import md, warn

VIEWS = Path(__file__).resolve().parent.parent / "views"


def link(page: str, label: str, icon: str | None = None, **query: str) -> None:
    """A link to another page (its URL path `page`) with URL parameters."""
    st.page_link(VIEWS / f"{page}.py", label=label, icon=icon, query_params=query or None)


def pair_name(row: Mapping[Hashable, Any]) -> str:
    """'天津市 — 神户市' / 'Tianjin — Kobe' (plain text; escape before Markdown)."""
    lang = session.lang()
    return f"{cn_label(row, lang)} — {partner_label(row, lang)}"


def case_title(case: Mapping[str, Any]) -> str:
    """A case's title in the chosen language: the book's Chinese title, or for English readers the pairing with
    the Chinese title after it (the book's titles are Chinese only)."""
    if session.lang() == "zh":
        return f"{case['title_zh']} — {case['subtitle_zh']}" if case.get("subtitle_zh") else str(case["title_zh"])
    return f"{case['cn_name_en']} – {case['partner_name_en']} ({case['title_zh']})"


def show_notices() -> None:
    """Messages waiting for the page (a bad or unknown URL value, a country name not found), shown once."""
    waiting = state.notices()
    while waiting:
        key, values = waiting.pop(0)
        warn(key, **values)


def header(title_key: str, intro: str | None = None) -> None:
    """The page title, its one-line introduction and any waiting notices."""
    st.title(t(title_key, session.lang()))
    if intro:
        st.caption(intro)
    show_notices()


def figures(shown: pd.DataFrame) -> None:
    """The headline figures above a map or chart."""
    lang = session.lang()
    s = stats.summary(shown, len(session.atlas().pairings))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(t("shown", lang), f"{s.shown:,}")
    c1.caption(t("of_total", lang, total=f"{s.total:,}"))
    c2.metric(t("countries_n", lang), s.countries)
    c3.metric(t("provinces_n", lang), s.provinces)
    c4.metric(t("dated_share", lang), f"{s.dated_share:.0%}")
    c5.metric(t("placed_share", lang), f"{s.placed_share:.0%}")


def stats_header(title_key: str, intro_key: str, shown: pd.DataFrame) -> bool:
    """Header and figures of a statistics page; False (after saying so) when nothing matches the filters."""
    header(title_key, t(intro_key, session.lang()))
    figures(shown)
    if shown.empty:
        st.info(t("no_match", session.lang()))
        return False
    return True


def unplaced_list(shown: pd.DataFrame) -> None:
    """List, never drop, the pairings that cannot be drawn (as text: cheaper than a table on the map page)."""
    lang = session.lang()
    missing = shown[~shown["placed"]]
    if missing.empty:
        return
    with st.expander(t("unplaced_title", lang, n=len(missing))):
        st.caption(t("unplaced_help", lang))
        lines = []
        for row in missing.to_dict("records"):
            country = pick(row, "partner_country", lang) or row["partner_country_iso3"]
            province = pick(row, "cn_province", lang) or "?"
            lines.append(f"- {md(cn_label(row, lang))} ({md(province)}) — {md(partner_label(row, lang))}, "
                         f"{md(country)}")
        st.markdown("\n".join(lines))


def hide_chrome() -> None:
    """Presentation mode: no sidebar, no header, the page full width."""
    st.markdown("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
                "header[data-testid='stHeader']{display:none !important;}"
                ".block-container{padding-top:0.6rem;max-width:100% !important;}</style>",
                unsafe_allow_html=True)
