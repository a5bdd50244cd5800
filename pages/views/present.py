"""Presentation mode: the map full width with large type and no sidebar, for a projector. The filters come from
the URL (or the session), so a prepared link opens the view to present."""

from __future__ import annotations

import streamlit as st

from geo import export, stats
from geo.i18n import t
from pages.ui import blocks, component, session, state

lang = session.lang()
f = state.current()
shown = session.filtered(f)
s = stats.summary(shown, len(session.atlas().pairings))

st.markdown("<style>h1{font-size:2.6rem !important;} [data-testid='stMetricValue']{font-size:2.4rem;}"
            "[data-testid='stMetricLabel'] p{font-size:1.2rem;}</style>", unsafe_allow_html=True)
blocks.header("app_title")
c1, c2, c3 = st.columns(3)
c1.metric(t("shown", lang), f"{s.shown:,}")
c2.metric(t("countries_n", lang), s.countries)
c3.metric(t("provinces_n", lang), s.provinces)
case_pairs = session.case_pairs(shown)
args = component.cached_args(f, 780, session.dataset_token(), marked=case_pairs,
                             fit_to=None if f.is_default() else component.bounds(shown, pad=4.0))
if shown.empty:
    st.info(t("no_match", lang))
component.show(args, key="present_map")
st.caption(t("data_date", lang, date=session.derived("data_as_of")) + t("footer_sep", lang) +
           export.source_line(lang))
