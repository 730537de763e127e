"""Scale benchmark: validate and load the shipped package and synthetic packages of 10k, 100k and
1M events.

First the package shipped in this checkout, where start-up is most of the time: ``libya-events
validate --quiet`` and ``frictionless validate`` side by side, many runs, and an import-time
line (what the command imports, from ``python -X importtime``). Then, for each size, a valid
synthetic package (written outside the repository, reused between runs) and whole processes,
side by side in the same run, A B C A B C ...:

- ``libya-events validate PATH --quiet`` (every layer),
- ``frictionless validate PATH/datapackage.json`` (skipped where it would take too long),
- ``python -c "import libya_events as le; le.load(PATH)"`` (every table, typed),

with each process's wall and CPU time and peak resident memory (``os.wait4``'s rusage of that
one child). It prints a table and writes it as JSON (default ``benchmarks/out/scale.json``).
The package's modules are byte-compiled first, as an installation has them.

    python benchmarks/bench_scale.py                      # shipped, 10k, 100k and 1M events
    python benchmarks/bench_scale.py --sizes 100000 --runs 5
    python benchmarks/bench_scale.py --sizes shipped --shipped-runs 31
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHIPPED = "shipped"  # the package of this checkout, as a size
DEFAULT_SIZES = f"{SHIPPED},10000,100000,1000000"
TARGETS = {
    "validate_over_frictionless_shipped": 0.5,  # at most
    "speedup_vs_frictionless_at_100k": 20.0,  # at least
    "validate_seconds_at_1m": 12.0,  # under
    "validate_peak_mb_at_1m": 1536.0,  # under
    "load_seconds_at_1m": 10.0,  # under
}
#: Packages the validator's command should not need to import on a plain package.
NOT_NEEDED = ("frictionless", "pandas", "jsonschema")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    exit: int


@dataclass
class Timing:
    tool: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    skipped: str = ""

    def median(self, what: str) -> float | None:
        values = [getattr(r, what) for r in self.runs]
        return statistics.median(values) if values else None

    def minimum(self, what: str) -> float | None:
        values = [getattr(r, what) for r in self.runs]
        return min(values) if values else None

    def summary(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "command": " ".join(self.command),
            "runs": len(self.runs),
            "wall_min": self.minimum("wall"),
            "wall_median": self.median("wall"),
            "cpu_median": self.median("cpu"),
            "peak_mb_max": max((r.peak_mb for r in self.runs), default=None),
            "exit_codes": sorted({r.exit for r in self.runs}),
            "skipped": self.skipped,
            "each_run": [asdict(r) for r in self.runs],
        }


def run_once(command: list[str], timeout: float) -> Run | None:
    """One whole process: wall time, its CPU time and its peak RSS; None if it timed out."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return None
        time.sleep(0.005)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall=round(wall, 3),
        cpu=round(usage.ru_utime + usage.ru_stime, 3),
        peak_mb=round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
        exit=proc.returncode,
    )


def commands(package: Path) -> dict[str, list[str]]:
    """The commands timed on ``package``: validate, frictionless and load."""
    bindir = Path(sys.executable).parent
    cli = bindir / "libya-events"
    validate = [str(cli)] if cli.exists() else [sys.executable, "-m", "libya_events.cli"]
    frictionless = bindir / "frictionless"
    return {
        "validate": [*validate, "validate", str(package), "--quiet"],
        "frictionless": [
            str(frictionless) if frictionless.exists() else "frictionless",
            "validate",
            str(package / "datapackage.json"),
        ],
        "load": [sys.executable, "-c", f"import libya_events as le; le.load({str(package)!r})"],
    }


