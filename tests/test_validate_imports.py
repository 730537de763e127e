"""What the validator's command imports: only what the run needs.

On a package whose descriptor, Table Schemas, record schemas and rules are plain (as the
shipped one is), ``libya-events validate`` imports neither frictionless nor pandas nor
jsonschema; each is imported only where a part of the package needs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from libya_events.testing.synthetic import write_synthetic

HEAVY = ("pandas", "frictionless", "jsonschema")


def command_imports(*args: str) -> tuple[int, list[str]]:
    """The exit status of ``libya-events validate ARGS`` and which of HEAVY it imported."""
    probe = (
        "import sys\n"
        "from libya_events.cli import main\n"
        f"status = main(['validate', '--quiet', *{list(args)!r}])\n"
        f"print(status, *(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    status, *imported = done.stdout.split()
    return int(status), imported


def test_the_shipped_package_is_validated_without_frictionless_pandas_or_jsonschema(
    root: Path,
) -> None:
    assert command_imports(str(root)) == (0, [])


def test_a_large_valid_package_is_validated_without_them(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "pkg", 300)
    assert command_imports(str(tmp_path / "pkg")) == (0, [])


def test_a_schema_frictionless_must_judge_imports_frictionless(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    write_synthetic(pkg, 40)
    schema_path = pkg / "schemas" / "events.table.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][0]["required"] = True  # frictionless: "should be set as constraints"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    status, imported = command_imports(str(pkg))
    assert (status, "frictionless" in imported) == (1, True)


def test_a_broken_record_rule_imports_jsonschema_for_its_message(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    write_synthetic(pkg, 40, faults={"record-rule": 1})
    status, imported = command_imports(str(pkg))
    assert (status, imported) == (1, ["jsonschema"])
