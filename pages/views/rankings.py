"""Rankings: partner countries, Chinese provinces and Chinese cities with the most pairings under the current
filters, each beside its latest official figure (with date and source) where one is known; and the coverage of the
whole dataset against the official figures per country and per province (official order beside ours, the gap).

URL parameter of this page: `tab=countries|provinces|cities|coverage`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import choices, coverage, stats
from geo.i18n import LANGS, t
from pages.ui import blocks, session, state
from pages.ui.text import say

lang = session.lang()
a = session.atlas()
shown = session.filtered(state.current())
TABS = ("countries", "provinces", "cities", "coverage")


def display(table: pd.DataFrame, by: str, names: dict[str, str]) -> pd.DataFrame:
    """The ranking with a display name in the chosen language in place of the key."""
    return with_names(table.drop(columns=[by]), [names.get(k) or k for k in table[by]])


def with_names(table: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The ranking with the display names first (and an empty official figure where there is none)."""
    out = table.copy()
    out.insert(0, "name", names)
    if "official" not in out:
        out["official"] = float("nan")
        out["official_date"] = ""
        out["official_source"] = ""
    out["official"] = out["official"].astype("Float64")
    return out


def city_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """The city ranking keyed by place, named in the chosen language (with the province where two read alike)."""
    names = stats.city_labels(ranking, lang)
    return with_names(ranking.drop(columns=["city", "name_zh", "name_en", "province_zh", "province_en"]), names)


def chart(table: pd.DataFrame) -> alt.LayerChart:
    base = alt.Chart(table).encode(y=alt.Y("name:N", sort=list(table["name"]), title=None,
                                           axis=alt.Axis(labelLimit=220, labelOverlap=False)))
    bars = base.mark_bar(color="#1d70a2").encode(
        x=alt.X("pairings:Q", title=t("pairings", lang)),
        tooltip=[alt.Tooltip("name:N", title=t("name", lang)),
                 alt.Tooltip("pairings:Q", title=t("our_count", lang))])
    ticks = base.transform_filter("isValid(datum.official)").mark_tick(color="#c1121f", thickness=3, size=18).encode(
        x="official:Q",
        tooltip=[alt.Tooltip("name:N", title=t("name", lang)),
                 alt.Tooltip("official:Q", title=t("official", lang), format=","),
                 alt.Tooltip("official_date:N", title=t("official_date", lang)),
                 alt.Tooltip("official_source:N", title=t("official_source", lang))])
    return (bars + ticks).properties(height=max(160, 28 * len(table)))


def section(table: pd.DataFrame, note: str = "") -> None:
    if table.empty:
        st.info(t("no_match", lang))
        return
    st.altair_chart(chart(table), width="stretch")
    st.caption(t("rank_chart_note", lang) + (" " + note if note else ""))
    st.dataframe(
        table.assign(official=[f"{int(v):,}" if pd.notna(v) else "—" for v in table["official"]]),
        hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3,
        column_config={
            "name": st.column_config.TextColumn(t("name", lang)),
            "pairings": st.column_config.NumberColumn(t("our_count", lang), format="%d"),
            "official": st.column_config.TextColumn(t("official", lang)),
            "official_date": st.column_config.TextColumn(t("official_date", lang)),
            "official_source": st.column_config.TextColumn(t("official_source", lang), width="large"),
        })


def coverage_section() -> None:
    """Ours beside the official figures, per country and per province, over the whole dataset."""
    c = coverage.coverage(a)
    if c.official_pairs:
        st.markdown(say("cov_national", comparable=f"{c.comparable:,}", official=f"{c.official_pairs:,}",
                        date=c.official_date, share=f"{c.comparable / c.official_pairs:.0%}"))
    st.caption(t("cov_caption", lang))
    c1, c2 = st.columns([1, 2])
    order = c1.radio(t("cov_order", lang), ["official", "ours"], key="cov_order", horizontal=True,
                     format_func=lambda k: t(f"cov_order_{k}", lang))
    everything = c2.toggle(t("cov_all", lang), value=False, key="cov_all")
    config = {
        "name": st.column_config.TextColumn(t("name", lang)),
        "ours": st.column_config.NumberColumn(t("cov_col_ours", lang), format="%d"),
        "ours_all": st.column_config.NumberColumn(t("cov_col_ours_all", lang), format="%d"),
        "official": st.column_config.NumberColumn(t("official", lang), format="%d"),
        "official_date": st.column_config.TextColumn(t("official_date", lang)),
        "official_source": st.column_config.TextColumn(t("official_source", lang), width="medium"),
        "gap": st.column_config.NumberColumn(t("cov_col_gap", lang), format="%d"),
        "gap_note": st.column_config.TextColumn(t("cov_col_gap_note", lang)),
        "rank_ours": st.column_config.NumberColumn(t("cov_col_rank_ours", lang), format="%d"),
        "rank_official": st.column_config.NumberColumn(t("cov_col_rank_official", lang), format="%d"),
    }
    for title, table in (("cov_countries", coverage.by_country(a)), ("cov_provinces", coverage.by_province(a))):
        st.subheader(t(title, lang))
        view = coverage.comparison(table, lang, official_only=not everything, by=str(order))
        st.dataframe(view, hide_index=True, width="stretch", column_config=config,
                     height=min(35 * (len(view) + 1) + 3, 560))


def tab_labels(language: str) -> dict[str, str]:
    return {tab: t(f"rank_{tab}", language) for tab in TABS}


def main() -> None:
    if not blocks.stats_header("page_rankings", "rank_intro", shown):
        return
    st.caption(t("rank_caption", lang))
    top = int(st.slider(t("rank_top", lang), 5, 50, 15, step=5, key="rank_top"))
    totals = a.official_totals
    labels = tab_labels(lang)
    by_label = {v: k for code in LANGS for k, v in tab_labels(code).items()}
    current = st.session_state.get("rank_tab")
    if current is not None and current not in labels.values():  # the language was switched
        st.session_state["rank_tab"] = labels[by_label.get(current, TABS[0])]
    tabs: list = []

    def draw_tabs() -> str:
        tabs.extend(st.tabs(list(labels.values()), key="rank_tab", on_change="rerun"))
        return by_label.get(str(st.session_state.get("rank_tab")), TABS[0])

    state.url_widget("tab", "rank_tab", labels.get, draw_tabs, default=TABS[0])
    sections = {
        "countries": lambda: section(display(stats.ranking(shown, "partner_country_iso3", totals, "country", top=top),
                                             "partner_country_iso3", choices.option_labels(a, "countries", lang))),
        "provinces": lambda: section(display(stats.ranking(shown, "cn_province_en", totals, "province", top=top),
                                             "cn_province_en", choices.option_labels(a, "provinces", lang))),
        "cities": lambda: section(city_table(stats.city_ranking(shown, totals, top=top, places=a.places)),
                                  note=t("rank_city_note", lang)),
        "coverage": coverage_section,
    }
    for container, key in zip(tabs, TABS, strict=True):
        if container.open is not False:
            with container:
                sections[key]()


main()
