"""The growth animation: one frame per year from 1973, the year and counts written in the interface language,
year-unknown pairings left out and counted; a GIF and an MP4 that decode to those frames."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo.export import animation
from geo.filters import Filters, apply
from geo.load import Atlas, load_atlas

ARTIFACTS = Path(__file__).resolve().parent / "browser" / "artifacts"


@pytest.fixture
def atlas(data_dir: Path) -> Atlas:
    return load_atlas(data_dir)


def test_growth_years_and_unknown_count(atlas: Atlas) -> None:
    f = Filters(lang="en")
    g = animation.growth(apply(atlas.pairings, f), f)
    # Fixture: 1973, 1979, 1981, 2014, 2015 dated; P3 (Hekou–Lao Cai) has no year.
    assert g.years[0] == 1973 and g.years[-1] == 2015 and len(g.years) == 2015 - 1973 + 1
    assert g.unknown == 1 and sorted(g.dated["year"]) == [1973, 1979, 1981, 2014, 2015]
    later = Filters(lang="en", year_min=1980)
    assert animation.growth(apply(atlas.pairings, later), later).years[0] == 1980


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_frames_state_the_year_and_counts_in_the_language(atlas: Atlas, lang: str) -> None:
    shots = list(animation.frames(atlas, Filters(lang=lang), size=(640, 360), dpi=50))
    assert [s.year for s in shots] == list(range(1973, 2016))
    assert all(s.rgb.shape == (360, 640, 3) for s in shots)
    first, y1979, last = shots[0], shots[1979 - 1973], shots[-1]
    assert first.words[0] == "1973" and last.words[0] == "2015"
    if lang == "zh":
        assert "截至 1973 年：1 对" in first.words[1] and "当年新增 1 对" in first.words[1]
        assert "截至 2015 年：5 对" in last.words[1]
        assert first.words[2] == "另有 1 对年份不详，未计入"
    else:
        assert "Pairings by 1979: 2" in y1979.words[1] and "1 new" in y1979.words[1]
        assert last.words[2] == "Left out: 1 pairing of unknown year"
    # A year with a new pairing changes the picture; a year without only changes the year and count.
    assert np.abs(shots[1].rgb.astype(int) - shots[0].rgb).sum() > 0


def test_gif_decodes_to_one_frame_per_year_and_holds_the_last(atlas: Atlas) -> None:
    data = animation.growth_gif(atlas, Filters(lang="zh"))
    gif = Image.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.size == animation.GIF_SIZE and gif.n_frames == 2015 - 1973 + 1
    assert gif.info.get("loop") == 0
    gif.seek(gif.n_frames - 1)
    assert gif.info["duration"] == animation.HOLD_MS
    # The frames stored as differences decode to the frames drawn.
    drawn = [f.rgb for f in animation.frames(atlas, Filters(lang="zh"))]
    for n in (0, 6, gif.n_frames - 1):
        gif.seek(n)
        decoded = np.asarray(gif.convert("RGB"), dtype=int)
        assert (np.abs(decoded - drawn[n]).sum(axis=2) > 60).mean() < 0.005, n


def test_mp4_is_h264_full_hd_with_every_year(atlas: Atlas, tmp_path: Path) -> None:
    import imageio_ffmpeg

    data = animation.growth_mp4(atlas, Filters(lang="en"))
    assert data[4:8] == b"ftyp"
    path = tmp_path / "growth.mp4"
    path.write_bytes(data)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = reader.__next__()
    assert tuple(meta["size"]) == animation.MP4_SIZE and meta["codec"].startswith("h264")
    n_frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    years = 2015 - 1973 + 1
    assert n_frames == years * round(animation.YEAR_MS / 1000 * animation.MP4_FPS) + \
        round(animation.HOLD_MS / 1000 * animation.MP4_FPS)
    reader.close()


def test_full_dataset_gif_is_a_few_megabytes() -> None:
    atlas = load_atlas()
    f = Filters(lang="zh")
    data = animation.growth_gif(atlas, f)
    gif = Image.open(io.BytesIO(data))
    last_year = int(apply(atlas.pairings, f)["year"].max())
    assert gif.n_frames == last_year - 1973 + 1
    assert len(data) < 6_000_000, f"{len(data):,} bytes"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "growth_zh.gif").write_bytes(data)
    gif.seek(gif.n_frames - 1)
    gif.convert("RGB").save(ARTIFACTS / "growth_zh_last_frame.png")


def test_names_on_a_frame_are_ranked_as_the_map_ranks_them() -> None:
    from geo import labels

    atlas = load_atlas()
    df = apply(atlas.pairings, Filters(lang="zh"))
    placed = df[df["placed"] & df["year"].notna()].assign(year=lambda d: d["year"].astype(int))
    places = animation._Places(placed, "zh")
    for year in (1975, 1999, int(placed["year"].max())):
        ours = places.by_year(year).head(20)[["place_id", "label", "pairings"]]
        theirs = labels.ranked_places(placed[placed["year"] <= year], "zh").head(20)[["place_id", "label",
                                                                                        "pairings"]]
        assert ours.values.tolist() == theirs.values.tolist(), year
