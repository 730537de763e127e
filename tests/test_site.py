"""`libya-events site`: what the built site holds, its links, its escaping, and the refusals.

These tests read the HTML with the standard library; tests/test_site_browser.py opens the same
site in Chromium.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from conftest import ROOT
from fixtures.packages import copy_package, set_cell
from fixtures.sites import site_with_title

import libya_events as le
from libya_events import figures
from libya_events.cli import main
from libya_events.errors import SiteError
from libya_events.names import LETTER_FOLDS
from libya_events.site import build
from libya_events.site.build import Site, page_name, records, when
from libya_events.testing.synthetic import write_synthetic


class Page(HTMLParser):
    """The links, sources, ids and title of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []  # <a href>
        self.loads: list[str] = []  # what the page loads: src, stylesheet hrefs
        self.ids: set[str] = set()
        self.duplicate_ids: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            if a["id"] in self.ids:
                self.duplicate_ids.append(str(a["id"]))
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "link" and a.get("href"):
            self.loads.append(str(a["href"]))
        if a.get("src"):
            self.loads.append(str(a["src"]))
        if tag == "img":
            self.images.append(a)
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def ds() -> le.Dataset:
    return le.load(ROOT)


def test_every_event_and_actor_has_a_page(site: Path, ds: le.Dataset) -> None:
    events = {p.stem for p in (site / "events").glob("*.html")}
    actors = {p.stem for p in (site / "actors").glob("*.html")}
    assert events == {page_name(e) for e in ds.events["event_id"]}
    assert actors == {page_name(a) for a in ds.actors["actor_id"]}
    event = ds.events.iloc[0]
    page = parse(site / "events" / f"{event['event_id']}.html")
    assert page.title.startswith(f"{event['title']} · ")


def test_the_site_has_its_list_pages_figures_and_downloads(site: Path, ds: le.Dataset) -> None:
    top = sorted(p.name for p in site.glob("*.html"))
    assert top == [
        "actors.html",
        "codebook.html",
        "coverage.html",
        "events.html",
        "index.html",
        "search.html",
        "sources.html",
        "statements.html",
    ]
    release = f"libya-events-{ds.version}"
    assert (site / "downloads" / f"{release}.zip").is_file()
    assert (site / "downloads" / "libya-events.sqlite").is_file()
    for name in ds.tables:
        shipped = (ROOT / "data" / f"{name}.csv").read_bytes()
        assert (site / "downloads" / release / "data" / f"{name}.csv").read_bytes() == shipped
    front = parse(site / "index.html")
    (timeline,) = [i for i in front.images if i["src"] == "figures/timeline.svg"]
    drawn = figures.timeline_rows(ds, start=figures.focus_start(ds))
    assert str(timeline["alt"]).startswith(f"Timeline of {len(drawn)} dated events from ")
    assert (site / "figures" / "timeline.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert (site / "figures" / "network.svg").is_file()


def _internal(href: str) -> bool:
    return not urlsplit(href).scheme and not href.startswith("//")


def test_every_internal_link_resolves_to_a_file_and_anchor(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    parsed = {p: parse(p) for p in pages}
    ids = {p: page.ids for p, page in parsed.items()}
    assert {p.name: page.duplicate_ids for p, page in parsed.items() if page.duplicate_ids} == {}
    broken = []
    checked = 0
    for page in pages:
        for href in parsed[page].links + parsed[page].loads:
            if not _internal(href):
                continue
            path, fragment = urldefrag(href)
            path = path.split("?", 1)[0]
            target = (page.parent / unquote(path)).resolve() if path else page
            checked += 1
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)}: {href}")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in ids[target]:
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    assert broken == []
    assert checked > 10 * len(pages)


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    outside = []
    for page in site.rglob("*.html"):
        parsed = parse(page)
        outside += [f"{page.name}: {src}" for src in parsed.loads if not _internal(src)]
        # every link is relative: the site keeps working when it moves
        outside += [
            f"{page.name}: {href}"
            for href in parsed.links
            if href.startswith("/") and not href.startswith("//")
        ]
    assert outside == []
    for css_or_js in (site / "static").iterdir():
        text = css_or_js.read_text(encoding="utf-8")
        assert not re.search(r"url\(|@import|https?://|fetch\(|XMLHttpRequest", text), css_or_js


