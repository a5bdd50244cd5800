"""City profiles: any Chinese or foreign city's partners, a map of its pairings and its case studies.

Deep link: `?city=<place_id>`. An unknown id shows a warning and no selection, never an error.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from geo import cases as geo_cases
from geo import mapview, stats
from geo.i18n import pick, t, year_text
from pages import _ui

_ui.ensure_inside_app()

language = _ui.lang()
a = _ui.atlas()


def md_literal(text: str) -> str:
    """Text from the URL shown literally in Markdown: a code span, so no links, emphasis, HTML or autolinks."""
    return "`" + (re.sub(r"[`\s]+", " ", text).strip() or "?") + "`"


@st.cache_data(show_spinner=False, max_entries=8)
def choices(dataset_token: str) -> pd.DataFrame:
    return stats.city_choices(_ui.atlas().pairings)


def level_text(level: str) -> str:
    return t(f"st_lvl_{level}", language) if level else t("st_lvl_unknown", language)


def partner_table(rows: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """One line per pairing, seen from `place_id`'s side."""
    records = rows.to_dict("records")
    lines = []
    for r in records:
        ours_cn = r["cn_place_id"] == place_id
        if ours_cn:
            partner, where = pick(r, "partner_name", language), pick(r, "partner_country", language)
            levels = f"{level_text(r['cn_level'])} — {level_text(r['partner_level'])}"
        else:
            partner, where = pick(r, "cn_name", language), pick(r, "cn_province", language)
            levels = f"{level_text(r['partner_level'])} — {level_text(r['cn_level'])}"
        lines.append({
            t("st_partner", language): partner,
            t("st_where", language): where,
            t("established", language): year_text(r, language),
            t("st_levels", language): levels,
            t("st_tie", language): t(f"st_tie_{r['tie_type'] or 'unknown'}", language),
            t("source", language): r["source"],
            t("st_date_source", language): r.get("date_source", ""),
        })
    return pd.DataFrame(lines)


def main() -> None:
    st.title(t("page_city", language))
    st.caption(t("st_city_hint", language))
    _ui.show_url_warnings()

    options = choices(_ui.dataset_token())
    labels = {r["place_id"]: stats.place_label(r, language) for r in options.to_dict("records")}
    ids = list(labels)

    selected: str | None = None
    raw = st.query_params.get("city")
    if raw:
        if raw in labels:
            selected = raw
        else:
            st.warning(t("city_unknown", language, name=md_literal(raw[:80])))
    choice = st.selectbox(t("st_city_pick", language), ids, index=ids.index(selected) if selected else None,
                          format_func=lambda pid: labels.get(pid, pid), placeholder=t("st_city_placeholder", language),
                          key="city_pick")
    if choice != selected:
        if choice is None:
            st.query_params.pop("city", None)
        else:
            st.query_params["city"] = choice
        selected = choice
    if selected is None:
        return

    place = options[options["place_id"] == selected].iloc[0]
    rows = stats.city_partners(a.pairings, selected)
    side = place["side"]
    st.header(labels[selected])
    st.caption(f"{t('st_city_side_cn' if side == 'cn' else 'st_city_side_partner', language)} · "
               f"{t('st_city_filters_note', language)}")

    dated = rows["year"].dropna()
    c1, c2, c3 = st.columns(3)
    c1.metric(t("st_pairings", language), len(rows))
    c2.metric(t("st_dated_n", language), len(dated))
    c3.metric(t("st_first_year", language), str(int(dated.min())) if len(dated) else t("year_unknown", language))

    links = _ui.case_links()
    numbers = stats.city_cases(rows, links)

    placed = rows[rows["placed"]]
    if len(placed):
        case_pairs = tuple(links[n] or "" for n in numbers)
        args = mapview.map_args(placed, lang=language, color_by="era", eras=a.eras,
                                revision=hash((selected, language)) & 0x7FFFFFFF, highlight=case_pairs,
                                fit_to=mapview.bounds_of(placed, pad=5.0), height=440,
                                case_numbers=geo_cases.case_of_pair(links))
        _ui.atlas_map(args, key="city_map")
    unplaced = len(rows) - len(placed)
    if unplaced:
        st.caption(t("st_city_unplaced", language, n=unplaced))

    st.subheader(t("st_city_partners", language, n=len(rows)))
    st.dataframe(partner_table(rows, selected), hide_index=True, width="stretch",
                 height=35 * (min(len(rows), 20) + 1) + 3)

    if numbers:
        st.subheader(t("st_city_cases", language))
        for n in numbers:
            st.page_link(_ui.PAGES_DIR / "cases.py", label=t("open_case", language, n=n), icon=":material/menu_book:",
                         query_params={"case": str(n)})



main()
