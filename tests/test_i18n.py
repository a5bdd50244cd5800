"""The interface catalogues: the same keys and placeholders in both languages, every key the code uses exists,
no English words in the Chinese catalogue, and the prose pages exist in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo import i18n
from geo.affinity import AFFINITIES
from geo.regions import LEVEL_CLASSES, MACRO_REGIONS
from geo.schema import CN_LEVELS, PARTNER_LEVELS, STATUSES, TIE_TYPES

ROOT = Path(__file__).resolve().parent.parent
ZH, EN = i18n.catalogue("zh"), i18n.catalogue("en")
# A call that takes a catalogue key as its first argument, with the key written out.
CALL = re.compile(r"""\b(?:t|say|warn|info|error|caption|markdown|has|field)\(\s*(["'])([a-z][a-z0-9_]*)\1""")
# Keys made at run time from a prefix and a coded value: every value of the domain must have its key.
FAMILIES: dict[str, tuple[str, ...]] = {
    "affinity": AFFINITIES, "macro": MACRO_REGIONS, "level": LEVEL_CLASSES,
    "lvl": tuple(dict.fromkeys(CN_LEVELS + PARTNER_LEVELS)), "tie": TIE_TYPES, "status": STATUSES,
    "color": ("era", "level", "affinity"), "mode": ("arcs", "flow"), "split": ("era", "continent", "level", "bri"),
    "rank": ("countries", "provinces", "cities", "coverage"),
    "report_status": ("imported", "merged", "unplaced", "rejected"),
    "import_kind": ("csv", "json"), "import_help": ("csv", "json"), "city_side": ("cn", "partner"),
}
# Words that may stand in Chinese text: names and formats with no Chinese form.
LATIN_ALLOWED = {"SVG", "PDF", "GIF", "MP4", "PPTX",
                 "CSV", "Excel", "PNG", "HTML", "JSON", "UTF", "GBK", "GB18030", "MB", "dpi", "A4", "ISO3", "CC",
                 "BY", "SA", "GeoNames", "Natural", "Earth", "data", "lists", "Language", "lang"}


def code_files() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")), *sorted((ROOT / "geo").rglob("*.py"))]
    return [f for f in files if "build" not in f.relative_to(ROOT).parts]


def test_same_keys_in_both_languages() -> None:
    assert sorted(set(ZH) - set(EN)) == [] and sorted(set(EN) - set(ZH)) == []


@pytest.mark.parametrize("key", sorted(ZH))
def test_same_placeholders(key: str) -> None:
    assert i18n.placeholders(ZH[key]) == i18n.placeholders(EN[key]), key


def test_every_key_written_in_the_code_exists() -> None:
    used = {m.group(2) for f in code_files() for m in CALL.finditer(f.read_text(encoding="utf-8"))}
    assert len(used) > 150, "the scan found the calls"
    assert sorted(k for k in used if k not in ZH) == []


def test_every_key_made_at_run_time_exists() -> None:
    made = [f"{prefix}_{value}" for prefix, values in FAMILIES.items() for value in values]
    from app import PAGES
    from geo.choices import FIELD_LABEL
    from geo.export.tables import EXPORT_COLUMNS
    from pages.ui.sidebar import CONTROLS

    made += [f"page_{p.url}" for p in PAGES] + list(FIELD_LABEL.values()) + [key for _, key, _ in EXPORT_COLUMNS]
    made += [c.label for c in CONTROLS] + [f"{c.label}_help" for c in CONTROLS if c.typed]
    assert sorted(k for k in made if k not in ZH) == []


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        i18n.t("no_such_key", "zh")


@pytest.mark.parametrize("key", sorted(ZH))
def test_no_english_words_in_the_chinese_catalogue(key: str) -> None:
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]+", re.sub(r"\{[a-z_]+\}", "", ZH[key])))
    assert words <= LATIN_ALLOWED, (key, sorted(words - LATIN_ALLOWED))


def test_full_width_colon_in_chinese_fields() -> None:
    assert i18n.field("level", "城市级", "zh") == "级别：城市级"
    assert i18n.field("level", "City–city", "en") == "Level: City–city"


def test_prose_pages_exist_in_both_languages() -> None:
    names = {p.stem for p in (i18n.LOCALE_DIR / "zh").glob("*.md")}
    assert names and names == {p.stem for p in (i18n.LOCALE_DIR / "en").glob("*.md")}
    for name in names:
        assert i18n.prose(name, "zh").strip() and i18n.prose(name, "en").strip()
        assert not set(re.findall(r"[A-Za-z]{3,}", i18n.prose(name, "zh"))) - LATIN_ALLOWED, name


def test_era_labels() -> None:
    era = {"era_id": "V", "label_zh": "新时代", "label_en": "New era", "start_year": "2013", "end_year": ""}
    assert i18n.era_label(era, "zh") == "V 新时代（2013–至今）"
    assert i18n.era_label(era, "en") == "V New era (2013–now)"
    assert i18n.era_labels([era], "en", years=False) == {"V": "V New era", "unknown": "Year unknown"}


def test_english_counts_one_in_the_singular() -> None:
    t = i18n.t
    assert t("flow_tooltip", "en", a="Jiangsu", b="Kazakhstan", n="1") == "Jiangsu → Kazakhstan: 1 pairing"
    assert t("legend_width_item", "en", n="1") == "1 pairing"
    for n in ("21", "1,001", "0", "11"):
        assert t("legend_width_item", "en", n=n) == f"{n} pairings"
    assert t("legend_width_item", "zh", n="1") == i18n.catalogue("zh")["legend_width_item"].format(n="1")
    # The browser fills the playback counts itself with the same nouns.
    assert i18n.singular_nouns("en")["pairings"] == "pairing" and i18n.singular_nouns("zh") == {}
