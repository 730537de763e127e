"""The `libya-events` command: a thin shell that parses arguments, calls the library, prints."""

from __future__ import annotations

import argparse
import os
import sys

from libya_events import _formats


def _add_validate(sub: argparse._SubParsersAction) -> None:
    """`libya-events validate [PATH]` (owned by the validator)."""
    p = sub.add_parser(
        "validate",
        help="check a data package: files, Table Schemas, record schemas, cross-table rules",
        description="Validate a data package and report every finding, with file, line and "
        "field. Exit status: 0 valid, 1 errors found, 2 the input cannot be read at all.",
    )
    p.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        default=None,
        help="a package directory or its datapackage.json (default: the current directory "
        "when it holds one, else the packaged data)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json (one object per finding), or github (workflow annotations)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing; use the exit status")
    p.add_argument(
        "--previous",
        metavar="OLD",
        default=None,
        help="the previous release (a directory or git:REV): report its ids that are missing "
        "without a retired_ids record",
    )
    p.set_defaults(func=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    # Before numpy is imported: its OpenBLAS starts a thread per core that spins for a while,
    # a third of the command's CPU time on a small package; validation does no linear algebra.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from libya_events.validate.arrow import forget_pandas, prefer_jemalloc

    forget_pandas()  # this process never needs pandas: a third of a second saved
    prefer_jemalloc()

    from libya_events.progress import Progress
    from libya_events.report import render
    from libya_events.validate import validate

    # On a terminal, a bar on stderr once validation has taken a second; never with --quiet.
    with Progress(0, "validating", enabled=False if args.quiet else None) as bar:
        report = validate(args.path, previous=args.previous, progress=bar)
    if not args.quiet:
        sys.stdout.write(render(report, args.format))
    return report.exit_code


def _add_diff(sub: argparse._SubParsersAction) -> None:
    """`libya-events diff OLD [NEW]` (owned by the release tooling)."""
    p = sub.add_parser(
        "diff",
        help="what changed between two releases, and the version bump it needs",
        description="Compare two data package directories (or git:REV, a revision of the "
        "repository holding the other one) table by table, by primary key.",
    )
    p.add_argument("old", metavar="OLD", help="the older package: a directory or git:REV")
    p.add_argument(
        "new", metavar="NEW", nargs="?", default=".", help="the newer package (default: .)"
    )
    p.add_argument("--format", choices=_formats.DIFF, default="text", help="output format")
    p.add_argument(
        "--check-bump",
        action="store_true",
        help="exit 1 when NEW's version is a smaller step from OLD's than the changes require",
    )
    p.set_defaults(func=_run_diff)


def _run_diff(args: argparse.Namespace) -> int:
    from libya_events.diff import diff
    from libya_events.errors import LibyaEventsError

    try:
        result = diff(args.old, args.new)
    except LibyaEventsError as exc:
        print(f"libya-events diff: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(result.render(args.format))
    if not args.check_bump:
        return 0
    ok, verdict = result.check_bump()
    print(verdict, file=sys.stderr)
    return 0 if ok else 1


def _add_export(sub: argparse._SubParsersAction) -> None:
    """`libya-events export --format F DEST` (owned by the release tooling)."""
    p = sub.add_parser(
        "export",
        help="write the package as SQLite, Parquet, Excel, JSON or a release zip",
        description="Write the whole data package, with its keys and types, for people who "
        "don't use Python. DEST is a file (a directory for parquet).",
    )
    p.add_argument("--format", choices=_formats.EXPORT, required=True, help="what to write")
    p.add_argument("dest", metavar="DEST", help="where to write it")
    p.add_argument(
        "--package", metavar="PATH", default=None, help="the package (default: the shipped one)"
    )
    p.add_argument("--force", action="store_true", help="replace DEST if it exists")
    p.set_defaults(func=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    from libya_events.errors import LibyaEventsError
    from libya_events.export import export

    try:
        written = export(args.package, args.format, args.dest, overwrite=args.force)
    except LibyaEventsError as exc:
        print(f"libya-events export: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {written} ({args.format})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="libya-events", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_validate(sub)
    _add_diff(sub)
    _add_export(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


def run() -> None:
    """The console script: `main`, then exit at once.

    Everything has been written by then; exiting without tearing the interpreter down spares
    freeing the validated columns one object at a time (about a twentieth of the run at
    100,000 events), memory the operating system takes back at once anyway.
    """
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
