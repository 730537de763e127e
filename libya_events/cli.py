"""The `libya-events` command: a thin shell that parses arguments, calls the library, prints."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

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
    _destination_arguments(p, "where to write it")
    p.set_defaults(func=_run_export)


def _destination_arguments(p: argparse.ArgumentParser, dest_help: str) -> None:
    """DEST, --package and --force, as every command that writes the package somewhere takes."""
    p.add_argument("dest", metavar="DEST", help=dest_help)
    p.add_argument(
        "--package", metavar="PATH", default=None, help="the package (default: the shipped one)"
    )
    p.add_argument("--force", action="store_true", help="replace DEST if it exists")


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


def _add_add(sub: argparse._SubParsersAction) -> None:
    """`libya-events add FILE` and `libya-events new event` (owned by contributions)."""
    p = sub.add_parser(
        "add",
        help="add the rows of a contribution file (YAML or JSON) to the package",
        description="Validate the package, merge the contribution's rows in key order, validate "
        "the result, and write only when there is no error. Exit status: 0 added (or nothing "
        "to add), 1 findings (nothing written), 2 the contribution or package cannot be read.",
    )
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument(
        "file", metavar="FILE", nargs="?", help="the contribution: {table: [{column: value}]}"
    )
    given.add_argument(
        "--from-issue-body",
        metavar="BODY",
        help="read the contribution from the body of an issue written with the add-event form",
    )
    given.add_argument(
        "--template", action="store_true", help="print a commented contribution file and exit"
    )
    p.add_argument("--package", metavar="PATH", default=None, help="the package (default: .)")
    p.add_argument(
        "--dry-run", action="store_true", help="print what would change (the diff); write nothing"
    )
    p.set_defaults(func=_run_add)
    new = sub.add_parser(
        "new",
        help="print a commented contribution file to fill in",
        description="Print a contribution file for `libya-events add`, every column described "
        "and every vocabulary listed, taken from the package's Table Schemas.",
    )
    new.add_argument("what", choices=("event",), help="what the contribution adds")
    new.add_argument(
        "--package",
        metavar="PATH",
        default=None,
        help="the package whose schemas to follow (default: ., else the shipped one)",
    )
    new.set_defaults(func=_run_new)


def _run_add(args: argparse.Namespace) -> int:
    from libya_events import add
    from libya_events.errors import LibyaEventsError
    from libya_events.snapshot import read_package

    try:
        if args.template:
            sys.stdout.write(add.template(read_package(_template_package(args.package))))
            return 0
        if args.from_issue_body is not None:
            snapshot = read_package(add.package_root(args.package))
            body = _read_text(args.from_issue_body)
            contribution = add.contribution_from_issue_body(body, snapshot, args.from_issue_body)
        else:
            contribution = add.read_contribution(args.file)
        result = add.add(contribution, args.package, dry_run=args.dry_run)
    except LibyaEventsError as exc:
        print(f"libya-events add: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(result.render())
    return result.exit_code


def _read_text(path: str) -> str:
    from libya_events.errors import ContributionError

    try:
        return sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ContributionError(f"cannot read it: {exc}", path) from None


def _template_package(path: str | None) -> Path:
    """The package whose schemas a template lists: PATH, or ., or the shipped one."""
    from libya_events._paths import DESCRIPTOR, packaged_root
    from libya_events.add import package_root

    if path is None and not Path(DESCRIPTOR).is_file():
        return packaged_root()
    return package_root(path)


def _run_new(args: argparse.Namespace) -> int:
    args.template = True
    return _run_add(args)


def _add_site(sub: argparse._SubParsersAction) -> None:
    """`libya-events site DEST` (owned by the site builder, libya_events.site)."""
    p = sub.add_parser(
        "site",
        help="build a static, searchable website of the package",
        description="Write a static site of the data package to the directory DEST: a page "
        "per event and actor, lists, the codebook, coverage, figures, downloads and an "
        "in-browser search. It works from file:// and on GitHub Pages and loads nothing from "
        "another host. A package that does not validate is refused. Needs "
        "pip install 'libya-events[site]'.",
    )
    _destination_arguments(p, "the directory to write")
    p.set_defaults(func=_run_site)


def _run_site(args: argparse.Namespace) -> int:
    from libya_events.errors import LibyaEventsError
    from libya_events.site import build

    try:
        result = build(args.dest, args.package, overwrite=args.force)
    except LibyaEventsError as exc:
        print(f"libya-events site: {exc}", file=sys.stderr)
        return 1 if getattr(exc, "report", None) is not None else 2
    print(f"wrote {result.dest}: {result.pages} pages in {result.seconds:.1f} s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="libya-events", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_validate(sub)
    _add_diff(sub)
    _add_export(sub)
    _add_add(sub)
    _add_site(sub)
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