def test_an_event_page_lists_its_sources_with_their_links(site: Path, ds: le.Dataset) -> None:
    links = ds.event_sources.groupby("event_id", observed=True).size()
    event_id = str(links.idxmax())
    event = ds.events.set_index("event_id").loc[event_id]
    html = (site / "events" / f"{event_id}.html").read_text(encoding="utf-8")
    cited = {
        event["source_id"],
        *ds.event_sources.loc[ds.event_sources["event_id"] == event_id, "source_id"],
    }
    sources = ds.sources.set_index("source_id")
    section = html.split('<section id="sources">', 1)[1].split("</section>", 1)[0]
    for source_id in cited:
        assert f'href="../sources.html#{source_id}"' in section
        url = sources.loc[source_id, "url"]
        if isinstance(url, str):
            assert f'href="{url}"' in section
    supports = ds.event_sources.loc[ds.event_sources["event_id"] == event_id, "supports"]
    for text in supports.dropna():
        assert text.replace("'", "&#39;") in section


def test_the_search_index_holds_every_event_actor_and_statement(site: Path, ds: le.Dataset) -> None:
    script, folds = (site / "static" / "search-index.js").read_text(encoding="utf-8").splitlines()
    prefix = "window.LIBYA_EVENTS_SEARCH = "
    assert script.startswith(prefix) and script.endswith(";")
    docs = json.loads(script[len(prefix) : -1])
    table = json.dumps(LETTER_FOLDS, separators=(",", ":"))
    assert folds == f"window.LIBYA_EVENTS_FOLDS = {table};"
    kinds = [d[0] for d in docs]
    assert kinds.count("event") == len(ds.events)
    assert kinds.count("actor") == len(ds.actors)
    assert kinds.count("statement") == len(ds.statements)
    first = ds.events.iloc[0]
    (doc,) = [d for d in docs if d[1] == f"events/{first['event_id']}.html"]
    assert doc[2] == first["title"]


def test_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    title = '<script>alert("x")</script> & <b>bold</b>'
    dest, event_id = site_with_title(tmp_path, title)
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    for page in [dest / "events" / f"{event_id}.html", dest / "events.html"]:
        html = page.read_text(encoding="utf-8")
        assert escaped in html
        assert "<script>alert" not in html and "<b>bold" not in html
    script = (dest / "static" / "search-index.js").read_text(encoding="utf-8")
    assert json.dumps(title, ensure_ascii=False) in script


def test_a_package_that_does_not_validate_is_refused_before_writing(tmp_path: Path) -> None:
    pkg = copy_package(tmp_path / "pkg")
    event_id = str(le.load(pkg).events.dropna(subset=["end_date"])["event_id"].iloc[0])
    line = set_cell(pkg, "events", ("event_id", event_id), "end_date", "1900-01-01")
    dest = tmp_path / "site"
    with pytest.raises(SiteError) as caught:
        build(dest, pkg)
    assert not dest.exists()
    assert [f.code for f in caught.value.report.findings] == ["date-order"]
    assert f"data/events.csv line {line}: end_date 1900-01-01 is before" in str(caught.value)
    assert list(tmp_path.iterdir()) == [pkg]  # no staging directory left behind


