"""Scale benchmark: validate and load synthetic packages of 10k, 100k and 1M events.

For each size it writes a valid synthetic package (outside the repository, reused between
runs), then times whole processes, side by side in the same run, A B C A B C ...:

- ``libya-events validate PATH --quiet`` (all three layers),
- ``frictionless validate PATH/datapackage.json`` (skipped where it would take too long),
- ``python -c "import libya_events as le; le.load(PATH)"`` (every table, typed),

with each process's wall and CPU time and peak resident memory (``os.wait4``'s rusage of that
one child). It prints a table and writes it as JSON (default ``benchmarks/out/scale.json``).

    python benchmarks/bench_scale.py                      # 10k, 100k and 1M events, 3 runs
    python benchmarks/bench_scale.py --sizes 100000 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
TARGETS = {
    "speedup_vs_frictionless_at_100k": 10.0,  # at least
    "validate_seconds_at_1m": 30.0,  # under
    "validate_peak_mb_at_1m": 4096.0,  # under
    "load_seconds_at_1m": 10.0,  # under
}


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
    for i in range(runs):
        for tool, timing in timings.items():
            if timing.skipped:
                continue
            result = run_once(timing.command, timeout=fl_limit if tool == "frictionless" else 600)
            if result is None:
                timing.skipped = f"skipped: a run took over {fl_limit:.0f} s"
                continue
            timing.runs.append(result)
            print(
                f"  {n_events:>9,} {tool:<12} run {i + 1}: {result.wall:7.2f} s "
                f"{result.peak_mb:7.0f} MB exit {result.exit}",
                file=sys.stderr,
            )
    pairs = [
        f.wall / v.wall
        for f, v in zip(timings["frictionless"].runs, timings["validate"].runs, strict=False)
    ]
    return {
        "n_events": n_events,
        "rows": sum(rows.values()),
        "rows_by_table": rows,
        "csv_mb": round(size / 2**20, 1),
        "package": str(package),
        "tools": {tool: t.summary() for tool, t in timings.items()},
        "frictionless_over_validate_median": round(statistics.median(pairs), 1) if pairs else None,
    }


def check_targets(results: list[dict[str, Any]]) -> dict[str, Any]:
    by_n = {r["n_events"]: r for r in results}
    out: dict[str, Any] = {}

    def tool(n: int, name: str, what: str) -> float | None:
        return by_n[n]["tools"][name][what] if n in by_n else None

    speedup = by_n.get(100_000, {}).get("frictionless_over_validate_median")
    if speedup is not None:
        out["speedup_vs_frictionless_at_100k"] = {
            "value": speedup,
            "target": ">= 10",
            "met": speedup >= TARGETS["speedup_vs_frictionless_at_100k"],
        }
    for key, n, name, what, limit in (
        ("validate_seconds_at_1m", 1_000_000, "validate", "wall_median", "< 30 s"),
        ("validate_peak_mb_at_1m", 1_000_000, "validate", "peak_mb_max", "< 4096 MB"),
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
                f"| {r['n_events']:,} | {r['rows']:,} | {r['csv_mb']} | {t['tool']} | "
                + " | ".join(cells)
                + " |"
            )
        ratio = r["frictionless_over_validate_median"]
        if ratio is not None:
            lines.append(
                f"| {r['n_events']:,} | | | frictionless / validate, run by run (median) "
                f"| {ratio}x | | | | | |"
            )
    lines.append("")
    for key, t in targets.items():
        lines.append(
            f"- {key}: {t['value']} (target {t['target']}): {'met' if t['met'] else 'NOT met'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated event counts (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="counted runs per command")
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
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    args.workdir.mkdir(parents=True, exist_ok=True)

    results: list[dict[str, Any]] = []
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
