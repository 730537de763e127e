"""actor_names and find_actor: names in their own script, matched across spellings, and
right-to-left text kept byte for byte on every path (CSV, loader, exports, diff, codebook)."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from release_helpers import copy_package, read_rows, set_version, write_rows

import libya_events as le
from libya_events import codebook
from libya_events.diff import RowChange, diff
from libya_events.errors import NameQueryError
from libya_events.export import export
from libya_events.names import fold, matches, tokens
from libya_events.snapshot import read_package
from libya_events.testing.package import frame_rows, render_rows
from libya_events.validate import validate

SOURCE = "tass-2020-06-20"  # a source of the shipped package
HAFTAR = "خليفة حفتر"
HAFTAR_FULL = "خليفة بلقاسم حفتر"
# Arabic with shadda and a final alef maqsura, between Latin text: the hardest case for bidi
VOCALIZED = "قيس سعيّد"
SISI_EGYPTIAN = "عبد الفتاح السيسى"
NAMES = [
    {"actor_id": "abdel-fattah-el-sisi", "name": SISI_EGYPTIAN, "language": "ar",
     "kind": "variant", "source_id": SOURCE, "notes": "Final alef maqsura."},
    {"actor_id": "khalifa-haftar", "name": "Khalifa Belqasim Haftar", "language": "en",
     "kind": "english", "source_id": SOURCE, "notes": ""},
    {"actor_id": "khalifa-haftar", "name": HAFTAR_FULL, "language": "ar", "kind": "full",
     "source_id": SOURCE, "notes": "Pages differ: بالقاسم or بلقاسم."},
    {"actor_id": "khalifa-haftar", "name": HAFTAR, "language": "ar", "kind": "native",
     "source_id": SOURCE, "notes": ""},
    {"actor_id": "mevlut-cavusoglu", "name": "Mevlüt Çavuşoğlu", "language": "tr",
     "kind": "native", "source_id": SOURCE, "notes": ""},
    {"actor_id": "sergey-lavrov", "name": "Серге́й Ви́кторович Лавро́в", "language": "ru",
     "kind": "variant", "source_id": SOURCE, "notes": "With stress marks."},
]  # fmt: skip


def sorted_names(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(rows, key=lambda r: (r["actor_id"], r["language"], r["name"]))


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """The shipped package with the names above in place of its own actor_names rows."""
    pkg = copy_package(tmp_path / "pkg")
    write_rows(pkg, "actor_names", sorted_names(NAMES))
    return pkg


# --- folding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("فائز السراج", "فايز السراج"),  # hamza on yeh
        ("أحمد المسماري", "احمد المسمارى"),  # alef with hamza; final alef maqsura
        ("إبراهيم", "ابراهيم"),  # alef with hamza below
        ("آمنة", "امنه"),  # alef with madda; teh marbuta
        ("ٱلسراج", "السراج"),  # alef wasla
        ("قَيْس سْعَيِّد", "قيس سعيد"),  # tashkeel, shadda
        ("خليفـــة حفتر", HAFTAR),  # tatweel
        ("عبد الفتاح السیسی", "عبد الفتاح السيسي"),  # Farsi yeh
        ("ﻻ", "لا"),  # lam-alef presentation form (NFKC)
        ("Mevlüt Çavuşoğlu", "MEVLUT CAVUSOGLU"),
        ("İbrahim Kalın", "ibrahim kalin"),  # dotted capital I, dotless i
        ("Серге́й Лавро́в", "сергей лавров"),  # stress marks
        ("Νίκος Δένδιας", "ΝΙΚΟΣ ΔΕΝΔΙΑΣ"),
    ],
)
def test_spellings_that_fold_together(a: str, b: str) -> None:
    assert tokens(a) == tokens(b)


def test_fold_gives_exact_text() -> None:
    assert fold("Mevlüt Çavuşoğlu") == "mevlut cavusoglu"
    assert fold("أسامة جويلى") == "اسامه جويلي"
    assert fold("Ḵalīfa Bilqāsim Ḥaftar") == "kalifa bilqasim haftar"  # Ḵ is k with a mark
    assert tokens("Fayez al-Sarraj (GNA), 5+5") == ("fayez", "al", "sarraj", "gna", "5", "5")
    assert tokens(" -- ") == ()


def test_words_match_whole_and_in_order() -> None:
    name = tokens(HAFTAR_FULL)
    assert matches(tokens("حفتر"), name)
    assert matches(tokens(HAFTAR), name)
    assert not matches(tokens("حفتر خليفة"), name)
    assert not matches(tokens("حفت"), name)
    assert not matches((), name)
    assert not matches(tokens("سراج"), tokens("فايز السراج"))  # the article is part of the word


# --- find_actor -----------------------------------------------------------------------------


def test_find_actor_in_arabic_gives_the_actor_row_and_the_closest_name(package: Path) -> None:
    ds = le.load(package)
    found = ds.find_actor("حفتر")
    assert list(found.columns) == [
        *ds.actors.columns,
        "matched_name",
        "matched_language",
        "matched_in",
    ]
    assert found[["actor_id", "name", "matched_name", "matched_language", "matched_in"]].to_dict(
        "records"
    ) == [
        {
            "actor_id": "khalifa-haftar",
            "name": "Khalifa Haftar",
            "matched_name": HAFTAR,
            "matched_language": "ar",
            "matched_in": "actor_names",
        }
    ]
    assert list(found.index) == [0]


@pytest.mark.parametrize(
    ("query", "actor_id", "matched"),
    [
        ("خليفه حفتر", "khalifa-haftar", HAFTAR),  # teh marbuta written as heh
        ("خَلِيفَة حَفْتَر", "khalifa-haftar", HAFTAR),  # vocalized
        ("خليفة بلقاسم", "khalifa-haftar", HAFTAR_FULL),
        ("Khalifa Haftar", "khalifa-haftar", "Khalifa Haftar"),
        ("belqasim", "khalifa-haftar", "Khalifa Belqasim Haftar"),
        ("السيسي", "abdel-fattah-el-sisi", SISI_EGYPTIAN),  # yeh finds alef maqsura
        ("Cavusoglu", "mevlut-cavusoglu", "Mevlut Cavusoglu"),
        ("Çavuşoğlu", "mevlut-cavusoglu", "Mevlut Cavusoglu"),
        ("Mevlüt", "mevlut-cavusoglu", "Mevlut Cavusoglu"),
        ("Викторович", "sergey-lavrov", "Серге́й Ви́кторович Лавро́в"),
        ("al-Thinni", "abdullah-al-thani", "Abdullah al-Thinni"),  # from aliases
    ],
)
def test_find_actor_folds_spellings(package: Path, query: str, actor_id: str, matched: str):
    found = le.load(package).find_actor(query)
    assert found[["actor_id", "matched_name"]].values.tolist() == [[actor_id, matched]]


def test_find_actor_says_where_it_matched(package: Path) -> None:
    ds = le.load(package)
    assert ds.find_actor("al-Thinni")[["matched_language", "matched_in"]].values.tolist() == [
        [pd.NA, "aliases"]
    ]
    found = ds.find_actor("Haftar").set_index("actor_id")["matched_in"].to_dict()
    assert found == {"khalid-haftar": "name", "khalifa-haftar": "name"}


def test_find_actor_finds_nothing_for_part_of_a_word(package: Path) -> None:
    found = le.load(package).find_actor("Haft")
    assert found.empty
    assert list(found.columns)[-3:] == ["matched_name", "matched_language", "matched_in"]


@pytest.mark.parametrize("query", ["", "  ", "--", "ّ", 5, None])
def test_find_actor_refuses_a_query_without_words(package: Path, query: object) -> None:
    with pytest.raises(NameQueryError, match=r"^invalid name "):
        le.load(package).find_actor(query)  # type: ignore[arg-type]


def test_find_actor_without_a_names_table(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "actor_names"]
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    ds = le.load(package)
    assert "actor_names" not in ds
    assert ds.find_actor("Abdullah al-Thani")["actor_id"].tolist() == ["abdullah-al-thani"]
    assert ds.find_actor("حفتر").empty


def test_the_packaged_data_finds_haftar_in_arabic() -> None:
    assert "khalifa-haftar" in le.find_actor("حفتر")["actor_id"].tolist()
    assert le.actor_names().columns.tolist() == [
        "actor_id", "name", "language", "kind", "source_id", "notes"
    ]  # fmt: skip


def test_an_actor_with_only_names_is_still_an_orphan(package: Path) -> None:
    actors = read_rows(package, "actors")
    actors.append({**actors[0], "actor_id": "zz-nobody", "wikidata_id": ""})
    write_rows(package, "actors", actors)
    names = read_rows(package, "actor_names")
    names.append({**NAMES[0], "actor_id": "zz-nobody", "name": "لا أحد"})
    write_rows(package, "actor_names", sorted_names(names))
    found = validate(package).flatten(["code", "table", "value"])
    assert ["orphan-actor", "actors", "zz-nobody"] in found
    assert [f for f in found if f[0] != "orphan-actor" and f[0] != "orphan-source"] == []


def test_a_name_of_an_unknown_actor_is_a_foreign_key_error(package: Path) -> None:
    names = read_rows(package, "actor_names")
    names[0]["actor_id"] = "aa-nobody"
    write_rows(package, "actor_names", sorted_names(names))
    found = validate(package).flatten(["code", "table", "line", "field"])
    assert [f for f in found if f[0] != "orphan-source"] == [
        ["foreign-key", "actor_names", 2, "actor_id"]
    ]


# --- the shipped names ----------------------------------------------------------------------


def test_shipped_languages_are_iso_639_1_codes() -> None:
    pycountry = pytest.importorskip("pycountry")
    codes = {r["language"] for r in read_rows(ROOT, "actor_names")}
    unknown = sorted(c for c in codes if pycountry.languages.get(alpha_2=c) is None)
    assert unknown == []


def test_shipped_names_are_nfc_and_their_actors_exist() -> None:
    actors = {r["actor_id"] for r in read_rows(ROOT, "actors")}
    for row in read_rows(ROOT, "actor_names"):
        assert unicodedata.is_normalized("NFC", row["name"]), row
        assert row["actor_id"] in actors, row


# --- right-to-left text, byte for byte ------------------------------------------------------


def csv_bytes(pkg: Path) -> bytes:
    return (pkg / "data" / "actor_names.csv").read_bytes()


def test_csv_and_loader_keep_the_names_byte_for_byte(package: Path) -> None:
    frame = le.load(package).actor_names
    assert frame["name"].tolist() == [r["name"] for r in sorted_names(NAMES)]
    header = list(NAMES[0])
    assert render_rows(frame_rows(frame, "actor_names"), header).encode("utf-8") == csv_bytes(
        package
    )
    assert HAFTAR.encode("utf-8") in csv_bytes(package)


def test_sqlite_keeps_the_names(package: Path, tmp_path: Path) -> None:
    con = sqlite3.connect(export(package, "sqlite", tmp_path / "x.sqlite"))
    try:
        got = con.execute("SELECT name FROM actor_names ORDER BY rowid").fetchall()
    finally:
        con.close()
    assert [n for (n,) in got] == [r["name"] for r in sorted_names(NAMES)]


def test_xlsx_keeps_the_names(package: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(export(package, "xlsx", tmp_path / "x.xlsx"))["actor_names"]
    column = [c.value for c in sheet[1]].index("name") + 1
    got = [sheet.cell(i, column).value for i in range(2, sheet.max_row + 1)]
    assert got == [r["name"] for r in sorted_names(NAMES)]


def test_json_keeps_the_names(package: Path, tmp_path: Path) -> None:
    raw = export(package, "json", tmp_path / "x.json").read_bytes()
    data = json.loads(raw)
    (resource,) = [r for r in data["resources"] if r["name"] == "actor_names"]
    name = resource["data"][0].index("name")
    assert [row[name] for row in resource["data"][1:]] == [r["name"] for r in sorted_names(NAMES)]
    assert HAFTAR.encode("utf-8") in raw  # written as UTF-8, not \\u escapes


def test_parquet_keeps_the_names(package: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    dest = export(package, "parquet", tmp_path / "parquet")
    got = pq.read_table(dest / "actor_names.parquet").column("name").to_pylist()
    assert got == [r["name"] for r in sorted_names(NAMES)]


def test_zip_keeps_the_csv_bytes(package: Path, tmp_path: Path) -> None:
    dest = export(package, "zip", tmp_path / "x.zip")
    with zipfile.ZipFile(dest) as archive:
        (member,) = [n for n in archive.namelist() if n.endswith("/data/actor_names.csv")]
        assert archive.read(member) == csv_bytes(package)


def test_diff_shows_the_names_as_written(package: Path, tmp_path: Path) -> None:
    set_version(package, "0.1.0")
    new = copy_package(tmp_path / "new", package)
    rows = read_rows(new, "actor_names")
    for row in rows:
        if row["name"] == HAFTAR_FULL:
            row["notes"] = VOCALIZED
    rows.append({**NAMES[3], "name": VOCALIZED, "actor_id": "khalifa-haftar"})
    write_rows(new, "actor_names", sorted_names(rows))
    d = diff(package, new)
    (table,) = [t for t in d.tables if t.name == "actor_names"]
    assert table.added == [("khalifa-haftar", "ar", VOCALIZED)]
    assert table.changed == [
        RowChange(
            ("khalifa-haftar", "ar", HAFTAR_FULL),
            {"notes": ("Pages differ: بالقاسم or بلقاسم.", VOCALIZED)},
        )
    ]
    for fmt in ("text", "markdown"):
        out = d.render(fmt)
        assert VOCALIZED in out and HAFTAR_FULL in out, fmt
    assert VOCALIZED in json.loads(d.render("json")).__repr__()


def test_codebook_shows_native_names_isolated_beside_the_english_name(package: Path) -> None:
    text = codebook.render(read_package(package))
    assert (
        f"| `khalifa-haftar` | Khalifa Haftar | {codebook.FSI}{HAFTAR}{codebook.PDI} (`ar`) |"
        in text.splitlines()
    )
    assert (
        f"| `mevlut-cavusoglu` | Mevlut Cavusoglu | "
        f"{codebook.FSI}Mevlüt Çavuşoğlu{codebook.PDI} (`tr`) |" in text.splitlines()
    )