def ensure_package(workdir: Path, n_events: int, seed: int) -> tuple[Path, dict[str, int]]:
    """The synthetic package of ``n_events`` under ``workdir``, written once and reused."""
    path = workdir / f"events-{n_events}-seed-{seed}"
    # Beside the package, not in it, so that the package holds only its own files.
    manifest = workdir / f"events-{n_events}-seed-{seed}.json"
    if manifest.is_file() and (path / "datapackage.json").is_file():
        return path, json.loads(manifest.read_text())["rows"]
    shutil.rmtree(path, ignore_errors=True)
    started = time.perf_counter()
    # In a child process: this one stays small, and Linux carries a parent's peak RSS over
    # fork and exec into each child's ru_maxrss, which would inflate every figure below.
    generator = [sys.executable, "-m", "libya_events.testing.synthetic", str(path), str(n_events)]
    written = subprocess.run(
        [*generator, "--seed", str(seed)], check=True, capture_output=True, text=True
    )
    took = time.perf_counter() - started
    print(f"  wrote {path} in {took:.1f} s", file=sys.stderr)
    manifest.write_text(written.stdout)
    return path, json.loads(written.stdout)["rows"]


def run_in_turn(
    timings: dict[str, Timing], runs: int, label: str, limit: Callable[[str], float]
) -> None:
    """``runs`` rounds of each command in turn (A B C A B C ...); a command that takes longer
    than its ``limit`` in seconds is skipped from then on."""
    for i in range(runs):
        for tool, timing in timings.items():
            if timing.skipped:
                continue
            result = run_once(timing.command, timeout=limit(tool))
            if result is None:
                timing.skipped = f"skipped: a run took over {limit(tool):.0f} s"
                continue
            timing.runs.append(result)
            print(
                f"  {label:>9} {tool:<12} run {i + 1}: {result.wall:7.2f} s "
                f"{result.peak_mb:7.0f} MB exit {result.exit}",
                file=sys.stderr,
            )


def median_ratio(numerator: Timing, denominator: Timing) -> float | None:
    """The median of the run-by-run ratios of wall times (runs paired in the order made)."""
    pairs = [a.wall / b.wall for a, b in zip(numerator.runs, denominator.runs, strict=False)]
    return statistics.median(pairs) if pairs else None


def shipped_package() -> tuple[Path, dict[str, int]]:
    """This checkout's package and its rows per table (a quoted line break is one row)."""
    root = HERE.parent
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    rows = {}
    for resource in descriptor["resources"]:
        with open(root / resource["path"], encoding="utf-8", newline="") as handle:
            rows[resource["name"]] = sum(1 for _ in csv.reader(handle)) - 1
    return root, rows


def bench_shipped(runs: int) -> dict[str, Any]:
    """validate and frictionless on the shipped package, in turn, ``runs`` times each."""
    package, rows = shipped_package()
    size = sum(p.stat().st_size for p in (package / "data").glob("*.csv"))
    everything = commands(package)
    timings = {tool: Timing(tool, everything[tool]) for tool in ("validate", "frictionless")}
    for timing in timings.values():  # warm-up: page cache
        run_once(timing.command, timeout=60)
    run_in_turn(timings, runs, SHIPPED, lambda tool: 60.0)
    ratio = median_ratio(timings["validate"], timings["frictionless"])
    return {
        "n_events": rows.get("events", 0),
        "label": SHIPPED,
        "rows": sum(rows.values()),
        "rows_by_table": rows,
        "csv_mb": round(size / 2**20, 2),
        "package": str(package),
        "tools": {tool: t.summary() for tool, t in timings.items()},
        "validate_over_frictionless_median": None if ratio is None else round(ratio, 3),
        "imports": import_times(everything["validate"]),
    }


def import_times(validate: list[str], runs: int = 5) -> dict[str, Any]:
    """What the validate command imports, from ``python -X importtime``: milliseconds per
    top-level package (the medians of ``runs`` runs; each module's own time counted once), and
    which of `NOT_NEEDED` it imported."""
    command = [sys.executable, "-X", "importtime", "-m", "libya_events.cli", *validate[1:]]
    totals: list[dict[str, float]] = []
    for _ in range(runs):
        done = subprocess.run(command, capture_output=True, text=True)
        own: dict[str, float] = {}
        for line in done.stderr.splitlines():
            # "import time: <self us> | <cumulative us> | <indented module name>"
            parts = line.removeprefix("import time:").split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue  # the header line, or a line that is not importtime's
            top = parts[2].strip().split(".")[0]
            own[top] = own.get(top, 0.0) + int(parts[0]) / 1000  # microseconds -> ms
        totals.append(own)
    names = sorted({n for t in totals for n in t})
    median = {n: statistics.median(t.get(n, 0.0) for t in totals) for n in names}
    groups = {n: round(median.get(n, 0.0), 1) for n in ("numpy", "pyarrow", "libya_events")}
    groups["other"] = round(sum(median.values()) - sum(groups.values()), 1)
    # importtime also lists an import that failed (pyarrow's look for pandas, which the
    # command hides from it), so what was imported is asked of sys.modules.
    probe = (
        "import sys\nfrom libya_events.cli import main\n"
        f"main({validate[1:]!r})\n"
        f"print(*(m for m in {NOT_NEEDED!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return {
        "total_ms": round(sum(median.values()), 1),
        "by_package_ms": groups,
        "imported_of_not_needed": done.stdout.split(),
    }


