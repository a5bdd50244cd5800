"""Rankings: partner countries, Chinese provinces and Chinese cities with the most pairings under the current
filters, each beside its latest official figure (with date and source) where one is known."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import stats
from geo.i18n import t
from pages import _ui

_ui.ensure_inside_app()

language = _ui.lang()
a = _ui.atlas()
shown = _ui.filtered()
L = 0 if language == "zh" else 1


def display(table: pd.DataFrame, by: str, names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The ranking with a display name in the chosen language and translated column titles."""
    out = table.copy()
    out.insert(0, "name", [names.get(k, ("", ""))[L] or names.get(k, ("", ""))[1 - L] or k for k in out[by]])
    out = out.drop(columns=[by])
    if "official" not in out:
        out["official"] = float("nan")
        out["official_date"] = ""
        out["official_source"] = ""
    out["official"] = out["official"].astype("Float64")
    return out


def chart(table: pd.DataFrame) -> alt.LayerChart:
    order = list(table["name"])
    base = alt.Chart(table).encode(y=alt.Y("name:N", sort=order, title=None,
                                           axis=alt.Axis(labelLimit=220, labelOverlap=False)))
    bars = base.mark_bar(color="#1d70a2").encode(
        x=alt.X("pairings:Q", title=t("st_pairings", language)),
        tooltip=[alt.Tooltip("name:N", title=t("st_name", language)),
                 alt.Tooltip("pairings:Q", title=t("st_our_count", language))])
    ticks = base.transform_filter("isValid(datum.official)").mark_tick(
        color="#c1121f", thickness=3, size=18).encode(
        x="official:Q",
        tooltip=[alt.Tooltip("name:N", title=t("st_name", language)),
                 alt.Tooltip("official:Q", title=t("st_official", language), format=","),
                 alt.Tooltip("official_date:N", title=t("st_official_date", language)),
                 alt.Tooltip("official_source:N", title=t("st_official_source", language))])
    return (bars + ticks).properties(height=max(160, 28 * len(table)))


def section(table: pd.DataFrame, note: str = "") -> None:
    if table.empty:
        st.info(t("no_match", language))
        return
    st.altair_chart(chart(table), width="stretch")
    st.caption(t("st_rank_chart_note", language) + (" " + note if note else ""))
    shown_table = table.assign(official=[f"{int(v):,}" if pd.notna(v) else "—" for v in table["official"]])
    st.dataframe(
        shown_table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3,
        column_config={
            "name": st.column_config.TextColumn(t("st_name", language)),
            "pairings": st.column_config.NumberColumn(t("st_our_count", language), format="%d"),
            "official": st.column_config.TextColumn(t("st_official", language)),
            "official_date": st.column_config.TextColumn(t("st_official_date", language)),
            "official_source": st.column_config.TextColumn(t("st_official_source", language), width="large"),
        })


def main() -> None:
    if not _ui.stats_header(t("page_rankings", language), t("st_rank_intro", language), shown):
        return
    st.caption(t("st_rank_caption", language))
    top = int(st.slider(t("st_rank_top", language), 5, 50, 15, step=5, key="rank_top"))
    totals = a.official_totals
    countries = stats.name_lookup(a.countries, "iso3", "name_zh", "name_en")
    provinces = stats.name_lookup(a.provinces, "province_en", "province_zh", "province_en")
    cities = stats.name_lookup(a.pairings, "cn_name_en", "cn_name_zh", "cn_name_en")
    tabs = st.tabs([t("st_rank_countries", language), t("st_rank_provinces", language),
                    t("st_rank_cities", language)])
    with tabs[0]:
        section(display(stats.ranking(shown, "partner_country_iso3", totals, "country", top=top),
                        "partner_country_iso3", countries))
    with tabs[1]:
        section(display(stats.ranking(shown, "cn_province_en", totals, "province", top=top),
                        "cn_province_en", provinces))
    with tabs[2]:
        section(display(stats.city_ranking(shown, totals, top=top), "cn_name_en", cities),
                note=t("st_rank_city_note", language))


main()
