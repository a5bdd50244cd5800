"""Shared fixtures: a tiny dataset written by the tests, so they do not depend on the real data's size."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from geo import paths
from geo.schema import PAIRING_COLUMNS


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> None:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def pairing(pid: str, cn: tuple[str, str, str, str, str], partner: tuple[str, str, str, str, str],
            established: str = "", tie: str = "formal") -> dict[str, str]:
    cn_zh, cn_en, prov, level, cn_place = cn
    p_en, p_zh, iso3, p_level, p_place = partner
    prov_zh = {"Tianjin": "天津市", "Jiangsu": "江苏省", "Yunnan": "云南省", "Guangdong": "广东省"}.get(prov, "")
    return {"pair_id": pid, "cn_name_zh": cn_zh, "cn_name_en": cn_en, "cn_province_zh": prov_zh,
            "cn_province_en": prov, "cn_level": level, "cn_place_id": cn_place, "partner_name_en": p_en,
            "partner_name_zh": p_zh, "partner_country_iso3": iso3, "partner_level": p_level,
            "partner_place_id": p_place, "established": established,
            "date_source": "test outlet" if established else "", "date_note": "", "tie_type": tie,
            "source": "test source", "note": ""}


TIANJIN = ("天津市", "Tianjin", "Tianjin", "province", "cnprov:Tianjin")
NANJING = ("南京市", "Nanjing", "Jiangsu", "prefecture", "gn:1")
HEKOU = ("河口瑶族自治县", "Hekou", "Yunnan", "county", "gn:2")
GUANGZHOU = ("广州市", "Guangzhou", "Guangdong", "prefecture", "gn:3")

FIXTURE_PAIRINGS = [
    pairing("P1", TIANJIN, ("Kobe", "神户市", "JPN", "city", "gn:10"), "1973-06-24"),
    pairing("P2", NANJING, ("St. Louis", "圣路易斯市", "USA", "city", "gn:11"), "1979-11"),
    pairing("P3", HEKOU, ("Lào Cai", "老街市", "VNM", "city", "gn:12")),
    pairing("P4", GUANGZHOU, ("Los Angeles", "洛杉矶市", "USA", "city", "gn:13"), "1981"),
    pairing("P5", NANJING, ("Nowhere", "", "KAZ", "city", ""), "2014", tie="exchange"),
    pairing("P6", GUANGZHOU, ("Kuala Lumpur", "吉隆坡", "MYS", "city", "gn:14"), "2015-12-01"),
]
FIXTURE_PLACES = [
    {"place_id": "cnprov:Tianjin", "side": "cn", "name_en": "Tianjin", "name_zh": "天津市", "country_iso3": "CHN",
     "province_en": "Tianjin", "lat": "39.14", "lon": "117.18", "precision": "province_capital", "geonames_id": "",
     "note": ""},
    {"place_id": "gn:1", "side": "cn", "name_en": "Nanjing", "name_zh": "南京市", "country_iso3": "CHN",
     "province_en": "Jiangsu", "lat": "32.06", "lon": "118.78", "precision": "city", "geonames_id": "1", "note": ""},
    {"place_id": "gn:2", "side": "cn", "name_en": "Hekou", "name_zh": "河口", "country_iso3": "CHN",
     "province_en": "Yunnan", "lat": "22.51", "lon": "103.96", "precision": "city", "geonames_id": "2", "note": ""},
    {"place_id": "gn:3", "side": "cn", "name_en": "Guangzhou", "name_zh": "广州市", "country_iso3": "CHN",
     "province_en": "Guangdong", "lat": "23.13", "lon": "113.26", "precision": "city", "geonames_id": "3", "note": ""},
    {"place_id": "gn:10", "side": "partner", "name_en": "Kobe", "name_zh": "神户市", "country_iso3": "JPN",
     "province_en": "", "lat": "34.69", "lon": "135.18", "precision": "city", "geonames_id": "10", "note": ""},
    {"place_id": "gn:11", "side": "partner", "name_en": "St. Louis", "name_zh": "", "country_iso3": "USA",
     "province_en": "", "lat": "38.63", "lon": "-90.20", "precision": "city", "geonames_id": "11", "note": ""},
    {"place_id": "gn:12", "side": "partner", "name_en": "Lao Cai", "name_zh": "", "country_iso3": "VNM",
     "province_en": "", "lat": "22.48", "lon": "103.97", "precision": "city", "geonames_id": "12", "note": ""},
    {"place_id": "gn:13", "side": "partner", "name_en": "Los Angeles", "name_zh": "", "country_iso3": "USA",
     "province_en": "", "lat": "34.05", "lon": "-118.24", "precision": "city", "geonames_id": "13", "note": ""},
    {"place_id": "gn:14", "side": "partner", "name_en": "Kuala Lumpur", "name_zh": "", "country_iso3": "MYS",
     "province_en": "", "lat": "3.14", "lon": "101.69", "precision": "city", "geonames_id": "14", "note": ""},
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A complete, valid data folder with six pairings (one unplaced, one undated, one exchange tie)."""
    for src in (paths.COUNTRIES, paths.PROVINCES, paths.ERAS, paths.BRI_COUNTRIES, paths.OFFICIAL_TOTALS,
                paths.AFFINITY_RULES):
        shutil.copy(src, tmp_path / src.name)
    write_csv(tmp_path / "pairings.csv", FIXTURE_PAIRINGS, PAIRING_COLUMNS)
    write_csv(tmp_path / "places.csv", FIXTURE_PLACES)
    return tmp_path


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """List the screenshots and exported images this run wrote, so they can be found from the test output."""
    artifacts = Path(__file__).resolve().parent / "browser" / "artifacts"
    files = sorted(artifacts.glob("*.png")) if artifacts.exists() else []
    if files:
        terminalreporter.write_sep("-", f"{len(files)} screenshots and exported images in {artifacts}")
        for f in files:
            terminalreporter.write_line(f"  {f.name}  ({f.stat().st_size:,} bytes)")
