"""What a release covers: events per month and kind, corroboration, single sources, disagreements.

Computed from a `Snapshot` (the rows as text), so the codebook's coverage section and its tests
read the same figures. An event's publishers are those of its `source_id` and its
`event_sources` rows; a republished wire story counts under its original publisher (a Reuters
story on two sites is one publisher, not two).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from libya_events.snapshot import Snapshot

# Words in an event's notes that record a disagreement between its sources.
DISAGREEMENT_MARKERS = ("disagree", "differ")


@dataclass(frozen=True)
class Coverage:
    """The coverage figures of one release."""

    first_date: str
    last_date: str
    events_per_month: dict[str, int]
    events_per_kind: dict[str, int]
    publishers: dict[str, frozenset[str]]
    disagreements: dict[str, str]
    titles: dict[str, str]

    @property
    def events(self) -> int:
        return len(self.publishers)

    @property
    def corroborated(self) -> list[str]:
        """Events whose sources come from two or more distinct publishers."""
        return [e for e, names in self.publishers.items() if len(names) >= 2]

    @property
    def single_source(self) -> list[str]:
        """Events all of whose sources come from one publisher."""
        return [e for e, names in self.publishers.items() if len(names) == 1]

    @property
    def corroborated_share(self) -> float:
        return len(self.corroborated) / self.events if self.events else 0.0


def publisher_of(source: dict[str, str]) -> str:
    """The publisher a source counts under: the original of a republished story, else its own."""
    return source.get("original_publisher") or source["publisher"]


def coverage(snapshot: Snapshot) -> Coverage:
    """The coverage figures of `snapshot`."""
    events = snapshot.tables["events"].rows
    sources = {row["source_id"]: row for row in snapshot.tables["sources"].rows}
    cited: dict[str, set[str]] = {row["event_id"]: {row["source_id"]} for row in events}
    if "event_sources" in snapshot.tables:
        for row in snapshot.tables["event_sources"].rows:
            cited.setdefault(row["event_id"], set()).add(row["source_id"])
    publishers = {
        event: frozenset(publisher_of(sources[s]) for s in ids if s in sources)
        for event, ids in cited.items()
    }
    dated = sorted(row["start_date"] for row in events if row["start_date"])
    months = Counter(d[:7] for d in dated)
    undated = sum(1 for row in events if not row["start_date"])
    if undated:
        months["undated"] = undated
    return Coverage(
        first_date=dated[0] if dated else "",
        last_date=max((row["end_date"] or row["start_date"] for row in events), default=""),
        events_per_month=dict(sorted(months.items())),
        events_per_kind=dict(Counter(row["kind"] for row in events).most_common()),
        publishers=publishers,
        disagreements={
            row["event_id"]: row["notes"]
            for row in events
            if any(m in row["notes"].lower() for m in DISAGREEMENT_MARKERS)
        },
        titles={row["event_id"]: row["title"] for row in events},
    )
