"""Read every input table in data/raw/ into one shape: a `Claim`, one source's statement that a tie exists.

Each reader keeps what its source says and no more: a Chinese list gives Chinese names only, English Wikipedia gives
English names only, a partner-side page gives the partner's own view. Matching the claims to ties and choosing
between them is `geo.build.merge`'s job; this module only reads, classifies the source and parses dates.

Precedence of source classes (lower rank wins a disagreement), written down once here and in data/SOURCES.md:
official list (a government or the national association) > Chinese-side list (Chinese Wikipedia's lists, compiled
from the foreign-affairs offices) > partner-side page (CLAIR, a partner government) > news report > the book >
other pages > English Wikipedia's twin-town lists.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from geo import paths
from geo.build.countries import iso3_for_country_name

SOURCE_CLASSES = ("official", "cn_list", "partner_side", "news", "book", "other", "enwiki")
RANK = {c: i for i, c in enumerate(SOURCE_CLASSES)}
CLASS_LABEL = {
    "official": "official list", "cn_list": "Chinese-side list", "partner_side": "partner-side page",
    "news": "news report", "book": "the book", "other": "other page", "enwiki": "English Wikipedia",
}
WIKI_EN = "English Wikipedia, 'List of twin towns and sister cities in …' pages (scraped 2026-02)"
ZHWIKI_OLD = ("Chinese Wikipedia (older revision, stored in the public mirror repository "
              "chinapedia/wikipedia.zh.mediawiki)")
RESEARCH_COLUMNS = [
    "cn_name_zh", "cn_name_en", "cn_province_en", "cn_level", "partner_name_zh", "partner_name_en",
    "partner_country_iso3", "partner_level", "partner_admin1_en", "date", "date_kind", "tie_type", "status",
    "status_date", "source_url", "source_outlet", "evidence", "note",
]


@dataclass
class Claim:
    """One source's statement about one tie. Empty strings mean the source does not say."""

    origin: str  # input file and row, e.g. "pairs_zhwiki_old.csv:12"
    source: str  # outlet (and address) as it will be cited
    source_class: str
    cn_name_zh: str = ""
    cn_name_en: str = ""
    cn_province_en: str = ""
    cn_level: str = ""
    partner_name_zh: str = ""
    partner_name_en: str = ""
    partner_country_iso3: str = ""
    partner_level: str = ""  # state | city | county | "" (not said)
    partner_admin1_en: str = ""
    date: str = ""
    date_kind: str = "signed"  # signed | approved | announced | unknown
    date_problem: str = ""  # why the date must not be used (kept visible in the conflicts report)
    tie_type: str = ""  # formal | exchange | approved | intent | "" (not said)
    tie_basis: str = ""
    status: str = ""
    status_date: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return RANK[self.source_class]


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in csv.DictReader(fh)]


# --- source classes ------------------------------------------------------------------------------------------

def load_class_rules(path: Path = paths.RAW / "source_classes.csv") -> list[tuple[re.Pattern[str], str]]:
    """The curated outlet -> class table: first matching pattern wins."""
    rules = []
    for row in read_csv(path):
        if row["class"] not in RANK:
            raise ValueError(f"{path.name}: class {row['class']!r} is not one of {', '.join(SOURCE_CLASSES)}")
        rules.append((re.compile(row["pattern"], re.IGNORECASE), row["class"]))
    return rules


def classify(outlet: str, rules: list[tuple[re.Pattern[str], str]]) -> str:
    # A bracketed remark names other pages ('[CONFLICT: zh.wikipedia … gives …]'): it says nothing of this outlet.
    outlet = re.sub(r"\[[^\]]*\]", "", outlet)
    # Where a copy was read, the class is the original outlet's ('VOA Khmer (copy on a blog)' is news).
    outlet = re.sub(r"\((?:[\w-]+ )?cop(?:y|ied) on [^)]*\)", "", outlet)
    for pattern, cls in rules:
        if pattern.search(outlet):
            return cls
    return "other"


# --- dates ---------------------------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"(?P<y>(19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d|\.\.)"),
    re.compile(r"(?P<y>(19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>(19|20)\d\d)"),
]


def parse_raw_date(text: str) -> str:
    """'1980/10/20', '1979.02.21', '1980年6月10日' -> ISO; a day range '2002-09-26..28' keeps the month."""
    # What follows a parenthesis is a remark ('1982 (30th anniversary 2012-10-19)'), not the date.
    text = re.split(r"[(（]", text)[0].strip()
    if not text:
        return ""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            parts = [m.group("y")] + [f"{int(m.group(k)):02d}" for k in ("m", "d") if k in m.groupdict()]
            return "-".join(parts)
    return ""


# --- readers -------------------------------------------------------------------------------------------------

