"""The speed benchmark's realistic corpus: the Reuters-21578 reader and the seeded generator (on fixtures)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from benchmarks import _reuters, speed

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = ("aljazeera-helicopter", "aljazeera-moonshot", "ap-sondland")


@pytest.fixture(scope="module")
def records() -> list[_reuters.Record]:
    return _reuters.read(FIXTURES / "reuters")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder shaped like ../shared/data: the Reuters fixture and three scrapinghub pages."""
    root = tmp_path_factory.mktemp("data")
    shutil.copytree(FIXTURES / "reuters", root / "reuters21578")
    (root / "scrapinghub" / "html").mkdir(parents=True)
    truth = {}
    for name in PAGES:
        shutil.copy(FIXTURES / "pages" / f"{name}.html.gz", root / "scrapinghub" / "html" / f"{name}.html.gz")
        gold = (FIXTURES / "pages" / f"{name}.gold.txt").read_text(encoding="utf-8")
        truth[name] = {"articleBody": gold, "url": f"https://{name.split('-')[0]}.example/{name}"}
    (root / "scrapinghub" / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return root


def test_reader_decodes_entities_and_keeps_the_wire_shape(records: list[_reuters.Record]) -> None:
    assert len(records) == 8  # nine records, one without a body
    bp = next(r for r in records if r.newid == 2)
    assert bp.title == "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT"
    assert bp.date == "1987-02-26" and bp.dateline == "CLEVELAND, Feb 26 -"
    assert "Plc <BP>, which also owns" in bp.body  # &lt; decoded
    assert bp.body.split("\n")[3].startswith("    BP North America")  # indented paragraph start, hard wraps kept
    assert bp.sign_off == "Reuter" and not bp.body.rstrip().endswith("Reuter")
    for record in records:
        assert not any(ord(c) < 32 and c not in "\n\t" for c in record.body)  # &#3; and friends dropped
        assert max(len(line) for line in record.body.split("\n")) <= 80


def test_sign_off_on_the_last_body_line(records: list[_reuters.Record]) -> None:
    grain = next(r for r in records if r.newid == 6)
    assert grain.sign_off == "REUTER"
    assert grain.body.endswith("(33.7).")


def test_blocks_and_table_rows(records: list[_reuters.Record]) -> None:
    earn = next(r for r in records if "earn" in r.topics)
    rows = [block for block in _reuters.blocks(earn.body) if _reuters.is_table_row(block)]
    assert len(rows) >= 2 and all(len(block) == 1 for block in rows)
    bp = _reuters.blocks(next(r for r in records if r.newid == 2).body)
    assert len(bp) == 3 and not any(_reuters.is_table_row(block) for block in bp)
    assert "\n".join("\n".join(block) for block in bp) == next(r for r in records if r.newid == 2).body


def test_realistic_corpus_is_seeded_and_plants_its_reprints(data: Path, tmp_path: Path) -> None:
    truth = speed.generate_realistic(tmp_path / "a", n=60, reprint_rate=0.1, seed=3, data=data)
    again = speed.generate_realistic(tmp_path / "b", n=60, reprint_rate=0.1, seed=3, data=data)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.txt"))
    assert len(files) == 60 and truth["pairs"] == again["pairs"]
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert len(truth["pairs"]) == 6
    assert {doc["shape"] for doc in truth["docs"].values()} == {"wrapped", "reflowed", "dump"}
    for reprint, source, _kind in truth["pairs"]:
        a = set(speed._shingles((tmp_path / "a" / reprint).read_text(encoding="utf-8")))
        b = set(speed._shingles((tmp_path / "a" / source).read_text(encoding="utf-8")))
        assert len(a & b) / min(len(a), len(b)) > 0.3


def test_shapes_look_like_their_sources(data: Path, tmp_path: Path) -> None:
    truth = speed.generate_realistic(tmp_path, n=60, reprint_rate=0.1, seed=4, data=data)
    for name, doc in truth["docs"].items():
        text = (tmp_path / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        if doc["shape"] == "wrapped":
            assert lines[0].startswith("date 1987-") and max(map(len, lines[3:])) <= 100
            assert any(line.startswith("    ") for line in lines[3:])
        elif doc["shape"] == "reflowed":
            assert not any(line.startswith(" ") for line in lines)
        else:
            assert not lines[0].startswith("date ") and len(lines) > 20  # the host page's chrome around it


def test_cleaning_paths_of_a_wrapped_a_prose_and_a_dumped_article() -> None:
    from dedup.clean.text import PAGE_DUMP, WHOLE

    from .conftest import SEED_001

    path = speed.cleaning_path_function()
    assert path is not None  # the cleaner offers its decision (dedup.clean.cleaning_path)
    sentence = "The company said it would sell the unit to its partner next year."
    prose = "A TITLE\n\n" + "\n\n".join(sentence for _ in range(4))
    wrapped = "A TITLE\n\n    The company said it would sell\nthe unit to its partner\nnext year, it said.\n"
    assert path(prose) == path(wrapped) == WHOLE  # hard wraps are unwrapped, not taken for chrome
    assert path(SEED_001.read_text(encoding="utf-8")) == PAGE_DUMP


def test_score_leaves_unusable_articles_out_and_counts_merges_of_one_body_apart() -> None:
    docs = {name: {"shape": shape, "bodies": bodies} for name, shape, bodies in [
        ("wire/a", "wrapped", [1, 2]), ("wire/b", "reflowed", [2, 3]), ("wire/c", "wrapped", [1, 2]),
        ("site/d", "dump", [5]), ("site/e", "dump", [6]), ("wire/f", "wrapped", [7]), ("wire/g", "wrapped", [8])]}
    truth = {"pairs": [("wire/c", "wire/a", "cut"), ("wire/g", "wire/f", "edit")], "docs": docs}
    # a-c planted and found; a-b built from body 2; d-e two dumps of one site merged; f and g both unusable
    clusters = {"wire/a": 0, "wire/b": 0, "wire/c": 0, "site/d": 1, "site/e": 1, "wire/f": None, "wire/g": None}
    result = speed.score(clusters, truth)
    assert (result["found"], result["planted"]) == (1, 2)
    assert result["merged_pairs"] == 4
    assert result["shared_body_pairs"] == 2  # a-b and b-c (c is a's reprint, built from a's bodies)
    assert result["wrong_pairs"] == 1
    assert result["wrong_by_shape"] == {"dumps of one site": 1}
    assert result["missed_by_shape"] == {"wire and wire": 1}


def test_a_story_filed_twice_is_one_body(records: list[_reuters.Record]) -> None:
    """Reuters-21578 files some stories twice under two ids: articles built from the two copies share a body."""
    usable, _by_topic = speed._wire_pools(records)
    refiled = dataclasses.replace(usable[0], newid=10**6, body=usable[0].body.replace("\n", "\n  "))
    ids = speed._same_body([*usable, refiled])
    assert ids[-1] == 0
    assert ids[:-1] == list(range(len(usable)))  # the fixture's own stories are all different