def bench_size(
    workdir: Path, n_events: int, runs: int, seed: int, fl_limit: float, fl_estimate: float | None
) -> dict[str, Any]:
    package, rows = ensure_package(workdir, n_events, seed)
    size = sum(p.stat().st_size for p in (package / "data").glob("*.csv"))
    timings = {tool: Timing(tool, cmd) for tool, cmd in commands(package).items()}
    if fl_estimate is not None and fl_estimate > fl_limit:
        timings["frictionless"].skipped = (
            f"skipped: about {fl_estimate:.0f} s a run, scaled from the smaller size "
            f"(limit {fl_limit:.0f} s)"
        )
    for tool in ("validate", "load"):  # warm-up: page cache and bytecode
        run_once(timings[tool].command, timeout=600)
    run_in_turn(
        timings, runs, f"{n_events:,}", lambda tool: fl_limit if tool == "frictionless" else 600
    )
    ratio = median_ratio(timings["frictionless"], timings["validate"])
    return {
        "n_events": n_events,
        "rows": sum(rows.values()),
        "rows_by_table": rows,
        "csv_mb": round(size / 2**20, 1),
        "package": str(package),
        "tools": {tool: t.summary() for tool, t in timings.items()},
        "frictionless_over_validate_median": None if ratio is None else round(ratio, 1),
    }