def candidate_claims(rules: list[tuple[re.Pattern[str], str]]) -> list[Claim]:
    """English Wikipedia's lists (and the few dated rows the candidate table took from other pages)."""
    out = []
    for n, r in enumerate(read_csv(paths.RAW_CANDIDATES), start=2):
        extra = r["source"].replace("English Wikipedia twin-town lists (scraped 2026-02)", "").strip("; ")
        # The table's own existence claim is English Wikipedia's; a date it carries came from the other page.
        c = Claim(f"{paths.RAW_CANDIDATES.name}:{n}", WIKI_EN, "enwiki", r["cn_name_zh"], r["cn_name_en"],
                  r["cn_province_en"], r["cn_level"], "", r["partner_name_en"],
                  iso3_for_country_name(r["partner_country_en"]) or "", r["partner_level"])
        if extra and "English Wikipedia twin-town lists" not in r["source"]:
            c.source, c.source_class = extra, classify(extra, rules)
        if r["date"]:
            if extra:
                dated = Claim(**{**c.__dict__, "notes": []})
                dated.source, dated.source_class = extra, classify(extra, rules)
                dated.date = r["date"]
                dated.origin += " (date)"
                out.append(dated)
            else:
                c.date = r["date"]
        out.append(c)
    return out


_NOT_CHINESE = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3040-\u30ff]")


def chinese_only(name: str) -> str:
    """A partner's own-language name (Hangul, kana) or a Latin one is not a Chinese name: ''."""
    if not name or _NOT_CHINESE.search(name) or not re.search(r"[\u4e00-\u9fff]", name):
        return ""
    return name


def _tie_from_text(tie: str) -> str:
    return tie if tie in ("formal", "exchange", "approved", "intent") else ""


def research_style_claims(path: Path, rules: list[tuple[re.Pattern[str], str]]) -> list[Claim]:
    """pairs_dated_research.csv and dates_extra.csv: one dated row per page, with outlet and address."""
    out = []
    for n, r in enumerate(read_csv(path), start=2):
        outlet = r["source_outlet"] + (f" ({r['source_url']})" if r.get("source_url") else "")
        c = Claim(f"{path.name}:{n}", outlet, classify(r["source_outlet"], rules), r["cn_name_zh"], r["cn_name_en"],
                  r["cn_province_en"], "", chinese_only(r.get("partner_name_zh", "")), r["partner_name_en"],
                  iso3_for_country_name(r["partner_country_en"]) or "", "", date=r["date"],
                  tie_type=_tie_from_text(r["tie_type"]))
        if c.tie_type:
            c.tie_basis = f"{r['tie_type']} per {r['source_outlet']}"
        if "批准" in outlet or "approval" in outlet.lower():
            c.date_kind = "approved"
        if r.get("note"):
            c.notes.append(r["note"])
        ended = re.search(r"terminated(?: by [\w ]+?)? in (\w+ \d{4}|\d{4}(?:-\d\d)?)",
                          outlet + " " + r.get("note", ""))
        if ended:
            c.status, c.status_date = "terminated", _month_year(ended.group(1))
        out.append(c)
    return out


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"), start=1)}


def _month_year(text: str) -> str:
    """'Oct 2019' -> '2019-10'; '2019' stays."""
    m = re.match(r"([A-Za-z]{3})[a-z]* (\d{4})", text)
    if m and m.group(1).lower() in _MONTHS:
        return f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}"
    return parse_raw_date(text)


def research_claims(path: Path, rules: list[tuple[re.Pattern[str], str]]) -> list[Claim]:
    """A verified research table in the schema of the research helpers' README (one source per row)."""
    rows = read_csv(path)
    if rows:
        missing = [col for col in RESEARCH_COLUMNS if col not in rows[0]]
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
    out = []
    for n, r in enumerate(rows, start=2):
        outlet = r["source_outlet"] + (f" ({r['source_url']})" if r["source_url"] else "")
        if not r["source_outlet"]:
            raise ValueError(f"{path.name}, row {n}: no source_outlet")
        checked = r.get("checked", "")
        if checked.startswith(("second reader did not find", "lead only")):
            # The second, independent reading of the same page did not find this tie, or the page names the tie
            # without saying what it is (a list mixing sister and cooperation cities): not evidence enough.
            continue
        c = Claim(f"{path.name}:{n}", outlet, classify(r["source_outlet"], rules), r["cn_name_zh"], r["cn_name_en"],
                  r["cn_province_en"], r["cn_level"], chinese_only(r["partner_name_zh"]), r["partner_name_en"],
                  r["partner_country_iso3"], r["partner_level"], r["partner_admin1_en"],
                  date=r["date"], date_kind=r["date_kind"] or "unknown", tie_type=_tie_from_text(r["tie_type"]),
                  status=r["status"], status_date=r["status_date"])
        if c.tie_type:
            c.tie_basis = f"{r['tie_type']} per {r['source_outlet']}" + (f": {r['evidence']}" if r["evidence"] else "")
        if c.date_kind == "announced":
            c.date_problem = "announced in advance, not confirmed as signed"
        if r["note"]:
            c.notes.append(r["note"])
        if checked == "single reading":
            c.notes.append(f"{outlet}: read once, not yet checked by a second reader")
        out.append(c)
    return out


_PROVINCE_ZH_FIX = {"宁夏区": "宁夏回族自治区", "内蒙古": "内蒙古自治区"}


