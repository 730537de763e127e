"""Build the site: validate, load, render every page with Jinja2 into a staging directory, then
move it onto DEST.

What is read from where: rows from `libya_events.load` (typed, then turned into plain Python
values here), questions from `libya_events.queries` (through the `Dataset`), field lists,
descriptions, vocabularies and foreign keys from the Table Schemas. A column or table this
module does not know is still shown: every page ends with the row's other fields, and rows of
any other table that refer to an event or actor are listed on its page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libya_events.coverage import coverage
from libya_events.errors import SiteError
from libya_events.names import LETTER_FOLDS

if TYPE_CHECKING:
    import pandas as pd

    from libya_events.load import Dataset
    from libya_events.snapshot import Snapshot

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")
_EXTRA_HINT = "pip install 'libya-events[site]'"
#: Tables with a page per row, and where that page is.
PAGE_DIRS = {"events": "events", "actors": "actors"}
#: Tables listed on one page, each row an anchor of it.
LIST_PAGES = {"statements": "statements.html", "sources": "sources.html"}
#: Tables whose rows the event and actor pages show in their own sections.
SHOWN_ON_PAGES = {"event_actors", "event_links", "event_sources", "statements", "affiliations"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: DEST, how many HTML pages, how long it took, the findings' warnings."""

    dest: Path
    pages: int
    seconds: float
    warnings: int


