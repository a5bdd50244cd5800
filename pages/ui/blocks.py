"""Pieces several pages show: the page header with its notices, the headline figures, the unplaced list."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo import placement, stats
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


def unplaced_list(shown: pd.DataFrame, view: Hashable = None) -> None:
    """List, never drop, the pairings that cannot be drawn (as text: cheaper than a table on the map page).
    `view` names what `shown` was made from (e.g. the filters): the text is then made once per dataset, view and
    language, not on every run."""
    lang = session.lang()
    n = int((~shown["placed"]).sum())
    if not n:
        return
    with st.expander(t("unplaced_title", lang, n=n)):
        st.caption(t("unplaced_help", lang))
        if view is None:
            st.markdown(unplaced_text(shown, lang))
        else:
            st.markdown(_cached_unplaced_text(session.dataset_token(), view, lang, shown))


_UNPLACED_COLUMNS = list(dict.fromkeys([
    "cn_name_zh", "cn_name_en", "cn_province_zh", "cn_province_en", "partner_name_zh", "partner_name_en",
    "partner_country_zh", "partner_country_en", "partner_country_iso3", *placement.REASON_COLUMNS]))


def unplaced_text(shown: pd.DataFrame, lang: str) -> str:
    """One Markdown line per unplaced pairing: Chinese side (province) — partner, country: why it is not drawn;
    every name escaped."""
    missing = shown[~shown["placed"]]
    columns = [c for c in _UNPLACED_COLUMNS if c in missing.columns]
    lines = []
    for values in zip(*(missing[c].tolist() for c in columns), strict=True):
        row = dict(zip(columns, values, strict=True))
        country = pick(row, "partner_country", lang) or row.get("partner_country_iso3", "")
        province = pick(row, "cn_province", lang) or "?"
        reason = placement.unplaced_reason(row, lang)
        lines.append(f"- {md(cn_label(row, lang))} ({md(province)}) — {md(partner_label(row, lang))}, {md(country)}"
                     + (f" · *{md(reason, None)}*" if reason else ""))
    return "\n".join(lines)


@st.cache_data(show_spinner=False, max_entries=32)
def _cached_unplaced_text(dataset_token: str, view: Hashable, lang: str, _shown: pd.DataFrame) -> str:
    return unplaced_text(_shown, lang)


def hide_chrome() -> None:
    """Presentation mode: no sidebar, no header, the page full width."""
    st.markdown("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
                "header[data-testid='stHeader']{display:none !important;}"
                ".block-container{padding-top:0.6rem;max-width:100% !important;}</style>",
                unsafe_allow_html=True)
