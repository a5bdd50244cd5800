"""The briefing deck: opened with python-pptx, its slides (count, titles, tables, pictures) match the view, and
every run of text declares an East Asian font and its language, in Chinese and in English."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from geo.export import deck
from geo.export.view import Focus, focus_for
from geo.filters import Filters, apply
from geo.i18n import t
from geo.load import Atlas, load_atlas

ARTIFACTS = Path(__file__).resolve().parent / "browser" / "artifacts"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def open_deck(data: bytes) -> Presentation:
    assert data[:2] == b"PK", "a PPTX is a zip file"
    return Presentation(io.BytesIO(data))


def titles(prs: Presentation) -> list[str]:
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in prs.slides]


def runs(prs: Presentation) -> list[object]:
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out += [r for p in shape.text_frame.paragraphs for r in p.runs]
            if shape.has_table:
                out += [r for row in shape.table.rows for c in row.cells for p in c.text_frame.paragraphs
                        for r in p.runs]
    return out


def tables(prs: Presentation) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in shape.table.rows]
            for s in prs.slides for shape in s.shapes if shape.has_table]


def pictures(slide: object) -> list[object]:
    return [s for s in slide.shapes if s.shape_type == 13]  # type: ignore[attr-defined]  # MSO_SHAPE_TYPE.PICTURE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_of_a_focused_case(atlas: Atlas, lang: str) -> None:
    f = Filters(lang=lang)
    focus = focus_for(atlas, case=1)
    data = deck.briefing_pptx(atlas, f, focus)
    prs = open_deck(data)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000), "16:9"
    names = titles(prs)
    expected = [t("deck_title", lang), t("deck_map", lang), t("deck_figures", lang), t("deck_timeline", lang),
                t("deck_table_top", lang, n=deck.TABLE_ROWS)]
    assert names[:5] == expected
    assert names[5].startswith(t("case_heading", lang, n=1, title="")) and ("天津" in names[5] or "Tianjin" in names[5])
    assert names[6] == t("deck_sources", lang) and len(names) == 7
    title_slide = prs.slides[0]
    subtitle = title_slide.placeholders[1].text_frame.text
    assert t("sum_all", lang) in subtitle and ("神户" in subtitle or "Kobe" in subtitle), "caption and focus"
    assert len(pictures(prs.slides[1])) == 1 and len(pictures(prs.slides[3])) == 1, "the map and the timeline"
    blob = pictures(prs.slides[1])[0].image.blob  # type: ignore[attr-defined]
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    # Partners table: the top partner countries, and how many are left out.
    shown = apply(atlas.pairings, f)
    top = tables(prs)[-1]
    assert len(top) == deck.TABLE_ROWS + 1
    first_country = shown["partner_country_iso3"].value_counts().index[0]
    name = atlas.countries.set_index("iso3").at[first_country, "name_zh" if lang == "zh" else "name_en"]
    assert top[1][0] == name and top[1][1] == f"{int((shown['partner_country_iso3'] == first_country).sum()):,}"
    text = "\n".join(sh.text_frame.text for sh in prs.slides[4].shapes if sh.has_text_frame)
    left_out = shown["partner_country_iso3"].nunique() - deck.TABLE_ROWS
    assert f"{left_out:,}" in text, "the note says how many partners are left out"
    # Case slide: every fact with its outlet, linked to its page.
    case = deck.case_by_number(1)
    assert case is not None
    case_text = "\n".join(sh.text_frame.text for sh in prs.slides[5].shapes if sh.has_text_frame)
    assert all(fact["source_outlet"] in case_text for fact in case["facts"])
    links = [r.hyperlink.address for sh in prs.slides[5].shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for r in p.runs if r.hyperlink.address]
    assert len(links) == len([f for f in case["facts"] if f.get("source_url")])
    # Where the data comes from.
    sources = "\n".join(sh.text_frame.text for sh in prs.slides[-1].shapes if sh.has_text_frame)
    assert t("source_line", lang) in sources and "CPAFFC" in sources
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"deck_case1_{lang}.pptx").write_bytes(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_run_declares_an_east_asian_font_and_its_language(atlas: Atlas, lang: str) -> None:
    prs = open_deck(deck.briefing_pptx(atlas, Filters(lang=lang, continents=("Africa",)), Focus()))
    all_runs = runs(prs)
    assert len(all_runs) > 100
    for run in all_runs:
        rpr = run._r.find(qn("a:rPr"))  # type: ignore[attr-defined]
        assert rpr is not None
        ea, latin = rpr.find(qn("a:ea")), rpr.find(qn("a:latin"))
        assert ea is not None and ea.get("typeface") == deck.EA_FONT and ea.get("charset") == "-122"
        assert latin is not None and latin.get("typeface") == deck.LATIN_FONT
        assert rpr.get("lang") == ("zh-CN" if lang == "zh" else "en-US")
        # The schema's order: latin, then ea, then cs (PowerPoint rejects another order).
        tags = [c.tag for c in rpr]
        assert tags.index(qn("a:latin")) < tags.index(qn("a:ea")) < tags.index(qn("a:cs"))
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob
    assert theme.count(f'<a:ea typeface="{deck.EA_FONT}"'.encode()) == 2, "heading and body theme fonts"


def test_small_view_lists_every_pairing_and_a_city_slide(atlas: Atlas) -> None:
    f = Filters(lang="en", countries=("USA",), provinces=("Jiangsu",), year_max=1990, include_unknown=False)
    shown = apply(atlas.pairings, f)
    assert 0 < len(shown) <= deck.TABLE_ROWS
    nanjing = shown.loc[shown["cn_name_en"] == "Nanjing", "cn_place_id"].iloc[0]
    prs = open_deck(deck.briefing_pptx(atlas, f, Focus(place_id=nanjing)))
    names = titles(prs)
    assert names[4] == "The pairings shown" and names[5] == "Partners of Nanjing" and len(names) == 7
    table = tables(prs)[-2]
    assert len(table) == len(shown) + 1 and table[0][0] == "Chinese side"
    assert {row[1] for row in table[1:]} == set(shown["partner_name_en"])
    city = tables(prs)[-1]
    assert "St. Louis" in {row[0] for row in city[1:]}
    timeline_notes = "\n".join(sh.text_frame.text for sh in prs.slides[3].shapes if sh.has_text_frame)
    assert "official national totals are left out" in timeline_notes, "a narrowed view is not set against them"


def test_deck_with_nothing_shown(atlas: Atlas) -> None:
    prs = open_deck(deck.briefing_pptx(atlas, Filters(lang="zh", search="zzzz"), Focus()))
    assert titles(prs)[4] == t("deck_table", "zh") and len(prs.slides) == 6


def slide_text(slide: object) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timeline_slide_names_the_latest_official_total(atlas: Atlas, lang: str) -> None:
    from geo import stats

    latest = stats.latest_official(atlas.official_totals)
    assert latest is not None
    figure = f"{int(latest['pairs']):,}"
    for f in (Filters(lang=lang), Filters(lang=lang, continents=("Africa",))):  # also where the chart leaves it out
        prs = open_deck(deck.briefing_pptx(atlas, f))
        text = slide_text(prs.slides[3])
        assert figure in text and latest["date"] in text and latest["source_outlet"] in text, text


def test_timeline_chart_draws_the_latest_official_total_as_a_line(atlas: Atlas) -> None:
    from geo import stats
    from geo.export import chart

    latest = stats.latest_official(atlas.official_totals)
    assert latest is not None
    fig = chart.timeline_figure(apply(atlas.pairings, Filters(lang="en")), atlas, Filters(lang="en"))
    bars, right = fig.axes
    levels = [line.get_ydata()[0] for line in right.get_lines() if line.get_linestyle() == "--"]
    assert levels == [float(latest["pairs"])]
    assert bars.get_xlim()[1] > float(latest["date"][:4]) + 0.5, "the newest official dot is inside the axis"
    labels = [t.get_text() for t in bars.get_legend().get_texts()]
    assert any(f"{int(latest['pairs']):,}" in label for label in labels)


def test_deck_caption_names_the_flow_grouping_and_threshold(atlas: Atlas) -> None:
    f = Filters(lang="en", mode="flow", flow_level="continent", flow_min=20)
    prs = open_deck(deck.briefing_pptx(atlas, f))
    subtitle = prs.slides[0].placeholders[1].text_frame.text
    assert t("flow_caption", "en", level=t("flow_level_continent", "en"), k="20") in subtitle
    assert t("flow_caption", "en", level=t("flow_level_continent", "en"), k="20") in prs.core_properties.title
