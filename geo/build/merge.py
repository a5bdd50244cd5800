"""Group claims into ties (one row per tie) and choose each field by the written precedence of sources.

A tie is one Chinese unit, one foreign country and one partner. Claims with English partner names are grouped by
the place they resolve to (or their loose name); claims from the Chinese lists, which name the partner in Chinese
only, join a group by the evidence listed in `geo.build.partners`, or start a new tie. Every disagreement between
claims about a date, a name, a level or a tie type is recorded as a `Conflict` with both sources and the decision.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from geo.build.claims import CLASS_LABEL, Claim
from geo.build.partners import SINOGRAPHIC, sound_score, zh_base, zh_split
from geo.names import loose


@dataclass
class Conflict:
    tie: str  # human-readable tie label
    field: str
    kept: str
    kept_source: str
    other: str
    other_source: str
    decision: str


@dataclass
class Tie:
    unit_key: str
    country: str
    claims: list[Claim] = field(default_factory=list)
    partner_key: str = ""
    match_notes: list[str] = field(default_factory=list)

    def english_claims(self) -> list[Claim]:
        return [c for c in self.claims if c.partner_name_en]

    def zh_names(self) -> set[str]:
        return {zh_base(c.partner_name_zh, self.country) for c in self.claims if c.partner_name_zh}


def _best(claims: list[Claim], key=lambda c: True) -> Claim | None:  # type: ignore[no-untyped-def]
    ranked = sorted((c for c in claims if key(c)), key=lambda c: (c.rank, c.origin))
    return ranked[0] if ranked else None


@dataclass
class ZhEvidence:
    """What is known about a Chinese partner name in one country: English names and GeoNames ids."""

    english: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    geonames: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))

    def english_for(self, iso3: str, name_zh: str) -> set[str]:
        return self.english.get((iso3, zh_base(name_zh, iso3)), set())


def match_chinese_claims(ties: dict[tuple[str, str], list[Tie]], zh_claims: list[tuple[str, Claim]],
                         evidence: ZhEvidence, place_gid: dict[str, int | None]) -> list[tuple[Tie, str]]:
    """Attach each Chinese-only claim to a tie of the same unit and country, or start a new tie.

    `place_gid` maps a tie's partner key to the GeoNames id it was placed at. Returns the new ties with the
    reason each Chinese claim was attached (for the matching report).
    """
    pending: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for unit_key, claim in zh_claims:
        pending[(unit_key, claim.partner_country_iso3)].append(claim)
    created: list[tuple[Tie, str]] = []
    for group_key, claims in sorted(pending.items()):
        unit_key, iso3 = group_key
        existing = ties.setdefault(group_key, [])
        unmatched: list[Claim] = []
        for claim in sorted(claims, key=lambda c: c.origin):
            tie, how = _match_one(claim, existing, evidence, place_gid)
            if tie is None:
                unmatched.append(claim)
            else:
                tie.claims.append(claim)
                tie.match_notes.append(f"{claim.partner_name_zh}: {how}")
        # Sound-alike, one by one: only a clear best among the ties no Chinese claim has reached yet. Names
        # written in their own Chinese-character reading need a closer match, and are never matched by
        # elimination.
        threshold = 0.85 if iso3 in SINOGRAPHIC else 0.7
        still: list[Claim] = []
        for claim in unmatched:
            free = [t for t in existing if not t.zh_names()]
            scored = sorted(((max(sound_score(claim.partner_name_zh, c.partner_name_en) for c in t.english_claims()), i)
                             for i, t in enumerate(free) if t.english_claims()), reverse=True)
            if scored and scored[0][0] >= threshold and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.25) and \
                    _levels_agree(claim, free[scored[0][1]]):
                tie = free[scored[0][1]]
                tie.claims.append(claim)
                tie.match_notes.append(f"{claim.partner_name_zh}: names sound alike ({scored[0][0]:.2f})")
            else:
                still.append(claim)
        # Elimination: one Chinese claim and one tie left without a Chinese name in this unit and country.
        free = [t for t in existing if not t.zh_names() and t.english_claims()]
        if len(still) == 1 and len(free) == 1 and iso3 not in SINOGRAPHIC:
            claim, tie = still[0], free[0]
            score = max(sound_score(claim.partner_name_zh, c.partner_name_en) for c in tie.english_claims())
            if score >= 0.45 and _levels_agree(claim, tie):
                tie.claims.append(claim)
                tie.match_notes.append(f"{claim.partner_name_zh}: the only unmatched partner on both sides, "
                                       f"names fairly alike ({score:.2f})")
                still = []
        for claim in still:
            _new_tie(claim, unit_key, iso3, existing, created)
    return created


def _new_tie(claim: Claim, unit_key: str, iso3: str, existing: list[Tie], created: list[tuple[Tie, str]]) -> None:
    """A tie only the Chinese lists know; two Chinese claims with one Chinese name in one unit are one tie, unless
    one name marks a first-level unit and the other does not ('马德里自治区', the Community of Madrid, is not
    '马德里', the city: Beijing's list has both)."""
    same = next((t for t, _ in created if t.unit_key == unit_key and t.country == iso3 and
                 zh_base(claim.partner_name_zh, iso3) in t.zh_names() and
                 all((_claim_level(claim) == "state") == (_claim_level(c) == "state") for c in t.claims)), None)
    if same is not None:
        same.claims.append(claim)
        return
    tie = Tie(unit_key, iso3, [claim], partner_key=f"zh:{zh_base(claim.partner_name_zh, iso3)}")
    existing.append(tie)
    created.append((tie, "no English-named claim matched"))


def _claim_level(claim: Claim) -> str:
    return claim.partner_level or zh_split(claim.partner_name_zh, claim.partner_country_iso3)[1]


def _levels_agree(claim: Claim, tie: Tie) -> bool:
    zl = _claim_level(claim)
    tl = {c.partner_level for c in tie.english_claims() if c.partner_level in ("state", "city")}
    if zl == "state" and tl == {"city"} or zl == "city" and tl == {"state"}:
        return False
    # '魁北克省' (the province) is not 'Quebec City', nor '宿务省' 'Cebu City'.
    english = tie.english_claims()
    return not (zl == "state" and english and all(re.search(r"\bCity\b", c.partner_name_en) for c in english))


def _match_one(claim: Claim, ties: list[Tie], evidence: ZhEvidence,
               place_gid: dict[str, int | None]) -> tuple[Tie | None, str]:
    iso3 = claim.partner_country_iso3
    base = zh_base(claim.partner_name_zh, iso3)
    for tie in ties:
        if base in tie.zh_names() and _levels_agree(claim, tie):
            return tie, "same Chinese name in another source"
    names = {loose(n) for n in evidence.english_for(iso3, claim.partner_name_zh)}
    if names:
        for tie in ties:
            if any(loose(c.partner_name_en) in names for c in tie.english_claims()) and _levels_agree(claim, tie):
                return tie, "Chinese and English names paired by another source or the curated name table"
    gids = evidence.geonames.get((iso3, base), set())
    if gids:
        for tie in ties:
            gid = place_gid.get(tie.partner_key)
            if gid is not None and gid in gids and _levels_agree(claim, tie):
                return tie, "GeoNames gives this Chinese name for the place the English name resolves to"
    return None, ""


# --- choosing fields -----------------------------------------------------------------------------------------

def _compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def choose_date(tie: Tie, label: str, conflicts: list[Conflict], tie_type: str = "") -> tuple[str, str, str, str]:
    """(date, date source, date note, date kind) by precedence; a more precise date from a lower-ranked source
    that agrees with the chosen one refines it. Disagreements are recorded. A formal tie is dated by its
    agreement, not by a letter of intent or an approval before it."""
    usable = [c for c in tie.claims if c.date and not c.date_problem]
    if tie_type == "formal" and any(c.tie_type not in ("intent", "approved") for c in usable):
        usable = [c for c in usable if c.tie_type not in ("intent", "approved")]
    for c in tie.claims:
        if c.date and c.date_problem:
            conflicts.append(Conflict(label, "date", "", "", c.date, c.source,
                                      f"not used: {c.date_problem}"))
    if not usable:
        return "", "", "", ""
    # Signing dates before approval or announcement dates; within that, source precedence, then precision.
    kind_rank = {"signed": 0, "unknown": 1, "approved": 2, "announced": 3}
    ranked = sorted(usable, key=lambda c: (kind_rank.get(c.date_kind, 1), c.rank, -len(c.date), c.origin))
    best = ranked[0]
    date, source = best.date, best.source
    refine = [c for c in ranked[1:] if c.date.startswith(date) and len(c.date) > len(date)]
    note = ""
    if refine:
        finer = sorted(refine, key=lambda c: (-len(c.date), c.rank, c.origin))[0]
        note = f"{date} per {CLASS_LABEL[best.source_class]} ({best.source}); day or month from the source cited"
        date, source = finer.date, finer.source
    others = []
    for c in ranked[1:]:
        if not _compatible(c.date, date):
            others.append(c.date)
            conflicts.append(Conflict(label, "date", date, source, c.date, c.source,
                                      f"kept the {CLASS_LABEL[best.source_class]}'s date"
                                      f"{' (signing before approval)' if best.date_kind != c.date_kind else ''}"))
    if others:
        note = "; ".join(x for x in (note, f"other sources give {', '.join(sorted(set(others)))}") if x)
    kind = best.date_kind if best.date_kind != "signed" else ""
    if kind == "approved":
        note = "; ".join(x for x in (note, "approval date (批准), not a signing date") if x)
    return date, source, note, kind


def choose_tie_type(tie: Tie, label: str, conflicts: list[Conflict]) -> tuple[str, str]:
    stated = [c for c in tie.claims if c.tie_type]
    if not stated:
        classes = sorted({CLASS_LABEL[c.source_class] for c in tie.claims})
        if all(c.source_class == "enwiki" for c in tie.claims):
            return "unknown", ("known only from English Wikipedia's twin-town lists, which mix formal friendship "
                               "cities with looser exchange ties")
        return "unknown", f"no source says what kind of tie it is ({', '.join(classes)})"
    best = _best(stated)
    assert best is not None
    if best.tie_type in ("intent", "approved"):
        # A letter of intent or an approval comes before the signing: a formal agreement signed later (or a dated
        # one where the intent has no date) is the tie as it stands.
        later = [c for c in stated if c.tie_type == "formal" and c.date and (not best.date or c.date > best.date)]
        if later:
            best = _best(later) or best
    for c in stated:
        if c.tie_type != best.tie_type and c is not best:
            conflicts.append(Conflict(label, "tie_type", best.tie_type, best.source, c.tie_type, c.source,
                                      f"kept the {CLASS_LABEL[best.source_class]}'s type"))
    return best.tie_type, best.tie_basis or f"{best.tie_type} per {best.source}"


def choose_status(tie: Tie) -> tuple[str, str, str]:
    ended = [c for c in tie.claims if c.status in ("suspended", "terminated")]
    if not ended:
        return "active", "", ""
    best = sorted(ended, key=lambda c: (c.status != "terminated", -len(c.status_date), c.rank, c.origin))[0]
    return best.status, best.status_date, best.source


def choose_names(tie: Tie, label: str, conflicts: list[Conflict]) -> tuple[str, str, str]:
    """(partner English name, partner Chinese name, partner level) by precedence, recording disagreements."""
    en = _best(tie.claims, lambda c: bool(c.partner_name_en))
    zh = _best(tie.claims, lambda c: bool(c.partner_name_zh))
    zh_name = _clean_zh(zh.partner_name_zh) if zh else ""
    if zh:
        seen = {zh_base(zh.partner_name_zh, tie.country)}
        for c in tie.claims:
            if c.partner_name_zh and zh_base(c.partner_name_zh, tie.country) not in seen:
                seen.add(zh_base(c.partner_name_zh, tie.country))
                conflicts.append(Conflict(label, "partner_name_zh", zh_name, zh.source, c.partner_name_zh,
                                          c.source, f"kept the {CLASS_LABEL[zh.source_class]}'s Chinese name"))
    levels = [(c, c.partner_level or zh_split(c.partner_name_zh, tie.country)[1]) for c in tie.claims]
    stated = [(c, lv) for c, lv in levels if lv in ("state", "city", "county")]
    level = ""
    if stated:
        best = sorted(stated, key=lambda x: (x[0].rank, x[0].origin))[0]
        level = best[1]
        for c, lv in stated:
            if lv != level and (lv, level) != ("county", "state"):
                conflicts.append(Conflict(label, "partner_level", level, best[0].source, lv, c.source,
                                          f"kept the {CLASS_LABEL[best[0].source_class]}'s level"))
                break
    return (en.partner_name_en if en else ""), zh_name, level


def _clean_zh(name: str) -> str:
    from geo.build.partners import zh_norm

    return re.sub(r"（.*?）|\(.*?\)", "", zh_norm(name) if re.search(r"[\u3040-\u30ff々]|県", name) else name).strip()
