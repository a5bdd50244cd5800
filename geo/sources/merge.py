"""Merging imported records into a copy of the dataset: the same pairing found again fills gaps, a new one is
added with a `U…` id, and the result is checked with the embedded data's own validator. One report row per input
row, whatever happens to it."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pandas as pd

from geo import affinity, paths
from geo._validate import AtlasDataError
from geo.find import has_cjk
from geo.i18n import t
from geo.load import Atlas, enrich, read_table, validate_pairings, with_optional_columns
from geo.schema import CN_LEVELS, PAIRING_COLUMNS, PARTNER_LEVELS
from geo.sources.dates import normalise_date
from geo.sources.matching import Matcher, _Cn, _Partner, guess_cn_level, pair_keys, row_keys, tie_type
from geo.sources.record import Record, clean, text_of
from geo.sources.report import ImportResult, ReportRow


def base_table(atlas: Atlas) -> pd.DataFrame:
    """The atlas's pairings reduced to the pairings.csv schema (strings, '' for empty)."""
    df = atlas.pairings.copy()
    for col in PAIRING_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    return df[PAIRING_COLUMNS].astype(str).replace({"nan": "", "<NA>": ""}).reset_index(drop=True)


def _merge_into(row: dict[str, str], rec_date: str, rec: Record, cn: _Cn | None, lang: str) -> str:
    """Fill the gaps of an existing row from an imported one; returns what changed, for the report."""
    changes = [t("imp_merged", lang, pid=row["pair_id"])]
    if rec_date and not row["established"]:
        row["established"] = rec_date
        row["date_source"] = rec.date_source or rec.source
        changes.append(t("imp_added_date", lang, date=rec_date))
    elif rec_date and row["established"] != rec_date:
        changes.append(t("imp_date_differs", lang, old=row["established"], new=rec_date))
    if rec.source and rec.source not in [part.strip() for part in row["source"].split(" | ")]:
        row["source"] = f"{row['source']} | {rec.source}" if row["source"] else rec.source
        changes.append(t("imp_added_source", lang))
    if not row["cn_name_zh"] and (cn and cn.zh or rec.cn_zh):
        row["cn_name_zh"] = cn.zh if cn and cn.zh else rec.cn_zh
    if not row["partner_name_zh"] and rec.partner_zh:
        row["partner_name_zh"] = rec.partner_zh
    return "; ".join(changes)


def _rejection(rec: Record, matcher: Matcher, lang: str) -> tuple[str, str]:
    """(reason to reject the record or '', its partner country's ISO3 code)."""
    if rec.reject:
        return rec.reject, ""
    if not (clean(rec.partner_en) or clean(rec.partner_zh)):
        return t("imp_no_partner", lang), ""
    if not (clean(rec.cn_zh) or clean(rec.cn_en)):
        return t("imp_no_cn", lang), ""
    if not clean(rec.country):
        return t("imp_no_country", lang), ""
    iso3 = matcher.country(rec.country)
    if not iso3:
        return t("imp_bad_country", lang, value=clean(rec.country)[:60]), ""
    if not text_of(rec.source):
        return t("imp_no_source", lang), ""
    return "", iso3


def _new_id(names: list[str], ids: set[str]) -> str:
    """A stable id for a new pairing ('U' + hash of its names), lengthened until it is unique."""
    digest = hashlib.sha1("|".join(names).encode()).hexdigest()
    pid, extra = "U" + digest[:8], 8
    while pid in ids:
        extra += 1
        pid = "U" + digest[:extra]
    ids.add(pid)
    return pid


def _new_row(rec: Record, pid: str, cn: _Cn | None, partner: _Partner | None, iso3: str, date: str,
             date_problem: str, matcher: Matcher, file: str, lang: str) -> dict[str, str]:
    """A pairings.csv row for a record that is not in the dataset yet (names as given where unmatched)."""
    cn_names = [n for n in (clean(rec.cn_zh), clean(rec.cn_en)) if n]
    partner_names = [n for n in (clean(rec.partner_en), clean(rec.partner_zh)) if n]
    prov_zh, prov_en = (cn.prov_zh, cn.prov_en) if cn else matcher.province(rec.cn_province)
    level, p_level = clean(rec.cn_level).lower(), clean(rec.partner_level).lower()
    if p_level not in PARTNER_LEVELS:
        p_level = partner.level if partner and partner.level in PARTNER_LEVELS else "unknown"
    note = "; ".join(x for x in [text_of(rec.note), t("imp_note", lang, file=file, row=rec.row)] if x)
    return {
        "pair_id": pid,
        "cn_name_zh": cn.zh if cn and cn.zh else next((n for n in cn_names if has_cjk(n)), ""),
        "cn_name_en": cn.en if cn and cn.en else next((n for n in cn_names if not has_cjk(n)), ""),
        "cn_province_zh": prov_zh, "cn_province_en": prov_en,
        "cn_level": cn.level if cn else (level if level in CN_LEVELS else guess_cn_level(cn_names[0])),
        "cn_place_id": cn.place_id if cn else "",
        "partner_name_en": partner.en if partner and partner.en else next(
            (n for n in partner_names if not has_cjk(n)), ""),
        "partner_name_zh": partner.zh if partner and partner.zh else next((n for n in partner_names if has_cjk(n)), ""),
        "partner_country_iso3": iso3, "partner_level": p_level,
        "partner_place_id": partner.place_id if partner else "",
        "established": date, "date_source": (text_of(rec.date_source) or rec.source) if date else "",
        "date_note": t("imp_date_in_file", lang, value=clean(rec.date)[:40]) if date_problem else "",
        "tie_type": tie_type(rec.tie_type) or "unknown", "tie_basis": "", "status": "active", "status_date": "",
        "status_source": "", "source": rec.source, "note": note,
    }


