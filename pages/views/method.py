"""How the five affinities (五缘) are assigned, what is inferred, and where the method is weak.

The explanations are prose pages per language (geo/locale/<lang>/method_*.md); the rule table and the chart come
from the data.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo.affinity import AFFINITY_COLORS, Rule
from geo.i18n import label, pick, prose, t
from pages.ui import blocks, session, state

lang = session.lang()
a = session.atlas()
shown = session.filtered(state.current())


def fired(pattern: str) -> int:
    return int(a.pairings["affinity_basis"].str.contains(pattern, regex=False).sum())


def rule_table() -> pd.DataFrame:
    """One line per rule (plus the fallback and the sourced overrides) with how many pairings it tags."""
    def line(rule: Rule, pattern: str) -> tuple[str, str, int]:
        return label("affinity", rule.affinity, lang), pick(vars(rule), "explain", lang), fired(pattern)

    rules = [line(r, f"{r.affinity}:{r.id}") for r in a.rules.rules] + [line(a.rules.fallback, ":fallback")]
    rules.append(("—", t("method_override", lang), fired(":override")))
    return pd.DataFrame(rules, columns=[t("affinity", lang), t("method_rule", lang), t("pairings", lang)])


COLORS = alt.Scale(domain=list(AFFINITY_COLORS), range=list(AFFINITY_COLORS.values()))


def distribution() -> None:
    st.subheader(t("method_current", lang))
    if shown.empty:
        st.info(t("no_match", lang))
        return
    counts = shown["affinities"].str.split(";").explode().value_counts()
    chart_df = pd.DataFrame({"name": [label("affinity", k, lang) for k in counts.index], "key": counts.index,
                             "pairings": counts.to_numpy()})
    chart = alt.Chart(chart_df).mark_bar().encode(
        x=alt.X("pairings:Q", title=t("pairings", lang)),
        y=alt.Y("name:N", sort="-x", title=None),
        color=alt.Color("key:N", legend=None, scale=COLORS),
        tooltip=[alt.Tooltip("name:N", title=t("affinity", lang)),
                 alt.Tooltip("pairings:Q", title=t("pairings", lang))])
    st.altair_chart(chart, width="stretch")
    st.caption(t("method_fallback_only", lang, n=int((shown["affinity_basis"] == "opportunity:fallback").sum())))


blocks.header("page_method")
st.markdown(prose("method_intro", lang))
st.subheader(t("method_how", lang))
st.markdown(prose("method_how", lang))
st.subheader(t("method_rules", lang))
st.dataframe(rule_table(), hide_index=True, width="stretch")
distribution()
st.subheader(t("method_limits", lang))
st.markdown(prose("method_limits", lang))
