"""Old pair ids and the rows they became: data/pair_aliases.csv (old_id, new_id, reason).

A pair id is a hash of the tie's Chinese unit, partner country and partner key, and the partner key follows how
the partner was placed and named, so a rebuild with better placements or names gives some ties new ids. Links
people saved (`pair=` on the map and presentation pages, saved views) must keep working: before the new
pairings.csv is written, the build compares the one on disk (the previous build) with the new rows and records,
for every id that is gone, the row it became — the row a merge put it into, or the one row of the same Chinese
unit and country with the same partner place or the same partner name — or that it has none, and why. No guess:
two candidates are no successor. Aliases chain (A -> B, then B -> C gives A -> C), and one old id never maps to
two new ids (the table is keyed by old id).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.build.partners import zh_norm
from geo.names import fold, strip_cn_suffix

ALIAS_COLUMNS = ["old_id", "new_id", "reason"]
Row = Mapping[str, str]


@dataclass(frozen=True)
class Alias:
    """Where an old id leads: `new_id` is '' when no row is a certain successor; `reason` says why either way."""

    new_id: str
    reason: str


_PARENT_CITY = re.compile(r"^.+?市(?=.+[区县])")


def _unit_keys(r: Row) -> list[tuple[str, ...]]:
    """The keys under which a row's Chinese unit and partner country are found: within the province, its Chinese
    name (simplified, without the unit word or its city's name: 大连市金州区 is 金州区) and its folded English name;
    its point and level (a district at its parent city's point is not the city)."""
    keys: list[tuple[str, ...]] = []
    prov, iso3 = r.get("cn_province_en", ""), r.get("partner_country_iso3", "")
    if r.get("cn_name_zh"):
        keys.append((prov, "zh", strip_cn_suffix(_PARENT_CITY.sub("", zh_norm(r["cn_name_zh"]))), iso3))
    if r.get("cn_name_en"):
        keys.append((prov, "en", fold(r["cn_name_en"]), iso3))
    if r.get("cn_place_id"):
        keys.append(("place", r["cn_place_id"], r.get("cn_level", ""), iso3))
    return keys


def _any_province_key(r: Row) -> tuple[str, ...]:
    """A row whose province was not known ('Taizhou' with no province) is looked for in every province by its
    English name; the partner must then single out the row."""
    return ("*", fold(re.split(r"[,(]", r.get("cn_name_en", ""))[0]), r.get("partner_country_iso3", ""))


def _describe(r: Row) -> str:
    return f"{r.get('cn_name_zh') or r.get('cn_name_en')} ({r.get('cn_province_en')}) – " \
           f"{r.get('partner_name_en') or r.get('partner_name_zh')} ({r.get('partner_country_iso3')})"


def resolve_merges(merged_into: Mapping[str, tuple[str, str]], live: set[str]) -> dict[str, tuple[str, str]]:
    """gone id -> (surviving id, why) with chains inside one build followed (B absorbed by A, A later by C)."""
    out: dict[str, tuple[str, str]] = {}
    for gone, (kept, why) in merged_into.items():
        seen = {gone}
        whys = [why]
        while kept not in live and kept in merged_into and kept not in seen:
            seen.add(kept)
            kept, more = merged_into[kept]
            whys.append(more)
        if kept in live:
            out[gone] = (kept, "; then ".join(whys))
    return out


def successor(old: Row, candidates: Iterable[Row]) -> Alias:
    """The one new row of the same Chinese unit and country that has the old row's partner place or partner name
    (English folded, or Chinese simplified); '' with the reason when there is none or more than one."""
    place = old.get("partner_place_id", "")
    en, zh = fold(old.get("partner_name_en", "")), zh_norm(old.get("partner_name_zh", ""))
    by_place: dict[str, Row] = {}
    by_name: dict[str, Row] = {}
    for r in candidates:
        if place and r.get("partner_place_id") == place:
            by_place[r["pair_id"]] = r
        if (en and fold(r.get("partner_name_en", "")) == en) or (zh and zh_norm(r.get("partner_name_zh", "")) == zh):
            by_name[r["pair_id"]] = r
    both = by_place.keys() & by_name.keys()
    either = by_place.keys() | by_name.keys()
    pick = next(iter(both)) if len(both) == 1 else next(iter(either)) if len(either) == 1 else ""
    if not pick:
        if not either:
            return Alias("", f"no successor: no row of the same Chinese unit and country has this partner's place "
                             f"or name ({_describe(old)}); the tie was removed or filed under another unit")
        return Alias("", f"no certain successor: {len(either)} rows have this partner's place or name "
                         f"({', '.join(sorted(either))}) for {_describe(old)}")
    new = by_place.get(pick) or by_name[pick]
    if pick in by_place and pick in by_name:
        how = f"same partner place {place} and name"
    elif pick in by_place:
        how = f"same partner place {place}, renamed {old.get('partner_name_en')!r} -> {new.get('partner_name_en')!r}"
    else:
        how = f"same partner name, placed {place or '(unplaced)'} -> {new.get('partner_place_id') or '(unplaced)'}"
    return Alias(pick, f"{_describe(old)}: {how}")


def derive(old_rows: Iterable[Row], new_rows: Iterable[Row],
           merged_into: Mapping[str, tuple[str, str]] | None = None) -> dict[str, Alias]:
    """For every id of `old_rows` that `new_rows` lack: the row it became (a recorded merge first, then
    `successor`), or no successor with the reason."""
    new_rows = list(new_rows)
    live = {r["pair_id"] for r in new_rows}
    merges = resolve_merges(merged_into or {}, live)
    index: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for r in new_rows:
        for key in [*_unit_keys(r), _any_province_key(r)]:
            index[key].append(r)
    out: dict[str, Alias] = {}
    for old in old_rows:
        old_id = old["pair_id"]
        if old_id in live:
            continue
        if old_id in merges:
            kept, why = merges[old_id]
            out[old_id] = Alias(kept, f"{_describe(old)}: merged into {kept} ({why})")
            continue
        keys = _unit_keys(old) + ([_any_province_key(old)] if not old.get("cn_province_en") else [])
        candidates = {r["pair_id"]: r for key in keys for r in index.get(key, [])}
        out[old_id] = successor(old, candidates.values())
    return out


def update(table: Mapping[str, Alias], old_rows: Iterable[Row], new_rows: Iterable[Row],
           merged_into: Mapping[str, tuple[str, str]] | None = None) -> dict[str, Alias]:
    """The alias table after one rebuild (`old_rows` -> `new_rows`): the ids that are gone now are added, every
    alias pointing at an id that is gone follows it (or says its successor is gone too), and an id that is live
    again is no alias any more."""
    new_rows = list(new_rows)
    live = {r["pair_id"] for r in new_rows}
    fresh = derive(old_rows, new_rows, merged_into)
    out: dict[str, Alias] = {}
    for old_id, a in table.items():
        if old_id in live:
            continue
        if a.new_id and a.new_id not in live:
            nxt = fresh.get(a.new_id)
            if nxt is None:
                a = Alias("", f"{a.reason}; then its successor {a.new_id} was dropped with no successor on record")
            elif nxt.new_id:
                a = Alias(nxt.new_id, f"{a.reason}; then {a.new_id} -> {nxt.new_id}: {nxt.reason}")
            else:
                a = Alias("", f"{a.reason}; then {a.new_id}: {nxt.reason}")
        out[old_id] = a
    out.update(fresh)  # an id live in the previous build: what it became now is the latest word
    return out


def read_aliases(path: Path) -> dict[str, Alias]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["old_id"]: Alias(r["new_id"], r["reason"]) for r in csv.DictReader(fh)}


def write_aliases(path: Path, table: Mapping[str, Alias]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(ALIAS_COLUMNS)
        for old_id in sorted(table):
            writer.writerow([old_id, table[old_id].new_id, table[old_id].reason])


def check(table: Mapping[str, Alias], live: set[str]) -> None:
    """Every alias leads to a live id or to none, and no old id is live (a link must mean one thing)."""
    bad = [f"{o} -> {a.new_id}" for o, a in table.items() if (a.new_id and a.new_id not in live) or o in live]
    if bad:
        raise AssertionError(f"pair_aliases.csv: aliases that do not lead to a pairing or name a live id: {bad[:5]}")
