"""The current view as an editable briefing deck (PPTX, python-pptx): a title slide with the filters in words,
the map, key figures against the official totals, the timeline, a table of the pairings shown (the partners with
most pairings when there are many), a slide for a focused case, pairing or city, and where the data comes from.

Text stays text and tables stay tables, so the deck can be edited. Every run declares its fonts: an East Asian
typeface that PowerPoint and WPS both have (Microsoft YaHei, with the GB2312 charset so a viewer lacking it picks
another Chinese sans) and a Latin one, plus the run's language; the theme's fonts are set the same way, so text a
user adds is Chinese-ready too. Nothing is embedded, so the file stays small.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from geo import coverage, load
from geo.export import chart, image
from geo.export.summary import data_as_of, source_line
from geo.export.view import NO_FOCUS, Focus, case_by_number, focus_pairs, place_rows, shown
from geo.filters import Filters
from geo.i18n import joined, label, pick, t, year_text

EA_FONT = "Microsoft YaHei"  # 微软雅黑: on every Windows with PowerPoint or WPS
EA_PANOSE = "020B0503020204020204"
LATIN_FONT = "Arial"
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
TABLE_ROWS = 12  # rows of pairings or partners on the table slide
CITY_ROWS = 14
NAVY, RED, GREY, INK = "1D3557", "C1121F", "666666", "222222"


Para = tuple[str, float, bool, str]  # text, size in points, bold, colour


@dataclass(frozen=True)
class _Ctx:
    lang: str
    caption: str
    footer: str


# --- Fonts and text ---------------------------------------------------------------------------------------------

def declare_fonts(run: Any, lang: str, size: float, bold: bool = False, color: str = INK) -> None:
    """Size, weight, colour, language and the three typefaces (Latin, East Asian, complex) of one run."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor.from_string(color)
    font.name = LATIN_FONT  # a:latin
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "zh-CN" if lang == "zh" else "en-US")
    rpr.set("altLang", "en-US" if lang == "zh" else "zh-CN")
    latin = rpr.find(qn("a:latin"))
    for tag in ("a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EA_FONT, "panose": EA_PANOSE, "pitchFamily": "34",
                                      "charset": "-122"})
    cs = rpr.makeelement(qn("a:cs"), {"typeface": LATIN_FONT})
    latin.addnext(ea)
    ea.addnext(cs)


def _write(frame: Any, paragraphs: Sequence[Para], lang: str, space_after: float = 4,
           links: dict[int, str] | None = None) -> None:
    """Fill a text frame: one paragraph per (text, size, bold, colour); `links` puts a hyperlink on paragraph n's
    last run (a source's name)."""
    from pptx.util import Pt

    frame.word_wrap = True
    for n, (text, size, bold, color) in enumerate(paragraphs):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        p.space_after = Pt(space_after)
        parts = text.split("\x00")  # "\x00" separates a paragraph's body from its linked tail
        for k, part in enumerate(parts):
            run = p.add_run()
            run.text = part
            tail = k == len(parts) - 1 and len(parts) > 1
            declare_fonts(run, lang, size * (0.85 if tail else 1), bold, GREY if tail else color)
            if tail and links and n in links and links[n].startswith(("http://", "https://")):
                run.hyperlink.address = links[n]


def _box(slide: Any, left: float, top: float, width: float, height: float,
         paragraphs: Sequence[Para], lang: str, **kw: Any) -> Any:
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _write(shape.text_frame, paragraphs, lang, **kw)
    return shape


def _slide(prs: Any, title: str, ctx: _Ctx) -> Any:
    """A 'Title Only' slide with the title in the 16:9 frame and the footer (the view's filters, the date)."""
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    head = slide.shapes.title
    head.left, head.top, head.width, head.height = Inches(0.5), Inches(0.3), Inches(SLIDE_W - 1), Inches(0.8)
    head.text_frame.clear()
    _write(head.text_frame, [(title, 28, True, NAVY)], ctx.lang)
    head.text_frame.paragraphs[0].alignment = 1  # left
    _box(slide, 0.5, SLIDE_H - 0.42, SLIDE_W - 1, 0.3, [(ctx.footer, 9, False, GREY)], ctx.lang)
    return slide