def zhwiki_claims(path: Path, provinces_by_zh: dict[str, str]) -> list[Claim]:
    """pairs_zhwiki_old*.csv: Chinese names only; status, type and page errors are in `note`."""
    out = []
    for n, r in enumerate(read_csv(path), start=2):
        prov_zh = _PROVINCE_ZH_FIX.get(r["cn_province_zh"], r["cn_province_zh"])
        # The pages spell some provinces their own way (新疆维吾尔族自治区); the first two characters are unique.
        province = provinces_by_zh.get(prov_zh) or next(
            (en for zh, en in provinces_by_zh.items() if prov_zh and zh[:2] == prov_zh[:2]), "")
        page = r["source_page"].split("@")[0]
        c = Claim(f"{path.name}:{n}", f"{ZHWIKI_OLD}, page {page}", "cn_list",
                  cn_name_zh=_PROVINCE_ZH_FIX.get(r["cn_name_zh"], r["cn_name_zh"]), cn_province_en=province,
                  partner_name_zh=r["partner_name_zh"], partner_country_iso3=r["partner_country_iso3"],
                  date=r["established"], tie_type="formal")
        table = r.get("table", "")
        c.tie_basis = f"listed as a friendship city on Chinese Wikipedia's list ({page})"
        note = r["note"]
        if note.startswith("SUSPECT_DATES"):
            c.date_problem = "the page's Jiujiang dates repeat Nanchang's (SUSPECT_DATES): not used"
        if note.startswith("EXCHANGE") or "交流" in table or "合作" in table:
            c.tie_type = "exchange"
            where = f"{page}, {table}" if table else page
            c.tie_basis = f"listed as a friendly-exchange tie on Chinese Wikipedia's list ({where})"
        if note.startswith("approved by CPAFFC"):
            c.tie_type = "approved"
            c.tie_basis = ("approved by the national association, agreement not yet signed, per Chinese Wikipedia "
                           f"({page})")
        if note.startswith("TERMINATED"):
            c.status, c.status_date = "terminated", parse_raw_date(note)
        if note.startswith("SUSPENDED"):
            c.status = "suspended"
        if note and not note.startswith(("SUSPECT_DATES", "EXCHANGE", "TERMINATED", "SUSPENDED")):
            c.notes.append(f"Chinese Wikipedia page: {note}")
        if table and "区县" in table:
            c.cn_level = "district"
        out.append(c)
    return out


def _strip_paren(text: str) -> str:
    return re.sub(r"\s*[（(].*?[)）]\s*", "", text).strip()


_EXCHANGE_WORDS = re.compile(r"not a sister|exchange-level|交流|協力都市|cooperation|Partnership|MOU|備忘|経済|"
                             r"not 자매|委員会協定", re.IGNORECASE)


def matched_list_claims(path: Path, rules: list[tuple[re.Pattern[str], str]], default_class: str) -> list[Claim]:
    """pairs_partner_side_dated.csv and pairs_hangzhou_zhwiki_excerpt.csv: names as written plus the English
    match, `date_raw` as the page gives it, and a note on what the date is."""
    out = []
    for n, r in enumerate(read_csv(path), start=2):
        note, raw = r["note"], r["date_raw"]
        source = r["source"] or ""
        cls = default_class if default_class != "partner_side" else classify(source, rules)
        if cls == "other":
            cls = default_class
        partner_zh = _strip_paren(r["partner_name"])
        if re.search(r"[\uac00-\ud7af]", partner_zh) or re.search(r"[\u3040-\u30ff]", partner_zh) or \
                not re.search(r"[\u4e00-\u9fff]", partner_zh):
            partner_zh = ""  # Hangul, kana or Latin: not a Chinese name
        c = Claim(f"{path.name}:{n}", source or path.name, cls, cn_name_en=r["cn_match"],
                  partner_name_zh=partner_zh, partner_name_en=r["partner_match"],
                  partner_country_iso3=r["partner_country"], date=parse_raw_date(raw))
        if re.search(r"\(state\)|[県府]\s*(\(|$)|^[^(]*道\s*(\(|$)|Prefecture|Province|-do$", r["partner_name"]):
            c.partner_level = "state"
        c.tie_type = "exchange" if _EXCHANGE_WORDS.search(note) else ("formal" if default_class == "cn_list" else "")
        if c.tie_type:
            c.tie_basis = f"{c.tie_type} per {source.split(' http')[0]}: {note}"
        if "anniversary" in note and "inferred" in note:
            c.date_problem = "year inferred from an anniversary: not used"
        if "覚書" in raw:
            c.date_problem = "date of a memorandum, not of the friendship agreement"
        if "議会議決" in note or "approved" in note:
            c.date_kind = "approved"
        if re.search(r"\.\.", raw):
            c.notes.append(f"date given as a range ({raw}); month kept")
        if "verify" in note or "inferred" in note:
            c.notes.append(f"partner-side note: {note}")
        if re.search(r"[\u4e00-\u9fff]", r["cn_name"]):
            zh = re.findall(r"[\u4e00-\u9fff]+", r["cn_name"])
            c.cn_name_zh = zh[0] if zh else ""
        out.append(c)
    return out
