"""The map: every pairing as an arc (or province→country flows), with the shared filters."""

from __future__ import annotations

import streamlit as st

from geo import mapview
from geo.i18n import pick, t, year_text
from pages import _exports, _ui

_ui.ensure_inside_app()

language = _ui.lang()
f = _ui.current_filters()
a = _ui.atlas()
shown = _ui.filtered()

st.title(t("app_title", language))
st.caption(t("app_subtitle", language))
_ui.show_url_warnings()
_ui.figures(shown)

c1, c2, c3 = st.columns([2, 2, 1])
c1.radio(t("color_by", language), ["era", "level", "affinity"], key="w_color", horizontal=True,
         format_func=lambda k: t({"era": "legend_era", "level": "legend_level", "affinity": "affinity"}[k], language))
c2.radio(t("mode", language), ["arcs", "flow"], key="w_mode", horizontal=True,
         format_func=lambda k: t(f"mode_{k}", language))
tiles_on = c3.toggle(t("tiles_online", language), value=False, key="w_tiles")

links = _ui.case_links()
case_pairs = tuple(sorted(pid for pid in links.values() if pid and pid in set(shown["pair_id"])))

# Deep links: ?pair=P… or ?case=N focus the map on one pairing.
focus = None
pair_param = st.query_params.get("pair")
case_param = st.query_params.get("case")
if case_param is not None:
    number = int(case_param) if case_param.isdigit() else None
    if number in links and links[number]:
        pair_param = links[number]
    else:
        st.warning(t("case_unknown", language, n=case_param[:20]))
if pair_param:
    focus = a.pairings[a.pairings["pair_id"] == pair_param]
    if focus.empty:
        st.warning(t("bad_param", language, key="pair", value=pair_param[:20]))
        focus = None
fit = mapview.bounds_of(focus, pad=8.0) if focus is not None else None
highlight = (str(focus["pair_id"].iloc[0]),) if focus is not None else ()

tiles_url = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png" if tiles_on else ""
revision = hash((f, highlight, tiles_url)) & 0x7FFFFFFF
args = _ui.cached_map_args(f, highlight, tuple(tuple(p) for p in fit) if fit else None, tiles_url, 640,
                           revision, _ui.dataset_token(), marked=case_pairs)
if tiles_url:
    args["tiles_attribution"] = "© OpenStreetMap contributors"
if shown.empty:
    st.info(t("no_match", language))
event = _ui.atlas_map(args, key="main_map")

if isinstance(event, dict):
    if event.get("event") == "place":
        pid = str(event.get("place_id", ""))
        rows = shown[(shown["cn_place_id"] == pid) | (shown["partner_place_id"] == pid)]
        if len(rows):
            first = rows.iloc[0].to_dict()
            name = pick(first, "cn_name", language) if first["cn_place_id"] == pid else \
                pick(first, "partner_name", language)
            st.subheader(f"{t('partners_of', language)} {name}")
            table = rows.assign(
                partner=[pick(r, "partner_name", language) if r["cn_place_id"] == pid else pick(r, "cn_name", language)
                         for r in rows.to_dict("records")],
                country=[pick(r, "partner_country", language) for r in rows.to_dict("records")],
                year=[year_text(r, language) for r in rows.to_dict("records")],
                level=[t(f"level_{lc}", language) for lc in rows["level_class"]],
            )[["partner", "country", "year", "level", "source"]]
            headers = {"partner": t("partner", language), "country": t("country", language),
                       "year": t("established", language), "level": t("level", language),
                       "source": t("source", language)}
            st.dataframe(table.rename(columns=headers), hide_index=True, width="stretch")
            st.page_link(_ui.PAGES_DIR / "city.py", label=f"{t('page_city', language)} →", query_params={"city": pid})
    elif event.get("event") == "pair":
        pid = str(event.get("pair_id", ""))
        numbers = [n for n, p in links.items() if p == pid]
        if numbers:
            case = next(c for c in _ui.case_list() if c["number"] == numbers[0])
            name = case["title_zh"] if language == "zh" else f"{case['cn_name_en']} – {case['partner_name_en']}"
            st.subheader(f"{t('case_marker', language, n=case['number'])}: {name}")
            st.write(case["summary_zh" if language == "zh" else "summary_en"])
            st.page_link(_ui.PAGES_DIR / "cases.py", label=t("open_case", language, n=case["number"]),
                         query_params={"case": str(case["number"])})

_exports.render_export_buttons(shown, f, a, args)
_ui.unplaced_list(shown)
