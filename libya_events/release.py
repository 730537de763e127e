"""Release numbering and citation: semantic versions of the data, bumps, and how to cite a release.

The dataset's version is the `version` of `datapackage.json`, MAJOR.MINOR.PATCH. A change that
can break a reader needs a major bump, an addition a minor one, a correction a patch (README,
"Versions and releases"). `CITATION.cff` and `citation()` are both rendered here from the
descriptor, so neither can disagree with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from libya_events.errors import VersionError

_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


class Bump(IntEnum):
    """How much a version must grow; ordered, so the largest change wins with `max`."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _SEMVER.fullmatch(str(text).strip())
        if not match:
            raise VersionError(f"version {text!r} is not MAJOR.MINOR.PATCH, e.g. 0.1.0")
        return cls(*(int(part) for part in match.groups()))

    def bumped(self, bump: Bump) -> Version:
        if bump is Bump.MAJOR:
            return Version(self.major + 1, 0, 0)
        if bump is Bump.MINOR:
            return Version(self.major, self.minor + 1, 0)
        if bump is Bump.PATCH:
            return Version(self.major, self.minor, self.patch + 1)
        return self

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def bump_between(old: str | Version, new: str | Version) -> Bump:
    """The bump that leads from `old` to `new`, which must be `old` itself or its successor.

    Raises `VersionError` when `new` goes backwards or skips (0.1.0 -> 0.3.0, 0.1.2 -> 0.2.2).
    """
    before = old if isinstance(old, Version) else Version.parse(old)
    after = new if isinstance(new, Version) else Version.parse(new)
    for bump in Bump:
        if before.bumped(bump) == after:
            return bump
    successors = ", ".join(str(before.bumped(b)) for b in (Bump.PATCH, Bump.MINOR, Bump.MAJOR))
    raise VersionError(f"version {after} does not follow {before}; the next is one of {successors}")


def _descriptor(path: str | Path | None) -> dict[str, Any]:
    if path is None:
        from libya_events._paths import packaged_root

        path = packaged_root()
    root = Path(path)
    if root.is_dir():
        root = root / "datapackage.json"
    return dict(json.loads(root.read_text(encoding="utf-8")))


def _authors(descriptor: dict[str, Any]) -> list[str]:
    people = [c for c in descriptor.get("contributors", []) if c.get("role", "author") == "author"]
    return [c["title"] for c in people] or [descriptor.get("name", "")]


def _released(descriptor: dict[str, Any]) -> str:
    return str(descriptor.get("created", ""))[:10]


def _licence(descriptor: dict[str, Any]) -> str:
    return ", ".join(lic["name"] for lic in descriptor.get("licenses", []))


def citation_text(descriptor: dict[str, Any]) -> str:
    """One line for a reference list, e.g. "A (2026). Title (Version 0.1.0) [Data set]. ..."."""
    authors = "; ".join(_authors(descriptor))
    return (
        f"{authors} ({_released(descriptor)[:4]}). {descriptor['title']} "
        f"(Version {descriptor['version']}) [Data set]. Licence: {_licence(descriptor)}."
    )


def citation_bibtex(descriptor: dict[str, Any]) -> str:
    version = descriptor["version"]
    key = f"{descriptor['name'].replace('-', '_')}_{version.replace('.', '_')}"
    authors = " and ".join("{" + a + "}" for a in _authors(descriptor))
    return (
        f"@misc{{{key},\n"
        f"  author = {{{authors}}},\n"
        f"  title = {{{descriptor['title']}}},\n"
        f"  year = {{{_released(descriptor)[:4]}}},\n"
        f"  version = {{{version}}},\n"
        f"  note = {{Data set. Licence: {_licence(descriptor)}}}\n"
        "}\n"
    )


def citation(path: str | Path | None = None, style: str = "text") -> str:
    """How to cite this release of the dataset (or of the package in directory `path`).

    `style` is ``"text"`` (one line, for a reference list), ``"bibtex"`` or ``"cff"`` (the
    text of `CITATION.cff`).
    """
    renderers = {"text": citation_text, "bibtex": citation_bibtex, "cff": citation_cff}
    if style not in renderers:
        raise ValueError(f"unknown citation style {style!r}; use 'text', 'bibtex' or 'cff'")
    return renderers[style](_descriptor(path))


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _cff_licence(descriptor: dict[str, Any]) -> list[str]:
    names = [lic["name"] for lic in descriptor.get("licenses", [])]
    if len(names) == 1:
        return [f"license: {_yaml_str(names[0])}"]
    return ["license:", *(f"  - {_yaml_str(n)}" for n in names)] if names else []


def citation_cff(descriptor: dict[str, Any]) -> str:
    """`CITATION.cff` (Citation File Format 1.2.0) for the package `descriptor` describes."""
    lines = [
        "# Generated from datapackage.json by scripts/build.py; do not edit.",
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {_yaml_str(descriptor['title'])}",
        f"abstract: {_yaml_str(descriptor.get('description', ''))}",
        f"version: {_yaml_str(descriptor['version'])}",
        f"date-released: {_yaml_str(_released(descriptor))}",
        "authors:",
        *(f"  - name: {_yaml_str(a)}" for a in _authors(descriptor)),
        *_cff_licence(descriptor),
        "keywords:",
        *(f"  - {_yaml_str(k)}" for k in descriptor.get("keywords", [])),
    ]
    return "\n".join(lines) + "\n"