def check_targets(results: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in results:
        if r.get("label") == SHIPPED:
            ratio = r["validate_over_frictionless_median"]
            limit = TARGETS["validate_over_frictionless_shipped"]
            out["validate_over_frictionless_shipped"] = {
                "value": ratio,
                "target": f"<= {limit}",
                "met": ratio <= limit,
            }
    by_n = {r["n_events"]: r for r in results if r.get("label") != SHIPPED}

    def tool(n: int, name: str, what: str) -> float | None:
        return by_n[n]["tools"][name][what] if n in by_n else None

    speedup = by_n.get(100_000, {}).get("frictionless_over_validate_median")
    if speedup is not None:
        out["speedup_vs_frictionless_at_100k"] = {
            "value": speedup,
            "target": f">= {TARGETS['speedup_vs_frictionless_at_100k']:g}",
            "met": speedup >= TARGETS["speedup_vs_frictionless_at_100k"],
        }
    for key, n, name, what, limit in (
        ("validate_seconds_at_1m", 1_000_000, "validate", "wall_median", "< 12 s"),
        ("validate_peak_mb_at_1m", 1_000_000, "validate", "peak_mb_max", "< 1536 MB"),
        ("load_seconds_at_1m", 1_000_000, "load", "wall_median", "< 10 s"),
    ):
        value = tool(n, name, what)
        if value is not None:
            out[key] = {"value": value, "target": limit, "met": value < TARGETS[key]}
    sizes = sorted(by_n)
    # Per-event time at each size over the per-event time at the next size down.
    for small, large in zip(sizes, sizes[1:], strict=False):
        for name in ("validate", "load"):
            t_small, t_large = tool(small, name, "wall_median"), tool(large, name, "wall_median")
            if t_small and t_large:
                growth = (t_large / large) / (t_small / small)
                out[f"{name}_per_event_time_{large}_over_{small}"] = {
                    "value": round(growth, 2),
                    "target": "<= 1 (no worse than linear)",
                    "met": growth <= 1.0,
                }
    return out


def render(results: list[dict[str, Any]], targets: dict[str, Any]) -> str:
    head = (
        "| events | rows | CSV MB | command | runs | wall median s | wall min s | CPU median s "
        "| peak MB | exit |"
    )
    lines = [head, "|" + "---|" * 10]
    for r in results:
        events = f"{r['n_events']:,}"
        if r.get("label") == SHIPPED:
            events = f"{SHIPPED} ({events})"
        for t in r["tools"].values():
            if t["skipped"]:
                cells = [f"{t['skipped']}", "", "", "", "", ""]
            else:
                cells = [
                    str(t["runs"]),
                    f"{t['wall_median']:.2f}",
                    f"{t['wall_min']:.2f}",
                    f"{t['cpu_median']:.2f}",
                    f"{t['peak_mb_max']:.0f}",
                    ",".join(map(str, t["exit_codes"])),
                ]
            lines.append(
                f"| {events} | {r['rows']:,} | {r['csv_mb']} | {t['tool']} | "
                + " | ".join(cells)
                + " |"
            )
        ratio = r.get("frictionless_over_validate_median")
        if ratio is not None:
            lines.append(
                f"| {events} | | | frictionless / validate, run by run (median) "
                f"| {ratio}x | | | | | |"
            )
        ratio = r.get("validate_over_frictionless_median")
        if ratio is not None:
            lines.append(
                f"| {events} | | | validate / frictionless, run by run (median) "
                f"| {ratio:.2f} | | | | | |"
            )
    lines.append("")
    for r in results:
        if "imports" in r:
            imports = r["imports"]
            parts = ", ".join(f"{k} {v:.0f}" for k, v in imports["by_package_ms"].items())
            missing = [n for n in NOT_NEEDED if n not in imports["imported_of_not_needed"]]
            lines.append(
                f"- imports of `libya-events validate` on the shipped package (median ms, "
                f"python -X importtime): {imports['total_ms']:.0f} ({parts}); "
                f"not imported: {', '.join(missing) or 'none'}"
            )
    for key, t in targets.items():
        lines.append(
            f"- {key}: {t['value']} (target {t['target']}): {'met' if t['met'] else 'NOT met'}"
        )
    return "\n".join(lines)


def compile_package() -> None:
    """Byte-compile the libya_events package, as installing it does, so that no run pays for
    compiling it (an editable install under PYTHONDONTWRITEBYTECODE never writes .pyc files)."""
    spec = importlib.util.find_spec("libya_events")
    assert spec is not None and spec.submodule_search_locations
    where = list(spec.submodule_search_locations)[0]
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default=DEFAULT_SIZES,
        help=f"comma-separated event counts, and {SHIPPED!r} (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="counted runs per command")
    parser.add_argument(
        "--shipped-runs", type=int, default=21, help="counted runs on the shipped package"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/libya-bench"))
    parser.add_argument(
        "--frictionless-limit",
        type=float,
        default=180.0,
        help="seconds a frictionless run may take; estimated from the previous size (default 180)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out" / "scale.json")
    parser.add_argument(
        "--from-json", type=Path, help="print the table of a saved run instead of running"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        print(render(saved["results"], check_targets(saved["results"])))
        return 0
    tokens = [s.strip() for s in args.sizes.split(",")]
    sizes = sorted(int(s.replace("_", "")) for s in tokens if s != SHIPPED)
    args.workdir.mkdir(parents=True, exist_ok=True)
    compile_package()

    results: list[dict[str, Any]] = []
    if SHIPPED in tokens:
        print("shipped package", file=sys.stderr)
        results.append(bench_shipped(args.shipped_runs))
    fl_per_event: float | None = None  # frictionless seconds per event at the last size run
    for n in sizes:
        print(f"{n:,} events", file=sys.stderr)
        estimate = None if fl_per_event is None else fl_per_event * n
        result = bench_size(
            args.workdir, n, args.runs, args.seed, args.frictionless_limit, estimate
        )
        results.append(result)
        fl = result["tools"]["frictionless"]["wall_median"]
        if fl is not None:
            fl_per_event = fl / n

    targets = check_targets(results)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "method": "whole-process timings; peak memory is each process's own maximum RSS",
        "results": results,
        "targets": targets,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(render(results, targets))
    print(f"\nwritten to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