def test_an_existing_destination_is_replaced_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "old.txt").write_text("old", encoding="utf-8")
    with pytest.raises(SiteError, match="exists; choose another destination or pass --force"):
        build(dest, ROOT)
    assert [p.name for p in dest.iterdir()] == ["old.txt"]
    assert main(["site", str(dest), "--package", str(ROOT)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["site", str(dest), "--package", str(ROOT), "--force"]) == 0
    pages = len(list(dest.rglob("*.html")))
    assert capsys.readouterr().out.startswith(f"wrote {dest}: {pages} pages in ")
    assert not (dest / "old.txt").exists() and (dest / "index.html").is_file()


def test_the_command_exits_1_with_the_findings_for_an_invalid_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = copy_package(tmp_path / "pkg")
    (pkg / "data" / "actors.csv").write_text("actor_id\n", encoding="utf-8")
    assert main(["site", str(tmp_path / "site"), "--package", str(pkg)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("libya-events site: the package does not validate; nothing was written")
    assert "INVALID:" in err
    assert not (tmp_path / "site").exists()


def test_a_package_of_250_events_builds_in_seconds(tmp_path: Path) -> None:
    pkg = write_synthetic(tmp_path / "pkg", 250).path
    started = time.perf_counter()
    result = build(tmp_path / "site", pkg)
    assert time.perf_counter() - started < 30  # about 2 s here; generous for slow CI
    ds = le.load(pkg)
    assert result.pages == len(ds.events) + len(ds.actors) + 8


def test_a_column_and_a_table_the_site_does_not_know_are_still_shown(tmp_path: Path) -> None:
    """A new column (sources.reprinted_from) and a new table referring to actors, with
    Arabic text, appear on the pages without a change to the site."""
    pkg = copy_package(tmp_path / "pkg")
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    actor_id = str(le.load(pkg).actors["actor_id"].iloc[0])
    schema = {
        "description": "Epithets of an actor, in any language and script.",
        "fields": [
            {"name": "actor_id", "type": "string", "description": "The actor.",
             "constraints": {"required": True}},
            {"name": "language", "type": "string", "description": "BCP 47 language tag.",
             "constraints": {"required": True}},
            {"name": "name", "type": "string", "description": "The name as written.",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["actor_id", "language"],
        "foreignKeys": [
            {"fields": ["actor_id"], "reference": {"resource": "actors", "fields": ["actor_id"]}}
        ],
    }  # fmt: skip
    (pkg / "schemas" / "actor_epithets.table.json").write_text(json.dumps(schema), encoding="utf-8")
    resource = dict(
        descriptor["resources"][1], name="actor_epithets", path="data/actor_epithets.csv"
    )
    resource.update(schema="schemas/actor_epithets.table.json", title="Actor epithets")
    descriptor["resources"].append(resource)
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    arabic = "خليفة حفتر"
    (pkg / "data" / "actor_epithets.csv").write_text(
        f"actor_id,language,name\n{actor_id},ar,{arabic}\n", encoding="utf-8"
    )
    record = {
        "type": "object",
        "properties": {k["name"]: {"type": "string"} for k in schema["fields"]},
    }
    (pkg / "schemas" / "actor_epithets.record.json").write_text(
        json.dumps(record), encoding="utf-8"
    )
    source_id = _add_column(pkg, "sources", "publisher", "reprinted_from", "Agence X")
    build(tmp_path / "site", pkg)
    html = (tmp_path / "site" / "actors" / f"{actor_id}.html").read_text(encoding="utf-8")
    assert "<h2>Actor epithets</h2>" in html
    assert f'<dd dir="auto">{arabic}</dd>' in html
    assert "actor_epithets" in (tmp_path / "site" / "codebook.html").read_text(encoding="utf-8")
    sources = (tmp_path / "site" / "sources.html").read_text(encoding="utf-8")
    entry = sources.split(f'<li id="{source_id}">', 1)[1].split("</li>", 1)[0]
    assert '<dt title="Who first published it.">reprinted from</dt>' in entry
    assert '<dd dir="auto">Agence X</dd>' in entry


def _add_column(pkg: Path, table: str, after: str, name: str, value: str) -> str:
    """Add an optional text column ``name`` after ``after``, set in the first row only;
    that row's key."""
    schema = json.loads((pkg / "schemas" / f"{table}.table.json").read_text(encoding="utf-8"))
    at = [f["name"] for f in schema["fields"]].index(after) + 1
    field = {"name": name, "type": "string", "description": "Who first published it."}
    schema["fields"].insert(at, field)
    (pkg / "schemas" / f"{table}.table.json").write_text(json.dumps(schema), encoding="utf-8")
    record_path = pkg / "schemas" / f"{table}.record.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["properties"][name] = {"type": "string", "minLength": 1}
    record_path.write_text(json.dumps(record), encoding="utf-8")
    with (pkg / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for number, row in enumerate(rows):
        row.insert(at, name if number == 0 else value if number == 1 else "")
    with (pkg / "data" / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return rows[1][0]


@pytest.mark.parametrize(
    ("start", "end", "precision", "text"),
    [
        ("2020-01-19", "2020-01-19", "day", "19 January 2020"),
        ("2020-02-03", "2020-02-08", "day", "3 February 2020 to 8 February 2020"),
        ("2020-06-06", "2020-06-07", "range", "between 6 June 2020 and 7 June 2020"),
        ("2020-06-01", "2020-06-30", "month", "June 2020"),
        ("2020-01-01", "2020-12-31", "year", "2020"),
        ("2019-04-04", None, "day", "from 4 April 2019, no end date"),
        (None, None, "unknown", "date unknown"),
    ],
)
def test_dates_are_written_as_precisely_as_they_are_known(
    start: str | None, end: str | None, precision: str, text: str
) -> None:
    day = lambda s: None if s is None else dt.date.fromisoformat(s)  # noqa: E731
    assert when(day(start), day(end), precision) == text


def test_an_id_that_is_not_a_safe_file_name_gets_a_stable_one() -> None:
    assert page_name("berlin-conference-2020-01-19") == "berlin-conference-2020-01-19"
    assert page_name("../etc/passwd") == page_name("../etc/passwd")
    assert re.fullmatch(r"id-[0-9a-f]{16}", page_name("../etc/passwd"))


def test_without_the_site_extra_the_build_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 now raises ImportError
    with pytest.raises(
        SiteError, match=r"^the site needs jinja2: pip install 'libya-events\[site\]'$"
    ):
        build(tmp_path / "site", ROOT)
    assert list(tmp_path.iterdir()) == []


def test_the_pages_list_what_the_queries_give(ds: le.Dataset) -> None:
    """The site groups events and statements once for all pages; the same rows as the queries."""
    from libya_events.snapshot import read_package

    site = Site(ds, read_package(ROOT))
    for actor in ds.actors["actor_id"]:
        assert site._grouped["events_with"][actor] == records(ds.events_with(actor))
        assert site._grouped["statements_by"][actor] == records(ds.statements_by(actor))
    for event in ds.events["event_id"]:
        assert site._grouped["statements_about"][event] == records(ds.statements_about(event))


def test_an_actor_shows_its_native_name_beside_the_english_one(site: Path, ds: le.Dataset) -> None:
    native = ds.actor_names[ds.actor_names["kind"] == "native"]
    for actor_id, rows in native.groupby("actor_id", observed=True):
        html = (site / "actors" / f"{actor_id}.html").read_text(encoding="utf-8")
        heading = html[html.index("<h1") : html.index("</h1>")]
        for _, n in rows.iterrows():
            assert f'<span class="native" lang="{n["language"]}" dir="auto">{n["name"]}</span>' in (
                heading
            ), actor_id
    haftar = (site / "actors.html").read_text(encoding="utf-8")
    assert '<span class="native" lang="ar" dir="auto">خليفة حفتر</span>' in haftar


def test_the_coverage_page_shows_the_release_figures_of_the_codebook(site: Path) -> None:
    from libya_events.coverage import coverage
    from libya_events.snapshot import read_package

    release = coverage(read_package(ROOT))
    html = (site / "coverage.html").read_text(encoding="utf-8")
    share = f"{100 * release.corroborated_share:.0f}%"
    assert (
        f"{release.events} events from {release.first_date} to {release.last_date}. "
        f"{len(release.corroborated)} ({share}) cite two or more distinct publishers, "
        f"{len(release.single_source)} rest on one."
    ) in html
    single = html[html.index("<h3>Single-source events</h3>") : html.index("<h3>Recorded")]
    assert re.findall(r'href="events/([^"]+)\.html"', single) == sorted(release.single_source)
    disputed = html[html.index("<h3>Recorded disagreements</h3>") : html.index("</section>")]
    assert re.findall(r'href="events/([^"]+)\.html"', disputed) == sorted(release.disagreements)
