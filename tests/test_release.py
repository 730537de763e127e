"""Release numbering and citation: versions, bumps, CHANGELOG.md, CITATION.cff, citation()."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import DESCRIPTOR, ROOT

import libya_events
from libya_events.errors import VersionError
from libya_events.release import Bump, Version, bump_between, citation


def test_versions_parse_and_bump() -> None:
    v = Version.parse("0.1.0")
    assert (str(v.bumped(Bump.PATCH)), str(v.bumped(Bump.MINOR)), str(v.bumped(Bump.MAJOR))) == (
        "0.1.1",
        "0.2.0",
        "1.0.0",
    )
    assert Version.parse("1.2.3") > Version.parse("1.2.0")
    assert max(Bump.PATCH, Bump.MAJOR, Bump.MINOR) is Bump.MAJOR


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "01.0.0", "1.0.0-rc1", ""])
def test_a_bad_version_is_named(text: str) -> None:
    with pytest.raises(VersionError) as caught:
        Version.parse(text)
    assert str(caught.value) == f"version {text!r} is not MAJOR.MINOR.PATCH, e.g. 0.1.0"


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("0.1.0", "0.1.0", Bump.NONE),
        ("0.1.0", "0.1.1", Bump.PATCH),
        ("0.1.3", "0.2.0", Bump.MINOR),
        ("0.9.9", "1.0.0", Bump.MAJOR),
    ],
)
def test_bump_between_successors(old: str, new: str, bump: Bump) -> None:
    assert bump_between(old, new) is bump


@pytest.mark.parametrize("new", ["0.1.3", "0.2.1", "0.1.0", "0.0.9", "2.0.0"])
def test_bump_between_refuses_a_skip_or_step_back(new: str) -> None:
    with pytest.raises(VersionError, match=f"^version {re.escape(new)} does not follow 0.1.1; "):
        bump_between("0.1.1", new)


def test_the_version_agrees_everywhere() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == DESCRIPTOR["version"] == libya_events.__version__
    assert cff["date-released"] == DESCRIPTOR["created"][:10]
    assert cff["title"] == DESCRIPTOR["title"]
    assert cff["license"] == "CC-BY-4.0"
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation(ROOT, "cff")


def test_the_changelog_has_a_dated_section_per_version_newest_first() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert re.findall(r"^## .*$", text, re.M) == [f"## [{v}] - {d}" for v, d in sections]
    assert sections[0] == (DESCRIPTOR["version"], DESCRIPTOR["created"][:10])
    versions = [Version.parse(v) for v, _ in sections]
    assert versions == sorted(versions, reverse=True)
    assert len(set(versions)) == len(versions)
    for newer, older in zip(versions, versions[1:], strict=False):
        assert bump_between(older, newer) is not Bump.NONE
    assert ("0.1.0", "2026-11-28") in sections


def test_citation_from_the_api() -> None:
    year = DESCRIPTOR["created"][:4]
    assert libya_events.citation() == (
        f"libya-events maintainers ({year}). {DESCRIPTOR['title']} "
        f"(Version {DESCRIPTOR['version']}) [Data set]. Licence: CC-BY-4.0."
    )
    bibtex = libya_events.citation("bibtex")
    assert bibtex.startswith("@misc{libya_events_" + DESCRIPTOR["version"].replace(".", "_") + ",")
    assert f"  version = {{{DESCRIPTOR['version']}}},\n" in bibtex
    assert libya_events.citation("cff") == (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown citation style 'apa'"):
        libya_events.citation("apa")


# --- the README's release examples are real output -------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _example_packages(tmp_path):
    from release_helpers import add_event, copy_package, set_version

    old = copy_package(tmp_path / "libya-events-0.1.0")
    set_version(old, "0.1.0")
    new = copy_package(tmp_path / "new", old)
    add_event(new, "example-meeting-2020-07-01", like="moscow-ministers-meeting-2020-01-13")
    return old, new


def test_the_readme_diff_examples_are_real_output(tmp_path) -> None:
    from release_helpers import set_version

    from libya_events.diff import diff

    old, new = _example_packages(tmp_path)
    unbumped = diff(old, new)
    text = unbumped.render("text") + unbumped.check_bump()[1]
    assert f"$ libya-events diff ../libya-events-0.1.0 . --check-bump\n{text}\n```" in README
    set_version(new, "0.2.0")
    bumped = diff(old, new)
    markdown = bumped.render("markdown") + bumped.check_bump()[1]
    command = "$ libya-events diff ../libya-events-0.1.0 . --format markdown --check-bump"
    assert f"{command}\n{markdown}\n```" in README


def test_the_readme_validate_previous_example_is_real_output(tmp_path) -> None:
    from release_helpers import copy_package, read_rows, set_version, write_rows

    from libya_events.report import render
    from libya_events.validate import validate

    old = copy_package(tmp_path / "libya-events-0.1.0")
    set_version(old, "0.1.0")
    new = copy_package(tmp_path / "new", old)
    set_version(new, "0.2.0")
    gone = "visit-postponed-2020-06-14"
    for table in ("events", "event_actors", "event_links", "event_sources", "statements"):
        rows = read_rows(new, table)
        refs = ("event_id", "related_event_id", "about_event_id")
        write_rows(new, table, [r for r in rows if gone not in (r.get(c) for c in refs)])
    out = render(validate(new, previous=old), "text").replace(str(new), ".")
    block = README.split("$ libya-events validate . --previous ../libya-events-0.1.0\n")[1]
    block = block.split("```")[0]
    # the row count and timing change with the data and the machine; the rest must not
    counts = re.compile(r"\d+ rows \(\d+\.\d+ s\)")
    assert counts.sub("N rows (T s)", out) == counts.sub("N rows (T s)", block)
