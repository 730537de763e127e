"""Measure the choices behind the figures and the site search (docs/figures.md).

Figures: matplotlib against Altair (Vega-Lite) rendered offline by vl-convert: import time in a
fresh interpreter, time to draw the same timeline and write it as SVG, the SVG's size, and the
installed size of each stack. Search: Pagefind (the pip package ships its binary) against the
site's own index: build time, what it adds to the site, and whether a search returns results
when the site is opened from file:// and from a local web server (in Chromium, if present).

    python benchmarks/bench_site.py [--events 250] [--no-browser]

Needs the site extra, plus ``altair vl-convert-python pagefind[bin]`` for the alternatives.
Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import libya_events as le  # noqa: E402
from libya_events import figures  # noqa: E402
from libya_events.site import build  # noqa: E402
from libya_events.testing.synthetic import write_synthetic  # noqa: E402


def import_seconds(modules: str) -> float:
    """Best of three: seconds to import ``modules`` in a fresh interpreter."""
    code = f"import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(3)
    ]
    return min(runs)


def installed_mb(*packages: str) -> float:
    total = 0
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            folder = Path(next(iter(spec.submodule_search_locations)))
            total += sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return total / 1e6


def best_of(run: Callable[[], object], times: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def altair_timeline_svg(ds: le.Dataset) -> str:
    """The same timeline as Vega-Lite: bars for ranges, diamonds for single days."""
    import altair as alt
    import vl_convert as vlc

    rows = figures.timeline_rows(ds)
    rows = rows.assign(
        start=rows["start"].dt.strftime("%Y-%m-%d"),
        end=(rows["end"] + __import__("pandas").Timedelta("1D")).dt.strftime("%Y-%m-%d"),
        kind=rows["kind"].astype(str),
        status=rows["status"].astype(str),
        single=(rows["start"] == rows["end"]) & ~rows["open_ended"],
    )
    base = alt.Chart(rows).encode(
        y=alt.Y("kind:N", sort=list(ds.events["kind"].cat.categories)),
        yOffset="lane:O",
        color="status:N",
        tooltip=["title", "start", "end"],
    )
    bars = base.transform_filter("!datum.single").mark_bar().encode(x="start:T", x2="end:T")
    days = base.transform_filter("datum.single").mark_point(shape="diamond").encode(x="start:T")
    chart = (bars + days).properties(width=700)
    return vlc.vegalite_to_svg(chart.to_json())


def matplotlib_timeline_svg(ds: le.Dataset) -> str:
    return figures.to_svg(figures.timeline(ds))


def figure_table(packages: dict[str, le.Dataset]) -> list[str]:
    has_altair = bool(importlib.util.find_spec("altair") and importlib.util.find_spec("vl_convert"))
    out = [
        "| stack | import (s) | installed (MB) | "
        + " | ".join(f"timeline SVG, {n}: s / KB" for n in packages)
        + " |",
        "|---|---:|---:|" + "---:|" * len(packages),
    ]
    stacks = [("matplotlib + networkx", "matplotlib.pyplot, networkx", matplotlib_timeline_svg)]
    if has_altair:
        stacks.append(("altair + vl-convert", "altair, vl_convert", altair_timeline_svg))
    sizes = {
        "matplotlib + networkx": installed_mb("matplotlib", "networkx"),
        "altair + vl-convert": installed_mb("altair", "vl_convert", "jsonschema", "narwhals"),
    }
    for name, modules, draw in stacks:
        cells = []
        for ds in packages.values():
            draw(ds)  # warm up: the first call pays for imports and font caches
            seconds, svg = best_of(lambda ds=ds, draw=draw: draw(ds))
            cells.append(f"{seconds:.2f} / {len(str(svg).encode()) / 1000:.0f}")
        out.append(
            f"| {name} | {import_seconds(modules):.2f} | {sizes[name]:.0f} | "
            + " | ".join(cells)
            + " |"
        )
    return out


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


PAGEFIND_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="pagefind/pagefind-ui.js"></script></head><body><div id="search"></div>
<script>new PagefindUI({element: "#search"});</script></body></html>"""


def search_hits(url: str, query: str, own: bool) -> str:
    """How many results a search for ``query`` shows at ``url`` in Chromium (or the error)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        if own:
            page.goto(f"{url}/search.html?q={query}")
            found = page.locator("#search-results li").count()
        else:
            page.goto(f"{url}/pagefind-test.html")
            page.fill("#search input", query)
            page.wait_for_timeout(2000)
            found = page.locator(".pagefind-ui__result").count()
        browser.close()
    return f"{found} results" + (f" (error: {errors[0][:60]})" if errors and not found else "")


def search_table(site: Path, query: str, browser: bool) -> list[str]:
    own = site / "static" / "search-index.js"
    out = [
        "| search | build (s) | adds to the site | file:// | http:// |",
        "|---|---:|---:|---|---|",
    ]
    started = time.perf_counter()
    build(site.parent / "again", site.parent / "pkg")
    own_row = [
        "own index (static/search-index.js + search.js)",
        f"{time.perf_counter() - started:.2f} (whole site)",
        f"{(own.stat().st_size + (site / 'static' / 'search.js').stat().st_size) / 1000:.0f} KB",
    ]
    rows = [own_row]
    if importlib.util.find_spec("pagefind_bin"):
        (site / "pagefind-test.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site)], capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        bundle = site / "pagefind"
        size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file()) / 1000
        files = sum(1 for p in bundle.rglob("*") if p.is_file())
        ok = "" if done.returncode == 0 else f" (exit {done.returncode})"
        rows.append(
            [
                f"Pagefind {_pagefind_version()}{ok}",
                f"{seconds:.2f}",
                f"{size:.0f} KB in {files} files",
            ]
        )
    for row, own_search in zip(rows, (True, False), strict=False):
        if browser and shutil.which("chromium"):
            with served(site) as http_url:
                row += [
                    search_hits(site.as_uri(), query, own_search),
                    search_hits(http_url, query, own_search),
                ]
        else:
            row += ["not measured", "not measured"]
        out.append("| " + " | ".join(row) + " |")
    return out


def _pagefind_version() -> str:
    from importlib.metadata import version

    return version("pagefind_bin")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=250, help="events in the synthetic package")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium searches")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pkg = write_synthetic(work / "pkg", args.events).path
        packages = {"shipped": le.load(ROOT), f"{args.events} events": le.load(pkg)}
        print(f"## Figures (Python {sys.version.split()[0]})\n")
        print("\n".join(figure_table(packages)))
        site = work / "site"
        started = time.perf_counter()
        build(site, pkg)
        print(
            f"\n## Site of {args.events} events: built in {time.perf_counter() - started:.2f} s\n"
        )
        title_word = str(packages[f"{args.events} events"].events["title"].iloc[0]).split()[0]
        print("\n".join(search_table(site, title_word.lower(), not args.no_browser)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
