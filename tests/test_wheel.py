"""The built wheel and sdist carry the data package, and an installed wheel loads every table.

The wheel is installed with ``--no-deps --no-index`` into a fresh virtual environment whose
only link to this one is a ``.pth`` file naming this interpreter's site-packages, so pandas
imports offline while ``libya_events`` can come from nowhere but the wheel.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import DESCRIPTOR, ROOT, TABLES

VERSION = DESCRIPTOR["version"]
PACKAGE_FILES = [
    "datapackage.json",
    *(f"data/{name}.csv" for name in TABLES),
    *(f"schemas/{name}.table.json" for name in TABLES),
    *(f"schemas/{name}.record.json" for name in TABLES),
    "docs/references.md",
]


def run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(
        sys.executable,
        "-m",
        "build",
        "--wheel",
        "--sdist",
        "--no-isolation",
        "--outdir",
        out,
        ROOT,
        cwd=out,
    )
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("*.whl")
    assert found.name == f"libya_events-{VERSION}-py3-none-any.whl"
    return found


@pytest.fixture(scope="module")
def venv_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the installed wheel; pandas and friends reached through a .pth."""
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=venv)
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    Path(site.strip(), "_outer_dependencies.pth").write_text("\n".join(ours) + "\n")
    run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--disable-pip-version-check", "--quiet", wheel, cwd=venv,
    )  # fmt: skip
    return python


def test_the_wheel_carries_the_data_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in PACKAGE_FILES if f"libya_events/_package/{f}" not in names]
    assert missing == []
    assert f"libya_events-{VERSION}.dist-info/METADATA" in names


def test_the_sdist_carries_the_data_package(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    assert sdist.name == f"libya_events-{VERSION}.tar.gz"
    with tarfile.open(sdist) as tar:
        names = set(tar.getnames())
    prefix = f"libya_events-{VERSION}"
    missing = [f for f in [*PACKAGE_FILES, "pyproject.toml"] if f"{prefix}/{f}" not in names]
    assert missing == []


PROBE = """
import importlib.metadata, json, sys
import libya_events as le
ds = le.load()
print(json.dumps({
    "file": le.__file__,
    "root": str(ds.path),
    "version": le.__version__,
    "dataset_version": ds.version,
    "metadata_version": importlib.metadata.version("libya-events"),
    "tables": list(ds.tables),
    "rows": {name: len(getattr(le, name)()) for name in le.list_tables()},
    "dtypes": {name: ds[name].dtypes.astype(str).tolist() for name in ds.tables},
}))
"""


def test_the_installed_wheel_loads_every_table(venv_python: Path, tmp_path: Path) -> None:
    got = json.loads(run(venv_python, "-c", PROBE, cwd=tmp_path))
    venv = venv_python.parent.parent
    assert Path(got["file"]).is_relative_to(venv), "libya_events must come from the wheel"
    assert got["root"] == str(Path(got["file"]).parent / "_package")
    assert got["version"] == got["dataset_version"] == got["metadata_version"] == VERSION
    assert got["tables"] == TABLES
    expected_rows = {}
    for name in TABLES:
        with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as fh:
            expected_rows[name] = len(list(csv.DictReader(fh)))
    assert got["rows"] == expected_rows
    import libya_events as le

    here = le.load(ROOT)
    assert got["dtypes"] == {n: here[n].dtypes.astype(str).tolist() for n in TABLES}


def test_printing_the_events_from_the_installed_wheel(venv_python: Path, tmp_path: Path) -> None:
    shown = run(venv_python, "-c", "import libya_events as le; print(le.events())", cwd=tmp_path)
    lines = shown.splitlines()
    with open(ROOT / "data" / "events.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert lines[0].split()[0] == "event_id"
    assert lines[1].split()[:2] == ["0", rows[1][0]]
    assert lines[-1] == f"[{len(rows) - 1} rows x {len(rows[0])} columns]"