def _require_extra() -> None:
    missing = []
    for module in ("jinja2", "matplotlib", "networkx"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise SiteError(f"the site needs {', '.join(missing)}: {_EXTRA_HINT}")


def build(
    dest: str | Path, package: str | Path | None = None, *, overwrite: bool = False
) -> BuildResult:
    """Write the site of ``package`` (a directory or its ``datapackage.json``; None: the shipped
    package) to the directory ``dest``.

    Raises `SiteError` before anything is written when ``dest`` exists and ``overwrite`` is
    false, or when the package does not validate (the report is on the error). A failed build
    leaves nothing behind; an existing ``dest`` is replaced only once the new site is complete.
    """
    from libya_events._paths import packaged_root
    from libya_events.export import _staged
    from libya_events.load import load
    from libya_events.report import render_text
    from libya_events.snapshot import read_package
    from libya_events.validate import validate

    started = time.perf_counter()
    _require_extra()
    target = Path(dest)
    if (target.exists() or target.is_symlink()) and not overwrite:
        raise SiteError(f"{target} exists; choose another destination or pass --force")
    if not target.parent.is_dir():
        raise SiteError(f"{target.parent}: no such directory")
    root = packaged_root() if package is None else Path(package)
    report = validate(root)
    if not report.valid:
        raise SiteError(
            f"the package does not validate; nothing was written\n{render_text(report)}", report
        )
    if root.is_file():
        root = root.parent
    ds = load(root)
    snapshot = read_package(root)
    with _staged(target) as staging:
        pages = Site(ds, snapshot).write(staging)
    warnings = int(report.stats["warnings"])
    return BuildResult(target, pages, time.perf_counter() - started, warnings)


# --- plain values -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A cell as a plain Python value: None for missing, a date for a timestamp, else str/number."""
    import pandas as pd

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of plain values, in order."""
    columns = list(frame.columns)
    return [
        {c: _plain(v) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def page_name(key: str) -> str:
    """The file name (without ``.html``) and anchor of an id: the id itself when it is a safe
    name (as the schemas' slug patterns make it), else a stable hash of it."""
    if _SAFE_NAME.match(key):
        return key
    return "id-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def day_text(day: dt.date, precision: str = "day") -> str:
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def when(start: dt.date | None, end: dt.date | None, precision: str | None) -> str:
    """An event's dates in words, as precisely as they are known.

    ``day``: the day, or first and last day; ``range``: somewhere between two days; ``month``
    and ``year``: the month or year; no end date: from the start on; no date: unknown.
    """
    if start is None:
        return "date unknown"
    if end is None:
        return f"from {day_text(start, precision or 'day')}, no end date"
    if precision in ("month", "year"):
        first, last = day_text(start, precision), day_text(end, precision)
        return first if first == last else f"{first} to {last}"
    if start == end:
        return day_text(start)
    span = f"{day_text(start)} to {day_text(end)}"
    if precision == "range":
        return f"between {day_text(start)} and {day_text(end)}"
    return span


def plural(count: int, noun: str) -> str:
    """``1 event``, ``2 events``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


# --- the site ---------------------------------------------------------------------------------


class Site:
    """One build: the package's rows as plain values, its links, and the pages to write."""

    def __init__(self, ds: Dataset, snapshot: Snapshot):
        self.ds = ds
        self.snapshot = snapshot
        self.frames = {name: ds[name] for name in ds.tables}
        self.rows = {name: records(frame) for name, frame in self.frames.items()}
        self.schemas = {name: ds.schema(name) for name in ds.tables}
        self.keys = {name: self._key(name) for name in ds.tables}
        self.by_id = {
            name: {row[key]: row for row in self.rows[name]}
            for name, key in self.keys.items()
            if key is not None
        }
        self.foreign = {name: self._foreign(name) for name in ds.tables}
        self.env = self._environment()
        self._grouped = self._group()

    def _group(self) -> dict[str, dict[Any, list[dict[str, Any]]]]:
        """What the event and actor pages list, each computed once for every page: the events
        of each actor (as `queries.events_with` gives them), the statements of each speaker
        and those at or about each event (by date, then id)."""
        from libya_events import queries

        taking_part = self.frames["event_actors"][
            ["event_id", "actor_id", "role", "affiliation_id"]
        ]
        joined = self.frames["events"].merge(taking_part, on="event_id", how="inner")
        grouped: dict[str, dict[Any, list[dict[str, Any]]]] = {
            "events_with": defaultdict(list),
            "statements_by": defaultdict(list),
            "statements_about": defaultdict(list),
        }
        for row in records(queries._sorted(joined, ["start_date", "event_id", "role"])):
            grouped["events_with"][row.pop("actor_id")].append(row)
        by_date = queries._sorted(self.frames["statements"], ["date", "statement_id"])
        for row in records(by_date):
            grouped["statements_by"][row.get("speaker_id")].append(row)
            for event in dict.fromkeys((row.get("event_id"), row.get("about_event_id"))):
                if event is not None:
                    grouped["statements_about"][event].append(row)
        return grouped

    # -- schema facts -----------------------------------------------------------------------

    def _key(self, table: str) -> str | None:
        pk = self.schemas[table].get("primaryKey")
        pk = [pk] if isinstance(pk, str) else pk or []
        return pk[0] if len(pk) == 1 else None

    def _foreign(self, table: str) -> dict[str, str]:
        """Field -> the table a single-field foreign key of ``table`` points to."""
        out = {}
        for fk in self.schemas[table].get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            if len(fields) == 1:
                out[fields[0]] = fk["reference"].get("resource") or table
        return out

    def fields(self, table: str) -> list[dict[str, Any]]:
        return list(self.schemas.get(table, {}).get("fields", []))

    def field(self, table: str, name: str) -> dict[str, Any]:
        return next((f for f in self.fields(table) if f["name"] == name), {})

    def vocabulary(self, table: str, name: str) -> list[dict[str, str]]:
        """The declared values of a field with their meanings (``value``, ``label``)."""
        f = self.field(table, name)
        labels = {c["value"]: c.get("label", "") for c in f.get("categories", [])}
        values = f.get("constraints", {}).get("enum") or list(labels)
        return [{"value": v, "label": labels.get(v, "")} for v in values]

    def meaning(self, table: str, name: str, value: Any) -> str:
        for item in self.vocabulary(table, name):
            if item["value"] == value:
                return item["label"]
        return ""

    def has(self, table: str, name: str) -> bool:
        return table in self.rows and any(f["name"] == name for f in self.fields(table))

    # -- links --------------------------------------------------------------------------------

    def url(self, table: str, key: Any) -> str | None:
        """The site path (from its root) of a row's page or anchor; None when it has none."""
        if key is None or key not in self.by_id.get(table, {}):
            return None
        name = page_name(str(key))
        if table in PAGE_DIRS:
            return f"{PAGE_DIRS[table]}/{name}.html"
        if table in LIST_PAGES:
            return f"{LIST_PAGES[table]}#{name}"
        if table == "affiliations":
            actor = self.by_id[table][key].get("actor_id")
            page = self.url("actors", actor)
            return f"{page}#{name}" if page else None
        return None

    def label(self, table: str, key: Any) -> str:
        """How a row is named in a link: an event's title, an actor's name, a source's
        publisher and title; else its id."""
        row = self.by_id.get(table, {}).get(key)
        if row is None:
            return "" if key is None else str(key)
        if table == "events":
            return str(row.get("title") or key)
        if table == "actors":
            return str(row.get("name") or key)
        if table == "sources":
            parts = [row.get("publisher"), row.get("title")]
            return ": ".join(str(p) for p in parts if p) or str(key)
        if table == "affiliations":
            org = self.label("actors", row.get("organization_id"))
            return ", ".join(str(p) for p in (row.get("role"), org) if p) or str(key)
        return str(key)

    def details(self, table: str, row: dict[str, Any], skip: Iterable[str] = ()) -> list[dict]:
        """Every other non-empty field of ``row`` in schema order, as the generic
        "more about this row" list: name, description, text, link."""
        out = []
        left_out = set(skip)
        for f in self.fields(table):
            value = row.get(f["name"])
            if f["name"] in left_out or value is None:
                continue
            target = self.foreign[table].get(f["name"])
            text = iso(value) if isinstance(value, dt.date) else str(value)
            link = self.url(target, value) if target else None
            if target and link:
                text = self.label(target, value)
            out.append(
                {
                    "name": f.get("title") or f["name"].replace("_", " "),
                    "description": f.get("description", ""),
                    "text": text,
                    "link": link,
                    "url": text if f.get("format") == "uri" else None,
                }
            )
        return out

    def referring(self, target: str, key: Any) -> list[dict[str, Any]]:
        """Rows of tables not shown elsewhere (``SHOWN_ON_PAGES``) that refer to ``key`` of
        ``target``: a section per table, each row with its fields."""
        out = []
        for table, links in self.foreign.items():
            if table in SHOWN_ON_PAGES or table == target and table in PAGE_DIRS:
                continue
            fields = [name for name, to in links.items() if to == target]
            rows = [r for r in self.rows[table] if any(r.get(f) == key for f in fields)]
            if rows:
                out.append(
                    {
                        "table": table,
                        "description": self.schemas[table].get("description", ""),
                        "rows": [self.details(table, r, skip=fields) for r in rows],
                    }
                )
        return out

    # -- rendering ----------------------------------------------------------------------------

    def _environment(self) -> Any:
        import jinja2

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.globals.update(
            url=self.url,
            label=self.label,
            when=when,
            iso=iso,
            meaning=self.meaning,
            more=self.details,
            anchor=page_name,
            site_title=self.ds.descriptor.get("title", self.ds.descriptor.get("name", "")),
            version=self.ds.version or "",
        )
        return env

    def render(self, out: Path, path: str, template: str, **context: Any) -> None:
        """Render ``template`` to ``out/path``; ``root`` is the way back to the site's root."""
        root = "../" * path.count("/")
        html = self.env.get_template(template).render(root=root, path=path, **context)
        file = out / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(html, encoding="utf-8")

    def write(self, out: Path) -> int:
        """Write the whole site into the new directory ``out``; the number of HTML pages."""
        out.mkdir(parents=True)
        shutil.copytree(STATIC, out / "static")
        (out / ".nojekyll").write_text("", encoding="utf-8")
        downloads = self._downloads(out)
        figures = self._figures(out)
        pages = 0
        for event in self.rows["events"]:
            self.render(
                out, self.url("events", event["event_id"]), "event.html", **self.event(event)
            )
            pages += 1
        for actor in self.rows["actors"]:
            self.render(
                out, self.url("actors", actor["actor_id"]), "actor.html", **self.actor(actor)
            )
            pages += 1
        counts = {name: len(rows) for name, rows in self.rows.items()}
        common = {"counts": counts, "figures": figures}
        lists = {
            "index.html": ("index.html", self.front(downloads)),
            "events.html": ("events.html", self.event_list()),
            "actors.html": ("actors.html", self.actor_list()),
            "statements.html": ("statements.html", self.statement_list()),
            "sources.html": ("sources.html", self.source_list()),
            "coverage.html": ("coverage.html", self.coverage()),
            "codebook.html": ("codebook.html", self.codebook()),
            "search.html": ("search.html", {}),
        }
        for path, (template, context) in lists.items():
            self.render(out, path, template, **common, **context)
            pages += 1
        self._search_index(out)
        return pages

    # -- files besides the pages --------------------------------------------------------------

    def _downloads(self, out: Path) -> list[dict[str, str]]:
        """The package's files, the release zip and the SQLite database, under downloads/."""
        from libya_events.export import export, release_files, release_name

        folder = out / "downloads"
        package = folder / release_name(self.snapshot)
        for name, data in release_files(self.snapshot).items():
            (package / name).parent.mkdir(parents=True, exist_ok=True)
            (package / name).write_bytes(data)
        base = f"downloads/{package.name}"
        zip_name = f"{package.name}.zip"
        export(self.snapshot.root, "zip", folder / zip_name)
        export(self.snapshot.root, "sqlite", folder / "libya-events.sqlite")
        items = [
            {"href": f"downloads/{zip_name}", "what": "the release archive (zip)"},
            {"href": "downloads/libya-events.sqlite", "what": "SQLite database, with keys"},
            {"href": f"{base}/datapackage.json", "what": "the Frictionless descriptor"},
        ]
        for resource in self.ds.descriptor.get("resources", []):
            if (package / str(resource.get("path", ""))).is_file():
                items.append(
                    {"href": f"{base}/{resource['path']}", "what": f"{resource['name']} (CSV)"}
                )
        if (package / "docs" / "codebook.md").is_file():
            items.append({"href": f"{base}/docs/codebook.md", "what": "the codebook (Markdown)"})
        return items

    def _figures(self, out: Path) -> dict[str, dict[str, str]]:
        """The timeline and network figures as SVG files, with their alt text."""
        from libya_events import figures

        folder = out / "figures"
        folder.mkdir()
        made: dict[str, dict[str, str]] = {}
        focus = figures.focus_start(self.ds)
        undated = figures.undated_count(self.ds)
        drawn = (
            [("timeline_all", None)]
            if focus is None
            else [("timeline", focus), ("timeline_all", None)]
        )
        for name, start in drawn:
            rows = figures.timeline_rows(self.ds, start=start)
            span = f" from {iso(_plain(rows['start'].min()))} to {iso(_plain(rows['end'].max()))}"
            left_out = [
                f"{plural(len(self.rows['events']) - len(rows) - undated, 'event')} over before "
                f"{iso(_plain(start))} are drawn in the full timeline on the coverage page"
                if start is not None
                else "",
                f"{plural(undated, 'undated event')} not drawn" if undated else "",
            ]
            alt = (
                f"Timeline of {len(rows)} dated events{span if len(rows) else ''}, one band per "
                "kind of event; a date range is a bar, a single day a diamond, colours are "
                "statuses" + "".join(f"; {note}" for note in left_out if note) + ". Every event "
                "is listed on the events page."
            )
            fig = figures.timeline(self.ds, start=start)
            file = "timeline" if start is not None or focus is None else "timeline-all"
            made[name] = self._svg(folder, file, fig, alt)
        made.setdefault("timeline", made["timeline_all"])
        weight = figures.readable_weight(self.ds)
        edges = figures.network_edges(self.ds, min_weight=weight)
        network_alt = (
            f"Network of {len(set(edges['source']) | set(edges['target']))} actors linked by "
            f"{len(edges)} pairs who took part in at least {plural(weight, 'event')} together; "
            "the actors page lists every actor."
        )
        fig = figures.network(self.ds, min_weight=weight)
        made["network"] = self._svg(folder, "network", fig, network_alt)
        return made

    @staticmethod
    def _svg(folder: Path, name: str, fig: Any, alt: str) -> dict[str, str]:
        from libya_events import figures

        svg = figures.to_svg(fig, title=name, description=alt)
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
        return {"src": f"figures/{name}.svg", "alt": alt}

    def _search_index(self, out: Path) -> None:
        """static/search-index.js: every event, actor and statement as a search document,
        set on ``window`` by a script tag (a fetch of JSON fails from file://)."""
        docs = []
        people = defaultdict(list)
        for row in self.rows["event_actors"]:
            people[row["event_id"]].append(self.label("actors", row["actor_id"]))
        for e in self.rows["events"]:
            meta = [when(e.get("start_date"), e.get("end_date"), e.get("date_precision"))]
            meta += [str(e[k]) for k in ("kind", "location") if e.get(k)]
            text = " ".join([e.get("summary") or "", *people[e["event_id"]]])
            docs.append(
                ["event", self.url("events", e["event_id"]), e["title"], " · ".join(meta), text]
            )
        for a in self.rows["actors"]:
            meta = [str(a[k]) for k in ("kind", "country") if a.get(k)]
            extra = [
                str(v)
                for section in self.referring("actors", a["actor_id"])
                for row in section["rows"]
                for v in (item["text"] for item in row)
            ]
            text = " ".join([a.get("aliases") or "", a.get("description") or "", *extra])
            docs.append(
                ["actor", self.url("actors", a["actor_id"]), a["name"], " · ".join(meta), text]
            )
        for s in self.rows["statements"]:
            speaker = self.label("actors", s.get("speaker_id"))
            title = f"{speaker}, {iso(s.get('date'))}" if s.get("date") else speaker
            docs.append(
                [
                    "statement",
                    self.url("statements", s["statement_id"]),
                    title,
                    str(s.get("kind") or ""),
                    s.get("text") or "",
                ]
            )
        payload = json.dumps(docs, ensure_ascii=False, separators=(",", ":"))
        folds = json.dumps(LETTER_FOLDS, ensure_ascii=True, separators=(",", ":"))
        (out / "static" / "search-index.js").write_text(
            f"window.LIBYA_EVENTS_SEARCH = {payload};\nwindow.LIBYA_EVENTS_FOLDS = {folds};\n",
            encoding="utf-8",
        )

    # -- page contexts ------------------------------------------------------------------------

    def sources_of(self, cited: list[tuple[Any, str]]) -> list[dict[str, Any]]:
        """The sources in ``cited`` (source_id, what it supports), each once, first mention
        first, with what each supports joined."""
        supports: dict[Any, list[str]] = {}
        for key, what in cited:
            if key is None:
                continue
            supports.setdefault(key, [])
            if what and what not in supports[key]:
                supports[key].append(what)
        return [
            {"source": self.by_id["sources"].get(k, {"source_id": k}), "supports": v}
            for k, v in supports.items()
        ]

    def event(self, e: dict[str, Any]) -> dict[str, Any]:
        key = e["event_id"]
        taking_part = [r for r in self.rows["event_actors"] if r["event_id"] == key]
        links_out = [r for r in self.rows["event_links"] if r["event_id"] == key]
        links_in = [r for r in self.rows["event_links"] if r["related_event_id"] == key]
        statements = self._grouped["statements_about"][key]
        children = [r for r in self.rows["events"] if r.get("parent_event_id") == key]
        cited = [(e.get("source_id"), "the event")]
        cited += [
            (r["source_id"], r.get("supports"))
            for r in self.rows["event_sources"]
            if r["event_id"] == key
        ]
        cited += [(r.get("source_id"), "participants") for r in taking_part]
        cited += [(r.get("source_id"), "related events") for r in links_out + links_in]
        cited += [(s.get("source_id"), "statements") for s in statements]
        shown = {"event_id", "title", "kind", "start_date", "end_date", "date_precision", "status",
                 "location", "location_wikidata_id", "country", "latitude", "longitude",
                 "location_precision", "parent_event_id", "summary", "source_id"}  # fmt: skip
        return {
            "title": e["title"],
            "e": e,
            "participants": taking_part,
            "links_out": links_out,
            "links_in": links_in,
            "statements": statements,
            "children": sorted(
                children, key=lambda r: (iso(r.get("start_date")) or "~", r["event_id"])
            ),
            "sources": self.sources_of(cited),
            "details": self.details("events", e, skip=shown),
            "referring": self.referring("events", key),
        }

    def actor(self, a: dict[str, Any]) -> dict[str, Any]:
        key = a["actor_id"]
        events = self._grouped["events_with"][key]
        offices = [r for r in self.rows["affiliations"] if r["actor_id"] == key]
        members = [r for r in self.rows["affiliations"] if r.get("organization_id") == key]
        by_date = lambda r: (iso(r.get("start_date")) or "~", r["affiliation_id"])  # noqa: E731
        statements = self._grouped["statements_by"][key]
        cited = [(a.get("source_id"), "the actor")]
        cited += [
            (r.get("source_id"), self.label("affiliations", r["affiliation_id"])) for r in offices
        ]
        shown = {
            "actor_id",
            "name",
            "kind",
            "country",
            "aliases",
            "description",
            "wikidata_id",
            "source_id",
        }
        return {
            "title": a["name"],
            "a": a,
            "native": self.native_names(key),
            "aliases": [s.strip() for s in (a.get("aliases") or "").split("|") if s.strip()],
            "events": events,
            "offices": sorted(offices, key=by_date),
            "members": sorted(members, key=by_date),
            "statements": statements,
            "sources": self.sources_of(cited),
            "details": self.details("actors", a, skip=shown),
            "referring": self.referring("actors", key),
        }

    def native_names(self, actor_id: str) -> list[dict[str, Any]]:
        """The actor's names in its own script and language (actor_names rows of kind
        'native'), shown beside the English name; none when the package has no such table."""
        return [
            r
            for r in self.rows.get("actor_names", [])
            if r.get("actor_id") == actor_id and r.get("kind") == "native"
        ]

    def front(self, downloads: list[dict[str, str]]) -> dict[str, Any]:
        from libya_events.release import citation_bibtex, citation_text

        d = self.ds.descriptor
        return {
            "title": d.get("title", ""),
            "description": d.get("description", ""),
            "created": str(d.get("created", ""))[:10],
            "citation": citation_text(d),
            "bibtex": citation_bibtex(d),
            "licences": d.get("licenses", []),
            "downloads": downloads,
            "tables": [(r["name"], r.get("description", "")) for r in d.get("resources", [])],
        }

    def event_list(self) -> dict[str, Any]:
        ordered = sorted(
            self.rows["events"], key=lambda r: (iso(r.get("start_date")) or "~", r["event_id"])
        )
        return {"title": "Events", "events": ordered}

    def actor_list(self) -> dict[str, Any]:
        taking_part = Counter(r["actor_id"] for r in self.rows["event_actors"])
        groups = []
        for kind in self.vocabulary("actors", "kind"):
            members = [r for r in self.rows["actors"] if r.get("kind") == kind["value"]]
            if members:
                members.sort(key=lambda r: (str(r["name"]).casefold(), r["actor_id"]))
                groups.append({"kind": kind, "actors": members})
        native = {r["actor_id"]: self.native_names(r["actor_id"]) for r in self.rows["actors"]}
        return {"title": "Actors", "groups": groups, "taking_part": taking_part, "native": native}

    def statement_list(self) -> dict[str, Any]:
        ordered = sorted(
            self.rows["statements"], key=lambda r: (iso(r.get("date")) or "~", r["statement_id"])
        )
        return {"title": "Statements", "statements": ordered}

    def source_list(self) -> dict[str, Any]:
        """Every source with the events, actors and statements that cite it."""
        cited_by: dict[Any, dict[tuple[str, Any], None]] = defaultdict(dict)
        for table, links in self.foreign.items():
            for name in (n for n, to in links.items() if to == "sources"):
                for row in self.rows[table]:
                    owner = self._owner(table, row)
                    if row.get(name) is not None and owner is not None:
                        cited_by[row[name]][owner] = None
        ordered = sorted(
            self.rows["sources"],
            key=lambda r: (str(r.get("publisher") or "").casefold(), r["source_id"]),
        )
        return {
            "title": "Sources",
            "sources": ordered,
            "cited_by": {k: list(v) for k, v in cited_by.items()},
        }

    def _owner(self, table: str, row: dict[str, Any]) -> tuple[str, Any] | None:
        """The page a row of ``table`` belongs on, as (table, id): itself when it has a page
        or anchor, else the event or actor it is about."""
        key = self.keys.get(table)
        if key is not None and self.url(table, row.get(key)):
            return table, row[key]
        for field, target in self.foreign[table].items():
            if target in PAGE_DIRS and row.get(field) is not None:
                return target, row[field]
        return None

    def coverage(self) -> dict[str, Any]:
        """The release's coverage figures (libya_events.coverage, as in the codebook), counts of
        every vocabulary field's values, events per year, and how complete the optional fields
        are: all read from the schemas and rows."""
        vocabularies = []
        for table in self.rows:
            for f in self.fields(table):
                if "enum" not in f.get("constraints", {}):
                    continue
                seen = Counter(r.get(f["name"]) for r in self.rows[table])
                values = [
                    {**v, "count": seen.get(v["value"], 0)}
                    for v in self.vocabulary(table, f["name"])
                ]
                vocabularies.append(
                    {
                        "table": table,
                        "field": f["name"],
                        "entries": values,
                        "empty": seen.get(None, 0),
                    }
                )
        release = coverage(self.snapshot)
        years: Counter[str] = Counter()
        for month, n in release.events_per_month.items():
            if month != "undated":
                years[month[:4]] += n
        filled = []
        for table, rows in self.rows.items():
            for f in self.fields(table):
                if rows and not f.get("constraints", {}).get("required"):
                    count = sum(r.get(f["name"]) is not None for r in rows)
                    filled.append(
                        {"table": table, "field": f["name"], "count": count, "of": len(rows)}
                    )
        return {
            "title": "Coverage",
            "vocabularies": vocabularies,
            "years": sorted(years.items()),
            "undated": release.events_per_month.get("undated", 0),
            "release": release,
            "filled": filled,
        }

    def codebook(self) -> dict[str, Any]:
        from libya_events.codebook import validation_rules

        tables = []
        for name in self.rows:
            schema = self.schemas[name]
            resource = next(
                (r for r in self.ds.descriptor.get("resources", []) if r.get("name") == name), {}
            )
            pk = schema.get("primaryKey")
            tables.append(
                {
                    "name": name,
                    "description": schema.get("description", resource.get("description", "")),
                    "path": resource.get("path", ""),
                    "rows": len(self.rows[name]),
                    "primary_key": [pk] if isinstance(pk, str) else pk or [],
                    "foreign": self.foreign[name],
                    "fields": [
                        {
                            "name": f["name"],
                            "type": f.get("type", "string"),
                            "required": bool(f.get("constraints", {}).get("required")),
                            "description": f.get("description", ""),
                            "vocabulary": self.vocabulary(name, f["name"]),
                        }
                        for f in self.fields(name)
                    ],
                    "rules": schema.get("x-record-rules", []),
                }
            )
        return {"title": "Codebook", "tables": tables, "rules": validation_rules()}
