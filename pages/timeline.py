"""Timeline: pairings signed per year, the cumulative curve against the official totals, and the network as it
stood in a chosen year. Pairings of unknown year are counted and named, never silently dropped."""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import streamlit as st

from geo import filters as geo_filters
from geo import mapview, stats
from geo.i18n import t
from geo.regions import LEVEL_CLASSES
from pages import _ui

_ui.ensure_inside_app()

language = _ui.lang()
f = _ui.current_filters()
a = _ui.atlas()
shown = _ui.filtered()
L = 0 if language == "zh" else 1


def group_labels(dimension: str) -> tuple[dict[str, str], dict[str, str]]:
    """Display label and colour (where the map has one) for each group value of a split."""
    unknown = t("st_unknown", language)
    colors: dict[str, str] = {}
    if dimension == "era":
        labels = {str(e["era_id"]): f"{e['era_id']} {e['label_zh' if L == 0 else 'label_en']}"
                  for e in a.eras.to_dict("records")}
        colors = {k: mapview.ERA_COLORS.get(k, "#555555") for k in labels}
    elif dimension == "continent":
        labels = {en: (names[0] or en) if L == 0 else en for en, names in
                  stats.name_lookup(a.pairings, "continent_en", "continent_zh", "continent_en").items()}
    elif dimension == "level":
        labels = {k: v[L] for k, v in LEVEL_CLASSES.items()}
        colors = dict(mapview.LEVEL_COLORS)
    else:
        labels = {str(r["bri_group"]): str(r["group_zh" if L == 0 else "group_en"]) for r in a.bri.to_dict("records")}
        labels["none"] = t("st_bri_none", language)
    labels["unknown"] = unknown
    return labels, colors


def main() -> None:
    if not _ui.stats_header(t("page_timeline", language), t("st_tl_intro", language), shown):
        return

    n_unknown = stats.unknown_year_count(shown)
    hidden_unknown = 0
    if not f.include_unknown:
        hidden_unknown = stats.unknown_year_count(geo_filters.apply(a.pairings, replace(f, include_unknown=True)))

    dims = ["era", "continent", "level", "bri"]
    dimension = st.radio(t("st_split", language), dims, key="timeline_split", horizontal=True,
                         format_func=lambda d: t(f"st_split_{d}", language))
    yearly = stats.per_year_split(shown, dimension)
    if yearly.empty:
        st.info(t("st_no_dated", language))
    else:
        labels, colors = group_labels(dimension)
        order = [k for k in labels if k in set(yearly["group"])] + \
            sorted(set(yearly["group"]) - set(labels))
        yearly["label"] = yearly["group"].map(lambda g: labels.get(g, g))
        label_order = [str(labels.get(k, k)) for k in order]
        color_scale = alt.Scale(domain=label_order, range=[colors[k] for k in order]) \
            if colors and all(k in colors for k in order) else alt.Scale(domain=label_order, scheme="tableau10")
        years = list(range(int(yearly["year"].min()), int(yearly["year"].max()) + 1))
        st.subheader(t("st_per_year_title", language))
        bars = alt.Chart(yearly).mark_bar().encode(
            x=alt.X("year:O", title=t("st_year", language), scale=alt.Scale(domain=years),
                    axis=alt.Axis(values=[y for y in years if y % 5 == 0], labelAngle=0)),
            y=alt.Y("sum(pairings):Q", title=t("st_pairings", language)),
            color=alt.Color("label:N", title=t(f"st_split_{dimension}", language), scale=color_scale,
                            sort=label_order, legend=alt.Legend(orient="bottom", columns=2 if dimension == "era" else 4, labelLimit=400)),
            order=alt.Order("group:N"),
            tooltip=[alt.Tooltip("year:O", title=t("st_year", language)),
                     alt.Tooltip("label:N", title=t("st_group", language)),
                     alt.Tooltip("pairings:Q", title=t("st_pairings", language))],
        ).properties(height=340)
        st.altair_chart(bars, width="stretch")

        st.subheader(t("st_cum_title", language))
        ours = stats.cumulative(shown).assign(series=t("st_series_ours", language))
        official = stats.official_vs_dated(shown, a.official_totals).assign(
            series=t("st_series_official", language))
        series_scale = alt.Scale(domain=[t("st_series_ours", language), t("st_series_official", language)],
                                 range=["#1d70a2", "#c1121f"])
        legend = alt.Legend(orient="bottom", title=None, labelLimit=400)
        line = alt.Chart(ours).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
            x=alt.X("year:Q", title=t("st_year", language), axis=alt.Axis(format="d"),
                    scale=alt.Scale(domain=[geo_filters.FIRST_YEAR, _ui.vocabulary().last_year + 1])),
            y=alt.Y("cumulative:Q", title=t("st_pairings", language)),
            color=alt.Color("series:N", scale=series_scale, legend=legend),
            tooltip=[alt.Tooltip("year:Q", title=t("st_year", language), format="d"),
                     alt.Tooltip("cumulative:Q", title=t("st_series_ours", language))],
        )
        dots = alt.Chart(official).mark_point(filled=True, size=90, opacity=1).encode(
            x="year_float:Q", y="pairs:Q",
            color=alt.Color("series:N", scale=series_scale, legend=legend),
            tooltip=[alt.Tooltip("date:N", title=t("st_date", language)),
                     alt.Tooltip("pairs:Q", title=t("st_series_official", language), format=","),
                     alt.Tooltip("dated_by_then:Q", title=t("st_dated_by_then", language), format=","),
                     alt.Tooltip("source_outlet:N", title=t("source", language))],
        )
        st.altair_chart((line + dots).properties(height=360), width="stretch")
        st.caption(t("st_cum_note", language))
        with st.expander(t("st_official_table", language)):
            table = official[["date", "pairs", "dated_by_then", "source_outlet"]].rename(columns={
                "date": t("st_date", language), "pairs": t("st_series_official", language),
                "dated_by_then": t("st_dated_by_then", language), "source_outlet": t("source", language)})
            st.dataframe(table, hide_index=True, width="stretch")

    st.info(t("st_unknown_caption", language, n=f"{n_unknown:,}", shown=f"{len(shown):,}"))
    if hidden_unknown:
        st.caption(t("st_unknown_hidden", language, n=f"{hidden_unknown:,}"))

    snapshot()


def snapshot() -> None:
    """The map of the current filters as it stood in a chosen year (dated pairings only)."""
    st.subheader(t("st_snapshot_title", language))
    lo, hi = int(f.year_min), int(f.year_max)
    if lo < hi:
        current = st.session_state.get("timeline_year")
        if isinstance(current, int) and not lo <= current <= hi:
            st.session_state["timeline_year"] = min(max(current, lo), hi)
        year = int(st.slider(t("st_snapshot_year", language), lo, hi, value=hi, key="timeline_year"))
    else:
        year = hi
    snap_filters = replace(f, year_max=year, include_unknown=False)
    n_then, n_unknown = stats.as_of_counts(geo_filters.apply(a.pairings, replace(f, include_unknown=True)), year)
    st.caption(t("st_snapshot_note", language, year=year, n=f"{n_then:,}", unknown=f"{n_unknown:,}"))
    revision = hash((snap_filters, "timeline")) & 0x7FFFFFFF
    args = _ui.cached_map_args(snap_filters, (), None, "", 520, revision, _ui.dataset_token())
    _ui.atlas_map(args, key="timeline_map")


main()
