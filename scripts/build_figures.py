"""Regenerate the figures the README shows: docs/figures/timeline.svg and network.svg.

They are drawn as the site's front and coverage pages draw them: the timeline from
`figures.focus_start` (the bulk of the events), the network of the pairs who met at least
`figures.readable_weight` times (at most 80 actors).

Run `python scripts/build_figures.py` after changing data/*.csv or libya_events/figures.py;
`python scripts/build_figures.py --check` exits 1 and names the stale figures instead.

Each SVG records, in its description, a digest of the rows it draws and of the code that drew
it (`libya_events.figures.digest`), so staleness is decided without comparing pixels, which
differ between matplotlib versions. Needs the site extra: pip install -e '.[site]'.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout: use this checkout's package
    sys.path.insert(0, str(ROOT))

from libya_events import figures  # noqa: E402
from libya_events.load import load  # noqa: E402

FOLDER = ROOT / "docs" / "figures"
_DIGEST = re.compile(r"data and code digest: ([0-9a-f]{64})")


def outputs(package: Path = ROOT) -> dict[Path, tuple[str, object]]:
    """Each figure file, the digest it must record, and a function drawing its SVG text."""
    ds = load(package)
    start = figures.focus_start(ds)
    weight = figures.readable_weight(ds)
    rows = figures.timeline_rows(ds, start=start)
    edges = figures.network_edges(ds, min_weight=weight)
    made = {}
    for name, frame, draw, alt in (
        ("timeline", rows, lambda: figures.timeline(ds, start=start), "Events over time"),
        ("network", edges, lambda: figures.network(ds, min_weight=weight), "Actors who met"),
    ):
        digest = figures.digest(frame)
        description = f"{alt}; data and code digest: {digest}"

        def svg(draw=draw, name=name, description=description) -> str:
            return figures.to_svg(draw(), title=name, description=description)

        made[FOLDER / f"{name}.svg"] = (digest, svg)
    return made


def recorded_digest(path: Path) -> str | None:
    """The digest an SVG written by this script records, or None."""
    if not path.is_file():
        return None
    found = _DIGEST.search(path.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def stale(package: Path = ROOT) -> list[Path]:
    return [p for p, (digest, _) in outputs(package).items() if recorded_digest(p) != digest]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale figures, write none")
    args = parser.parse_args(argv)
    if args.check:
        bad = stale()
        for path in bad:
            print(f"stale: {path.relative_to(ROOT)} (run python scripts/build_figures.py)")
        return int(bool(bad))
    FOLDER.mkdir(parents=True, exist_ok=True)
    for path, (_, svg) in outputs().items():
        path.write_text(svg(), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