def _table(slide: Any, left: float, top: float, width: float, rows: list[list[str]], widths: list[float],
           lang: str, size: float = 12, row_h: float = 0.36, numeric: tuple[int, ...] = ()) -> Any:
    """A real (editable) table: a bold shaded header, then the rows; `numeric` columns right-aligned."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(left), Inches(top), Inches(width),
                                   Inches(row_h * len(rows)))
    table = shape.table
    total = sum(widths)
    for c, w in enumerate(widths):
        table.columns[c].width = Inches(width * w / total)
    for r, values in enumerate(rows):
        table.rows[r].height = Inches(row_h)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text_frame.clear()
            _write(cell.text_frame, [(str(value), size, r == 0, "FFFFFF" if r == 0 else INK)], lang, space_after=0)
            if c in numeric:
                cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
            if r == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(NAVY)
    return table


def _picture(slide: Any, png: bytes, left: float, top: float, width: float | None = None,
             height: float | None = None) -> Any:
    from pptx.util import Inches

    return slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top),
                                    width=Inches(width) if width else None, height=Inches(height) if height else None)


def _theme_fonts(prs: Any) -> None:
    """The theme's heading and body fonts get the same East Asian typeface (for text added later by hand)."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for ea in root.iterfind(".//a:fontScheme/*/a:ea", ns):
        ea.set("typeface", EA_FONT)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- Slides -----------------------------------------------------------------------------------------------------

def _title_slide(prs: Any, ctx: _Ctx, focus_text: str, as_of: str) -> None:
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[0])
    head, sub = slide.shapes.title, slide.placeholders[1]
    head.left, head.top, head.width, head.height = Inches(0.8), Inches(1.9), Inches(SLIDE_W - 1.6), Inches(1.3)
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.4), Inches(SLIDE_W - 1.6), Inches(2.8)
    head.text_frame.clear()
    _write(head.text_frame, [(t("deck_title", ctx.lang), 40, True, NAVY)], ctx.lang)
    lines = [(ctx.caption, 20, False, INK)]
    if focus_text:
        lines.append((focus_text, 18, True, RED))
    lines.append((t("deck_made", ctx.lang, date=date.today().isoformat(), as_of=as_of or "—"), 14, False, GREY))
    sub.text_frame.clear()
    _write(sub.text_frame, lines, ctx.lang, space_after=10)


def _map_slide(prs: Any, ctx: _Ctx, png: bytes) -> None:
    slide = _slide(prs, t("deck_map", ctx.lang), ctx)
    height = SLIDE_H - 1.2 - 0.5
    width = height * 16 / 9
    _picture(slide, png, (SLIDE_W - width) / 2, 1.15, width=width)


def _figures_slide(prs: Any, ctx: _Ctx, df: pd.DataFrame, atlas: load.Atlas) -> None:
    from geo import stats

    lang = ctx.lang
    slide = _slide(prs, t("deck_figures", lang), ctx)
    s = stats.summary(df, len(atlas.pairings))
    figures = [(f"{s.shown:,}", t("shown", lang) + " · " + t("of_total", lang, total=f"{s.total:,}")),
               (f"{s.countries:,}", t("countries_n", lang)), (f"{s.provinces:,}", t("provinces_n", lang)),
               (f"{s.dated_share:.0%}", t("dated_share", lang)), (f"{s.placed_share:.0%}", t("placed_share", lang))]
    for n, (value, words) in enumerate(figures):
        _box(slide, 0.5, 1.25 + n * 1.08, 3.9, 1.0, [(value, 30, True, RED), (words, 12, False, GREY)], lang,
             space_after=0)
    cov = coverage.coverage(atlas)
    national = t("deck_national", lang, ours=f"{cov.comparable:,}", official=f"{cov.official_pairs or 0:,}",
                 date=cov.official_date, source=cov.official_source) if cov.official_pairs else ""
    _box(slide, 4.6, 1.1, 8.2, 0.8, [(national, 12, True, NAVY)], lang)
    header = [t("deck_col_in_view", lang), t("deck_col_ours", lang), t("deck_col_official", lang)]
    countries = {str(r["iso3"]): r for r in coverage.by_country(atlas).to_dict("records")}
    in_view = df.loc[df["partner_country_iso3"] != "", "partner_country_iso3"].value_counts().head(5)
    rows = [[t("country", lang), *header]]
    for iso3, n in in_view.items():
        row = countries.get(str(iso3))
        name = str(row["name_zh" if lang == "zh" else "name_en"]) if row is not None else str(iso3)
        rows.append([name, f"{int(n):,}", f"{int(row['ours']):,}" if row is not None else "—",
                     _official(row)])
    if len(rows) > 1:
        _table(slide, 4.6, 1.95, 8.2, rows, [3.0, 1.4, 1.8, 2.6], lang, size=11, row_h=0.32, numeric=(1, 2))
    provinces = {str(r["province_en"]): r for r in coverage.by_province(atlas).to_dict("records")}
    in_prov = df.loc[df["cn_province_en"] != "", "cn_province_en"].value_counts().head(5)
    prow = [[t("province", lang), *header]]
    for prov, n in in_prov.items():
        row = provinces.get(str(prov))
        name = str(row["province_zh"]) if lang == "zh" and row is not None else str(prov)
        prow.append([name, f"{int(n):,}", f"{int(row['ours']):,}" if row is not None else "—", _official(row)])
    if len(prow) > 1:
        _table(slide, 4.6, 4.4, 8.2, prow, [3.0, 1.4, 1.8, 2.6], lang, size=11, row_h=0.32, numeric=(1, 2))
    _box(slide, 4.6, 6.55, 8.2, 0.5, [(t("deck_official_note", lang), 9.5, False, GREY)], lang)