def merge_records(records: list[Record], atlas: Atlas, *, file: str, encoding: str, lang: str = "en"
                  ) -> ImportResult:
    """Match, merge and add `records` to the atlas's pairings; one report row per record, never raises for a
    row (a row the validator refuses is reported as rejected, with the reason)."""
    matcher = Matcher(atlas)
    rows: list[dict[str, str]] = [{str(k): str(v) for k, v in r.items()}
                                  for r in base_table(atlas).to_dict("records")]
    index: dict[tuple[str, ...], int] = {}
    for n, row in enumerate(rows):
        for key in row_keys(row):
            index.setdefault(key, n)
    existing = len(rows)
    ids = {r["pair_id"] for r in rows}
    report: list[ReportRow] = []

    for rec in records:
        reason, iso3 = _rejection(rec, matcher, lang)
        if reason:
            report.append(ReportRow(rec.row, "rejected", "; ".join([reason, *rec.problems])))
            continue
        rec.source = text_of(rec.source)
        partner_names = [n for n in (clean(rec.partner_en), clean(rec.partner_zh)) if n]
        cn_names = [n for n in (clean(rec.cn_zh), clean(rec.cn_en)) if n]
        date, date_problem = normalise_date(rec.date, lang)
        problems = list(rec.problems) + ([t("imp_bad_date", lang, reason=date_problem)] if date_problem else [])
        cn, cn_problem = matcher.match_cn(cn_names, rec.cn_province, clean(rec.cn_level).lower(), lang)
        partner, p_problem = matcher.match_partner(partner_names, iso3, lang)
        cn_all = cn_names + ([cn.zh, cn.en] if cn else [])
        p_all = partner_names + ([partner.en, partner.zh] if partner else [])
        keys = pair_keys(cn_all, p_all, iso3, cn.place_id if cn else "", partner.place_id if partner else "")
        hit = next((index[k] for k in keys if k in index), None)
        if hit is not None:
            message = _merge_into(rows[hit], date, rec, cn, lang)
            report.append(ReportRow(rec.row, "merged", "; ".join([message, *problems]), rows[hit]["pair_id"]))
            continue
        pid = _new_id([*cn_names, *partner_names, iso3], ids)
        new = _new_row(rec, pid, cn, partner, iso3, date, date_problem, matcher, file, lang)
        rows.append(new)
        for key in row_keys(new):
            index.setdefault(key, len(rows) - 1)
        placed = new["cn_place_id"] in matcher.place_ids and new["partner_place_id"] in matcher.place_ids
        why = [t("imp_new", lang)] + ([x for x in (cn_problem, p_problem) if x] if not placed else [])
        report.append(ReportRow(rec.row, "imported" if placed else "unplaced", "; ".join([*why, *problems]), pid))

    table = _validated(pd.DataFrame(rows, columns=PAIRING_COLUMNS).fillna(""), existing, atlas, report, file, lang)
    return ImportResult(pairings=table, places=atlas.places.copy(), imported=table.iloc[existing:].copy(),
                        rows=report, encoding=encoding, file=file)


def _for_checks(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the shared validator sees it. Imports may name a side in Chinese only, where the embedded
    data always has an English name: for the checks (not in the data) the Chinese name stands in."""
    out = with_optional_columns(table)
    for side in ("cn", "partner"):
        en, zh = out[f"{side}_name_en"], out[f"{side}_name_zh"]
        out[f"{side}_name_en"] = en.where(en != "", zh)
    return out


def _validated(table: pd.DataFrame, existing: int, atlas: Atlas, report: list[ReportRow], file: str,
               lang: str) -> pd.DataFrame:
    """Run `geo.load.validate_pairings` over the merged table; a new row it refuses is taken out and its report
    row says why. (Merged rows of the embedded data only gain checked dates and sources: a failure there is a
    bug and raises.)"""
    countries, provinces = set(atlas.countries["iso3"]), set(atlas.provinces["province_en"])
    places = set(atlas.places["place_id"])
    while True:
        try:
            validate_pairings(_for_checks(table), countries, provinces, places, name=file)
            return table
        except AtlasDataError as exc:
            n = (exc.row or 0) - 2  # the validator counts a header row
            if n < existing:
                raise
            pid = str(table.at[n, "pair_id"])
            message = t("imp_invalid", lang, column=exc.column or "", problem=exc.problem)
            report[:] = [ReportRow(r.row, "rejected", message) if r.pair_id == pid and r.status != "merged" else r
                         for r in report]
            table = table.drop(index=n).reset_index(drop=True)


def to_atlas(atlas: Atlas, result: ImportResult) -> Atlas:
    """A session-only Atlas from an import: the merged pairings joined and tagged like the embedded data."""
    df = enrich(result.pairings, result.places, atlas.countries, atlas.provinces, atlas.eras, atlas.bri)
    overrides_path = atlas.data_dir / paths.AFFINITY_OVERRIDES.name
    overrides = read_table(overrides_path, ["cn_name_en", "partner_name_en", "partner_country_iso3", "affinity"]) \
        if overrides_path.exists() else None
    tags = affinity.tag(df, atlas.rules, overrides)
    return replace(atlas, pairings=pd.concat([df, tags], axis=1), places=result.places)


