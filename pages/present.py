"""Presentation mode: the map full width with large type and no sidebar, for a projector."""

from __future__ import annotations

import streamlit as st

from geo import export, mapview, stats
from geo.i18n import t
from pages import _ui

_ui.ensure_inside_app()

language = _ui.lang()
f = _ui.current_filters()
shown = _ui.filtered()
s = stats.summary(shown, len(_ui.atlas().pairings))

st.markdown("<style>h1{font-size:2.6rem !important;} [data-testid='stMetricValue']{font-size:2.4rem;}"
            "[data-testid='stMetricLabel'] p{font-size:1.2rem;}</style>", unsafe_allow_html=True)
_ui.show_url_warnings()
st.title(t("app_title", language))
c1, c2, c3 = st.columns(3)
c1.metric(t("shown", language), f"{s.shown:,}")
c2.metric(t("countries_n", language), s.countries)
c3.metric(t("provinces_n", language), s.provinces)
links = _ui.case_links()
case_pairs = tuple(sorted(p for p in links.values() if p and p in set(shown["pair_id"])))
fit = mapview.bounds_of(shown, pad=4.0) if not f.is_default() else None  # a filtered view fills the screen
args = _ui.cached_map_args(f, (), tuple(tuple(p) for p in fit) if fit else None, "", 780, hash((f, "present")) & 0x7FFFFFFF, _ui.dataset_token(),
                           marked=case_pairs)
if shown.empty:
    st.info(t("no_match", language))
_ui.atlas_map(args, key="present_map")
st.caption(t("data_date", language, date=export.data_as_of(_ui.atlas())) + " · Wikipedia (CC BY-SA 4.0), GeoNames (CC BY 4.0), "
           "Natural Earth · " + ("官方统计：中国人民对外友好协会" if language == "zh" else "Official figures: CPAFFC"))