def _official(row: dict[Any, Any] | None) -> str:
    if row is None or pd.isna(row["official"]):
        return "—"
    return f"{int(row['official']):,} ({row['official_date']})"


def _timeline_slide(prs: Any, ctx: _Ctx, df: pd.DataFrame, atlas: load.Atlas, filters: Filters) -> None:
    from geo import stats

    lang = ctx.lang
    slide = _slide(prs, t("deck_timeline", lang), ctx)
    _picture(slide, chart.timeline_png(df, atlas, filters), 0.6, 1.15, width=SLIDE_W - 1.2)
    notes = []
    unknown = stats.unknown_year_count(df)
    if unknown:
        notes.append((t("unknown_caption", lang, n=f"{unknown:,}", shown=f"{len(df):,}"), 12, False, GREY))
    if chart.narrowed(filters):
        notes.append((t("deck_official_narrowed", lang), 12, False, GREY))
    latest = stats.latest_official(atlas.official_totals)
    if latest is not None:  # the newest national figure, named on the slide whatever the view
        notes.append((t("deck_official_latest", lang, n=f"{int(latest['pairs']):,}", date=latest["date"],
                        source=latest["source_outlet"]), 12, False, GREY))
    if notes:
        _box(slide, 0.6, 6.2, SLIDE_W - 1.2, 0.85, notes, lang, space_after=2)


def partner_table(df: pd.DataFrame, lang: str, top: int = TABLE_ROWS) -> tuple[list[list[str]], int, int]:
    """The table slide's rows (header first): every pairing when they fit, else the partners with most pairings —
    countries, or the partner places when one country is shown. Also how many partners and pairings are left
    out."""
    if len(df) <= top:
        rows = [[t("deck_col_cn", lang), t("partner", lang), t("country", lang), t("established", lang),
                 t("tie_status", lang)]]
        ordered = df.sort_values(["year", "cn_name_en"], na_position="last")
        for r in ordered.to_dict("records"):
            rows.append([pick(r, "cn_name", lang), pick(r, "partner_name", lang), pick(r, "partner_country", lang),
                         year_text(r, lang), label("status", str(r.get("status") or "active"), lang)])
        return rows, 0, 0
    by_country = df["partner_country_iso3"].nunique() > 1
    key = "partner_country_iso3" if by_country else "partner_place_id"
    groups = df[df[key] != ""].groupby(key)
    sizes = groups.size().sort_values(ascending=False, kind="stable")
    rows = [[t("country" if by_country else "partner", lang), t("deck_col_pairings", lang),
             t("deck_col_cn_top", lang), t("deck_col_first", lang)]]
    for k in sizes.index[:top]:
        part = groups.get_group(k)
        first = part.iloc[0].to_dict()
        name = pick(first, "partner_country" if by_country else "partner_name", lang)
        cn = part.apply(lambda r: pick(r, "cn_name", lang), axis=1).value_counts()
        named = joined(list(cn.index[:3]), lang) + (t("and_more", lang, n=len(cn) - 3) if len(cn) > 3 else "")
        years = part["year"].dropna()
        rows.append([name, f"{len(part):,}", named, str(int(years.min())) if len(years) else
                     t("year_unknown", lang)])
    rest = sizes.index[top:]
    return rows, len(rest), int(sizes[rest].sum())


