"""The `libya-events` command: a thin shell that parses arguments, calls the library, prints."""

from __future__ import annotations

import argparse
import sys


def _add_validate(sub: argparse._SubParsersAction) -> None:
    """`libya-events validate [PATH]` (owned by the validator)."""


def _add_diff(sub: argparse._SubParsersAction) -> None:
    """`libya-events diff OLD NEW` (owned by the release tooling)."""


def _add_export(sub: argparse._SubParsersAction) -> None:
    """`libya-events export --format F DEST` (owned by the release tooling)."""


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


if __name__ == "__main__":
    sys.exit(main())
