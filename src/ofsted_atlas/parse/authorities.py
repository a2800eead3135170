"""Match the authority as printed ('Sheffield City Council', 'Hull') to the reference lookup.

The lookup (`la_lookup.csv`: URN, LA codes, region, statistical neighbours) is read at run time from
a reference folder, never bundled: see `ofsted_atlas.config.reference_dir`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .model import Authority

# Words that vary between printings of one authority's name and carry no identity.
_NOISE = re.compile(
    r"\b(?:the|council|county|city|borough|metropolitan|district|royal|london|of|local|authority"
    r"|children's|services|corporation|unitary)\b"
)
# Bodies printed in an authority's place: a trust running its services, its safeguarding board.
_ORGANISATION = re.compile(
    r"\s+(?:local )?safeguarding children(?:'s)? (?:board|partnership)$"
    r"|\s+(?:children(?:'s)?,? (?:and|&) famil(?:y|ies)|children(?:'s)?(?: services)?) trust$",
    re.I,
)
# Printed short forms that normalising alone cannot reach.
_ALIASES = {
    "hull": "kingston upon hull",
    "newcastle": "newcastle upon tyne",
    "east riding": "east riding of yorkshire",
    "bcp": "bournemouth christchurch and poole",
    "city of london": "city of london",
    "london corporation": "city of london",
    "city of london corporation": "city of london",
    "st helens": "st helens",
    "telford": "telford and wrekin",
    "herefordshire": "herefordshire county of",
}


@dataclass(frozen=True)
class LookupRow:
    urn: str
    name: str
    la_code: str
    ons_code: str
    region: str
    la_type: str
    stat_neighbours: tuple[str, ...]
    population_0_25: int | None
    other_names: tuple[str, ...] = ()


def normalise_name(name: str) -> str:
    text = name.lower().replace("’", "'").replace("&", " and ").replace(".", "")
    text = re.sub(r"[,()\[\]]", " ", text)
    text = " ".join(text.split())
    if text in _ALIASES:
        text = _ALIASES[text]
    if "city of london" in text or text == "london":
        return "city of london"
    stripped = " ".join(_NOISE.sub(" ", text).replace("-", " ").split())
    return stripped or text


@lru_cache(maxsize=8)
def load_lookup(path: Path) -> tuple[LookupRow, ...]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return tuple(_row(record) for record in csv.DictReader(handle))


def _row(record: dict[str, str]) -> LookupRow:
    population = record.get("ons_population_0-25", "").strip()
    return LookupRow(
        urn=record["urn"].strip(),
        name=record["local_authority_ons_name"].strip(),
        la_code=record["la_code"].strip(),
        ons_code=record["la_code_new"].strip(),
        region=record["region_name"].strip(),
        la_type=record.get("ons_la_type", "").strip(),
        stat_neighbours=tuple(
            code.strip() for code in record.get("stat_neighbours", "").split(",") if code.strip()
        ),
        population_0_25=int(population) if population.isdigit() else None,
        other_names=_other_names(record),
    )


def _other_names(record: dict[str, str]) -> tuple[str, ...]:
    aliases = record.get("also_known_as", "").strip("[] ")
    names = [alias.strip() for alias in aliases.split(",") if alias.strip()]
    names += [record.get(column, "").strip() for column in ("ltla23nm", "utla23nm")]
    return tuple(name for name in names if name)


def _named_in(text: str, lookup_path: Path) -> LookupRow | None:
    """The lookup row whose name the text prints, when exactly one authority is named (the
    longest names first, so 'North Yorkshire' is not read as 'York')."""
    lowered = f" {normalise_spacing(text.lower())} "
    found: set[str] = set()
    for name, row in _names_longest_first(lookup_path):
        at = lowered.find(f" {name} ")
        if at != -1:
            found.add(row.urn)
            lowered = lowered[:at] + " " * (len(name) + 2) + lowered[at + len(name) + 2 :]
    if len(found) != 1:
        return None
    urn = found.pop()
    return next(row for row in load_lookup(lookup_path) if row.urn == urn)


def normalise_spacing(text: str) -> str:
    return " ".join(re.sub(r"[^\w'&-]+", " ", text.replace("’", "'")).split())


@lru_cache(maxsize=8)
def _names_longest_first(path: Path) -> tuple[tuple[str, LookupRow], ...]:
    names = {
        normalise_spacing(name.lower()): row
        for row in load_lookup(path)
        for name in (row.name, *row.other_names)
        if len(name) > 3
    }
    return tuple(sorted(names.items(), key=lambda item: len(item[0]), reverse=True))


@lru_cache(maxsize=8)
def _index(path: Path) -> dict[str, LookupRow]:
    index: dict[str, LookupRow] = {}
    for row in load_lookup(path):
        for name in (row.name, *row.other_names):
            index.setdefault(normalise_name(name), row)
    return index


def match_authority(
    printed: str | None, lookup_path: Path | None, opening: str | None = None
) -> Authority:
    """The lookup row of the printed name (a trust or board printed in the authority's place
    reduced to the authority); failing that, of the one lookup name the opening text prints."""
    text = printed or ""
    if lookup_path is None or not lookup_path.exists():
        return Authority(printed=text)
    index = _index(lookup_path)
    row = index.get(normalise_name(_ORGANISATION.sub("", text))) if text else None
    if row is None and opening:
        row = _named_in(opening, lookup_path)
        text = text or (row.name if row else "")
    if row is None:
        return Authority(printed=text)
    return Authority(
        printed=text,
        name=row.name,
        urn=row.urn,
        la_code=row.la_code,
        ons_code=row.ons_code,
        region=row.region,
        la_type=row.la_type,
    )
