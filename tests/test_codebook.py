"""The generated codebook, docs/codebook.md: current, complete, and following the schemas."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DESCRIPTOR, ROOT, TABLES
from release_helpers import copy_package, field_of, read_rows, read_schema, write_schema

from libya_events import codebook
from libya_events.errors import Code
from libya_events.snapshot import read_package

TEXT = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")


def section(name: str, heading: str = "## ") -> str:
    """The codebook's section under `heading` + `name`, up to the next heading of that level."""
    start = TEXT.index(f"\n{heading}{name}\n")
    end = TEXT.find("\n#" if heading == "#### " else f"\n{heading}", start + 1)
    return TEXT[start:end]


def test_the_committed_codebook_is_current() -> None:
    assert codebook.render(read_package(ROOT)) == TEXT


def test_build_check_names_a_stale_codebook(tmp_path: Path) -> None:
    """scripts/build.py --check fails, naming the file, when the codebook is out of date."""
    repo = tmp_path / "repo"
    copy_package(repo)
    (repo / "scripts").mkdir()
    (repo / "scripts" / "build.py").write_bytes((ROOT / "scripts" / "build.py").read_bytes())
    (repo / "libya_events").symlink_to(ROOT / "libya_events")
    build = [sys.executable, str(repo / "scripts" / "build.py")]
    assert subprocess.run(build, capture_output=True).returncode == 0
    assert subprocess.run([*build, "--check"], capture_output=True).returncode == 0
    schema = read_schema(repo, "events")
    field_of(schema, "title")["description"] = "The event's short title."
    write_schema(repo, "events", schema)
    done = subprocess.run([*build, "--check"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout == (
        "stale: schemas/events.record.json (run python scripts/build.py)\n"
        "stale: docs/codebook.md (run python scripts/build.py)\n"
        "stale: .github/ISSUE_TEMPLATE/add-event.yml (run python scripts/build.py)\n"
    )


@pytest.mark.parametrize("name", TABLES)
def test_every_table_and_field_is_described_with_its_row_count(name: str) -> None:
    text = section(name)
    schema = read_schema(ROOT, name)
    rows = len(read_rows(ROOT, name))
    assert f"- Rows in {DESCRIPTOR['version']}: {rows}\n" in text
    assert re.search(rf"\| \[{name}\]\(#{name}\) \| {rows} \|", TEXT)
    for f in schema["fields"]:
        required = "yes" if f.get("constraints", {}).get("required") else "no"
        pattern = rf"^\| `{f['name']}` \| {f['type']}( \(\w+\))? \| {required} \| .* \| (.*) \|$"
        match = re.search(pattern, text, re.M)
        assert match, f["name"]
        assert match.group(2) == f["description"].replace("|", "\\|")


@pytest.mark.parametrize("name", TABLES)
def test_every_vocabulary_value_has_its_meaning_and_count(name: str) -> None:
    rows = read_rows(ROOT, name)
    for f in read_schema(ROOT, name)["fields"]:
        text = section(f"{name}.{f['name']}", "#### ") if f.get("categories") else ""
        for c in f.get("categories", []):
            used = sum(1 for r in rows if r[f["name"]] == c["value"])
            line = re.search(rf"^\| `{re.escape(c['value'])}` \| (.*) \| (\d+) \|$", text, re.M)
            assert line, (f["name"], c["value"])
            assert line.group(1).split(" | ")[0] == c["label"]
            assert int(line.group(2)) == used


def test_event_kinds_show_the_cameo_and_plover_crosswalk() -> None:
    text = section("events")
    assert "| value | meaning | CAMEO root | PLOVER | rows |" in text
    for c in field_of(read_schema(ROOT, "events"), "kind")["categories"]:
        cells = re.search(rf"^\| `{c['value']}` \| (.*) \|$", text, re.M).group(1).split(" | ")
        assert cells[1:3] == [c["cameo_root"] or "-", c["plover"] or "-"]


def test_keys_and_record_rules_are_listed() -> None:
    text = section("event_actors")
    assert "- Primary key: `event_id`, `actor_id`, `role`\n" in text
    assert "  - `affiliation_id` → [affiliations](#affiliations).`affiliation_id`\n" in text
    events = section("events")
    for rule in read_schema(ROOT, "events")["x-record-rules"]:
        assert f"\n- {rule['description']}\n" in events


def test_every_validation_rule_is_listed_under_its_code() -> None:
    rules = TEXT[TEXT.index("\n## Validation rules\n") :]
    for code in Code:
        rule = code.rule.replace("|", "\\|")
        assert f"| `{code.value}` | {code.severity} | {rule} |" in rules
    start = rules.index("### Cross-table rules")
    cross = rules[start : rules.index("\n### ", start)]
    assert [c for c in Code if f"`{c.value}`" in cross] == [c for c in Code if c.layer == "rules"]


def test_a_new_vocabulary_value_appears_in_the_regenerated_codebook(tmp_path: Path) -> None:
    package = copy_package(tmp_path / "pkg")
    schema = read_schema(package, "events")
    kind = field_of(schema, "kind")
    kind["constraints"]["enum"].append("summit")
    kind["categories"].append(
        {"value": "summit", "label": "A meeting of heads of state.", "cameo_root": "04"}
    )
    write_schema(package, "events", schema)
    text = codebook.render(read_package(package))
    assert "| `summit` | A meeting of heads of state. | 04 | - | 0 |" in text
    count = len(kind["constraints"]["enum"])
    assert f"one of {count} values ([below](#eventskind))" in text
