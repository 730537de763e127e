"""The built site in a real browser: Debian's Chromium, driven by Playwright for Python.

The browser is the system's (``chromium`` on PATH, or ``LIBYA_EVENTS_CHROMIUM``), never one
that ``playwright install`` downloads; without it these tests skip and say why (``.ci/run``
installs it). Screenshots of the front page are kept in ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from conftest import ROOT
from fixtures.sites import site_with_title

import libya_events as le

ARTIFACTS = Path(__file__).parent / "artifacts"


def _chromium() -> str | None:
    given = os.environ.get("LIBYA_EVENTS_CHROMIUM")
    if given:
        return given
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)


CHROMIUM = _chromium()
try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

#: Set by .ci/run: there, a missing browser fails these tests instead of skipping them.
REQUIRED = bool(os.environ.get("LIBYA_EVENTS_REQUIRE_BROWSER"))
MISSING = (
    "playwright is not installed: pip install -e '.[test]'"
    if sync_playwright is None
    else "no Chromium: apt-get install chromium (as .ci/run does), or set "
    "LIBYA_EVENTS_CHROMIUM to a Chromium executable"
    if CHROMIUM is None
    else None
)
pytestmark = pytest.mark.skipif(MISSING is not None and not REQUIRED, reason=str(MISSING))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if MISSING is not None:
        pytest.fail(f"LIBYA_EVENTS_REQUIRE_BROWSER is set, but {MISSING}")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def ds() -> le.Dataset:
    return le.load(ROOT)


class Watched:
    """A page whose console errors, uncaught exceptions and requests are recorded."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []
        self.requests: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))


def _file(url: str) -> tuple[Path, str]:
    address, fragment = urldefrag(url)
    return Path(unquote(urlsplit(address).path)), unquote(fragment)


def test_every_page_loads_without_errors_and_every_link_resolves(
    browser: Browser, site: Path
) -> None:
    watched = Watched(browser.new_page())
    pages = sorted(site.rglob("*.html"))
    problems, outside, broken = [], [], []
    ids: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []
    for path in pages:
        watched.problems.clear()
        watched.page.goto(path.as_uri())
        problems += [f"{path.relative_to(site)}: {p}" for p in watched.problems]
        ids[path] = set(watched.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        hrefs = watched.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        links += [(path, h) for h in hrefs if h.startswith("file:")]
    outside = [url for url in watched.requests if not url.startswith("file:")]
    for page, url in links:
        target, fragment = _file(url)
        if not target.is_file() or not target.is_relative_to(site):
            broken.append(f"{page.relative_to(site)} -> {url}")
        elif fragment and target.suffix == ".html" and fragment not in ids[target]:
            broken.append(f"{page.relative_to(site)} -> {url} (no such anchor)")
    assert problems == []
    assert outside == []
    assert broken == []
    assert len(links) > 10 * len(pages)


def _word_of(title: str) -> str:
    """The longest word of a title: what a person would search for."""
    words = [w.strip(".,:;()\"'") for w in title.split()]
    return max(words, key=len)


def test_the_search_finds_an_event_by_a_word_of_its_title(
    browser: Browser, site: Path, ds: le.Dataset
) -> None:
    event = ds.events.sort_values("event_id").iloc[0]
    word = _word_of(event["title"])
    watched = Watched(browser.new_page())
    watched.page.goto((site / "index.html").as_uri())
    watched.page.fill("header input[name=q]", word.lower())
    watched.page.press("header input[name=q]", "Enter")
    watched.page.wait_for_selector("#search-results li")
    found = watched.page.eval_on_selector_all(
        "#search-results li a", "els => els.map(e => [e.getAttribute('href'), e.textContent])"
    )
    assert [f"events/{event['event_id']}.html", event["title"]] in found
    status = watched.page.text_content("#search-status")
    assert status == f"{len(found)} result{'s' * (len(found) != 1)} for \u201c{word.lower()}\u201d."
    watched.page.fill("#q", "zzzqqqxxx")
    assert watched.page.text_content("#search-status") == "Nothing found for \u201czzzqqqxxx\u201d."
    assert watched.page.locator("#search-results li").count() == 0
    assert watched.problems == []


def test_an_event_page_shows_its_sources(browser: Browser, site: Path, ds: le.Dataset) -> None:
    counts = ds.event_sources.groupby("event_id", observed=True).size()
    event_id = str(counts.idxmax())
    cited = {ds.events.set_index("event_id").at[event_id, "source_id"]}
    for table in ("event_sources", "event_actors", "event_links"):
        frame = ds[table]
        mine = frame["event_id"].eq(event_id)
        if "related_event_id" in frame:
            mine |= frame["related_event_id"].eq(event_id)
        cited |= set(frame.loc[mine, "source_id"].dropna())
    cited |= set(ds.statements_about(event_id)["source_id"].dropna())
    watched = Watched(browser.new_page())
    watched.page.goto((site / "events" / f"{event_id}.html").as_uri())
    shown = watched.page.eval_on_selector_all(
        "#sources li > a:first-child", "els => els.map(e => e.getAttribute('href'))"
    )
    assert sorted(shown) == sorted(f"../sources.html#{s}" for s in cited)
    assert watched.page.locator("#sources").is_visible()
    assert watched.problems == []


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_a_screenshot_of_the_front_page_is_kept(
    browser: Browser, site: Path, name: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    watched = Watched(page)
    page.goto((site / "index.html").as_uri())
    drawn = page.eval_on_selector("img[src='figures/timeline.svg']", "img => img.naturalWidth")
    assert drawn > 0, "the timeline figure did not load"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page is wider than the screen"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"site-front-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert _png_size(shot)[0] == width
    assert watched.problems == []


def test_a_title_holding_a_script_shows_as_text(browser: Browser, tmp_path: Path) -> None:
    title = "<script>alert('pwned')</script><img src=x onerror=alert(2)>"
    dest, event_id = site_with_title(tmp_path, title)
    watched = Watched(browser.new_page())
    watched.page.goto((dest / "events" / f"{event_id}.html").as_uri())
    assert watched.page.text_content("h1") == title
    watched.page.goto((dest / "search.html").as_uri() + "?q=pwned")
    watched.page.wait_for_selector("#search-results li")
    assert watched.page.text_content("#search-results li a") == title
    assert watched.page.locator("#search-results img").count() == 0
    assert watched.problems == []


def test_the_search_finds_an_actor_by_an_arabic_spelling_variant(
    browser: Browser, site: Path
) -> None:
    watched = Watched(browser.new_page())
    watched.page.goto((site / "search.html").as_uri() + "?q=" + "خليفه حفتر")
    watched.page.wait_for_selector("#search-results li")
    hrefs = watched.page.eval_on_selector_all(
        "#search-results li a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs[0] == "actors/khalifa-haftar.html"
    assert watched.problems == []