def _table_slide(prs: Any, ctx: _Ctx, df: pd.DataFrame) -> None:
    lang = ctx.lang
    rows, left_out, pairs = partner_table(df, lang)
    many = len(df) > TABLE_ROWS
    title = t("deck_table_top", lang, n=len(rows) - 1) if many else t("deck_table", lang)
    slide = _slide(prs, title, ctx)
    if len(rows) == 1:
        _box(slide, 0.6, 1.4, SLIDE_W - 1.2, 1, [(t("no_match", lang), 16, False, GREY)], lang)
        return
    widths = [2.6, 1.2, 5.8, 1.4] if many else [2.6, 3.2, 2.2, 1.6, 1.4]
    _table(slide, 0.6, 1.25, SLIDE_W - 1.2, rows, widths, lang, size=12, row_h=0.38,
           numeric=(1,) if many else ())
    if left_out:
        _box(slide, 0.6, 1.35 + 0.38 * len(rows), SLIDE_W - 1.2, 0.5,
             [(t("deck_left_out", lang, n=f"{left_out:,}", pairs=f"{pairs:,}"), 12, False, GREY)], lang)


def _case_title(case: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return f"{case['title_zh']} — {case['subtitle_zh']}" if case.get("subtitle_zh") else str(case["title_zh"])
    return f"{case['cn_name_en']} – {case['partner_name_en']} ({case['title_zh']})"


def _case_slide(prs: Any, ctx: _Ctx, case: dict[str, Any]) -> None:
    lang = ctx.lang
    slide = _slide(prs, t("case_heading", lang, n=case["number"], title=_case_title(case, lang)), ctx)
    facts = [(t("deck_case_facts", lang), 16, True, NAVY)]
    links = {}
    for n, fact in enumerate(case["facts"], start=1):
        facts.append((f"• {fact[lang] if fact.get(lang) else fact['en']}\x00 — {fact['source_outlet']}", 14, False,
                      INK))
        links[n] = str(fact.get("source_url") or "")
    _box(slide, 0.5, 1.2, 7.7, 5.7, facts, lang, space_after=6, links=links)
    side = [(str(case["summary_zh" if lang == "zh" else "summary_en"]), 14, False, INK)]
    when = str(case.get("established") or "") or t("year_unknown", lang)
    side.append((f"{t('established', lang)}：{when}" if lang == "zh" else f"{t('established', lang)}: {when}", 13,
                 True, NAVY))
    side.append((t("field", lang, name=t("verification", lang), value=_verified(case, lang)), 12, False, GREY))
    side.append((t("deck_case_affinities", lang), 14, True, NAVY))
    for aff in case["affinities"]:
        basis = aff.get("basis_zh" if lang == "zh" else "basis_en") or ""
        side.append((f"{label('affinity', aff['affinity'], lang)}：{basis}" if lang == "zh" else
                     f"{label('affinity', aff['affinity'], lang)}: {basis}", 12, False, INK))
    _box(slide, 8.5, 1.2, 4.35, 5.7, side, lang, space_after=6)


def _verified(case: dict[str, Any], lang: str) -> str:
    key = f"verified_{case['verification']}"
    from geo.i18n import has

    return t(key, lang) if has(key) else t("per_book", lang)


def _pair_slide(prs: Any, ctx: _Ctx, row: dict[Any, Any]) -> None:
    lang = ctx.lang
    slide = _slide(prs, t("deck_pair", lang, name=f"{pick(row, 'cn_name', lang)} — {pick(row, 'partner_name', lang)}"),
                   ctx)
    lines = [
        (t("field", lang, name=t("province", lang), value=pick(row, "cn_province", lang)), 14, False, INK),
        (t("field", lang, name=t("country", lang), value=pick(row, "partner_country", lang)), 14, False, INK),
        (t("field", lang, name=t("established", lang), value=year_text(row, lang)), 14, False, INK),
    ]
    if row.get("date_source"):
        lines.append((t("field", lang, name=t("date_source", lang), value=str(row["date_source"])), 12, False, GREY))
    lines.append((t("field", lang, name=t("tie_status", lang),
                    value=label("status", str(row.get("status") or "active"), lang)), 14, False, INK))
    lines.append((t("field", lang, name=t("source", lang), value=str(row.get("source") or "")), 12, False, GREY))
    _box(slide, 0.6, 1.3, SLIDE_W - 1.2, 5.2, lines, lang, space_after=8)


def _city_slide(prs: Any, ctx: _Ctx, df: pd.DataFrame, place_id: str) -> None:
    lang = ctx.lang
    rows = place_rows(df, place_id)
    if rows.empty:
        return
    first = rows.iloc[0].to_dict()
    ours = "cn" if first["cn_place_id"] == place_id else "partner"
    other = "partner" if ours == "cn" else "cn"
    slide = _slide(prs, t("partners_of", lang, name=pick(first, f"{ours}_name", lang)), ctx)
    table = [[t("partner", lang), t("country" if ours == "cn" else "province", lang), t("established", lang),
              t("tie_status", lang)]]
    ordered = rows.sort_values(["year", f"{other}_name_en"], na_position="last")
    for r in ordered.head(CITY_ROWS).to_dict("records"):
        table.append([pick(r, f"{other}_name", lang), pick(r, "partner_country" if ours == "cn" else "cn_province",
                                                             lang),
                      year_text(r, lang), label("status", str(r.get("status") or "active"), lang)])
    _table(slide, 0.6, 1.2, SLIDE_W - 1.2, table, [3.4, 2.6, 1.6, 1.4], lang, size=11, row_h=0.34)
    if len(rows) > CITY_ROWS:
        _box(slide, 0.6, 1.3 + 0.34 * len(table), SLIDE_W - 1.2, 0.4,
             [(t("deck_city_more", lang, n=f"{len(rows) - CITY_ROWS:,}"), 11, False, GREY)], lang)


def _sources_slide(prs: Any, ctx: _Ctx, atlas: load.Atlas) -> None:
    lang = ctx.lang
    slide = _slide(prs, t("deck_sources", lang), ctx)
    cov = coverage.coverage(atlas)
    lines = [(t("deck_src_rows", lang), 14, False, INK), (source_line(lang), 14, False, INK)]
    if cov.official_pairs:
        lines.append((t("deck_src_official", lang, outlet=cov.official_source, date=cov.official_date), 14, False,
                      INK))
    lines += [(t("deck_src_unknown", lang), 14, False, INK), (t("png_note", lang), 14, False, INK),
              (t("deck_src_book", lang), 14, False, INK), (t("deck_src_full", lang), 14, False, INK)]
    as_of = data_as_of(atlas)
    if as_of:
        lines.append((t("data_date", lang, date=as_of), 14, True, NAVY))
    _box(slide, 0.6, 1.3, SLIDE_W - 1.2, 5.4, [(f"• {s}" if n < len(lines) - 1 or not as_of else s, z, b, c)
                                               for n, (s, z, b, c) in enumerate(lines)], lang, space_after=10)


# --- The deck ---------------------------------------------------------------------------------------------------

def build_deck(df: pd.DataFrame, atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS,
               map_png: bytes | None = None) -> bytes:
    """The deck for the pairings `df` shown under `filters`, with the focus's own slides. `map_png` is the slide
    picture if the caller has it already."""
    from pptx import Presentation
    from pptx.util import Emu

    lang = filters.lang
    caption = image.view_caption(df, atlas, filters, lang)
    as_of = data_as_of(atlas)
    footer = f"{t('app_title', lang)}{t('footer_sep', lang)}{caption[:140]}" + \
        (f"{t('footer_sep', lang)}{t('data_date', lang, date=as_of)}" if as_of else "")
    ctx = _Ctx(lang, caption, footer)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9, exactly as PowerPoint makes it
    _theme_fonts(prs)
    prs.core_properties.title = f"{t('deck_title', lang)} — {caption[:200]}"
    prs.core_properties.author = t("app_title", lang)
    prs.core_properties.language = "zh-CN" if lang == "zh" else "en-US"

    _title_slide(prs, ctx, image.focus_line(df, focus, lang) if filters.mode != "flow" else "", as_of)
    _map_slide(prs, ctx, map_png or image.export_png(df, atlas, filters, lang, focus=focus))
    _figures_slide(prs, ctx, df, atlas)
    _timeline_slide(prs, ctx, df, atlas, filters)
    _table_slide(prs, ctx, df)
    case = case_by_number(focus.case)
    if case is not None:
        _case_slide(prs, ctx, case)
    elif focus_pairs(df, focus):
        _pair_slide(prs, ctx, df[df["pair_id"] == focus.pair_id].iloc[0].to_dict())
    if focus.place_id:
        _city_slide(prs, ctx, df, focus.place_id)
    _sources_slide(prs, ctx, atlas)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def briefing_pptx(atlas: load.Atlas, filters: Filters, focus: Focus = NO_FOCUS) -> bytes:
    """The briefing deck of the view (what the map page's button and the benchmark call)."""
    return build_deck(shown(atlas, filters), atlas, filters, focus)
