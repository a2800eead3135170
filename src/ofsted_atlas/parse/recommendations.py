"""Recommendations / 'what needs to improve' items, with printed numbers and timescales."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .checks import ListFound
from .frameworks import FrameworkSpec, RecommendationBlock
from .layout import Line, flatten
from .model import Recommendation
from .structure import (
    _NUMBERED,
    is_bullet,
    join_lines,
    looks_like_heading,
    normalise_heading,
    strip_bullet,
    timescale_of,
)
from .tags import national_framework_tag

_NOTHING_TO_DO = re.compile(
    r"^(?:there (?:are|were) no|the inspection (?:did not find any|found no)|no) "
    r"(?:areas|recommendations|priority)",
    re.I,
)
_INTRO = re.compile(r"\b(?:should|must|needs? to) take the following action|following action", re.I)


@dataclass(frozen=True)
class ListsRead:
    items: tuple[Recommendation, ...]
    lists: tuple[ListFound, ...]  # each heading found, with how many items it gave
    lscb_page: int | None  # the page where the LSCB's part starts


def find_recommendations(
    lines: list[Line], spec: FrameworkSpec, heading_at: dict[int, int]
) -> ListsRead:
    """Items under each of the framework's recommendation headings (found among `heading_at`,
    the report's known headings), up to the next heading."""
    starts = [
        (start, used, block)
        for block in spec.recommendations
        for start, used in heading_at.items()
        if re.fullmatch(block.heading, _heading_text(lines, start, used), re.I)
    ]
    first = min((start for start, _, _ in starts), default=0)
    lscb_start = _lscb_start(lines, heading_at, spec.lscb_section, after=first)
    if lscb_start is None and spec.lscb_section:
        lscb_start = _repeated_heading(starts)
    found: list[Recommendation] = []
    lists: list[ListFound] = []
    findings = _findings_headings(lines, heading_at, spec.findings_heading)
    for start, used, block in starts:
        in_lscb = lscb_start is not None and start >= lscb_start
        scope = "lscb" if in_lscb else block.scope
        part_start = lscb_start if in_lscb and lscb_start is not None else first
        moved = next((f for f in findings if part_start < f < start), None)
        if moved is not None:
            # pdfium gave the list's heading after its part's findings (text order, not print
            # order): the list is the numbered paragraphs printed just before the findings.
            body = _numbered_before(lines, moved, heading_at)
        else:
            body = _block_lines(lines, start + used, heading_at, block)
        items = _items(body, block, scope)
        says_none = any(_says_none(line.flat) for line in body[:3])
        if _counts_as_list(lines, start, body, items):
            lists.append(ListFound(scope, lines[start].page, len(items), says_none))
        found.extend(items)
    lscb_page = lines[lscb_start].page if lscb_start is not None else None
    return ListsRead(tuple(_deduplicate(found)), tuple(lists), lscb_page)


def _findings_headings(
    lines: list[Line], heading_at: dict[int, int], pattern: str | None
) -> list[int]:
    if pattern is None:
        return []
    compiled = re.compile(pattern, re.I)
    return sorted(
        index
        for index, used in heading_at.items()
        if compiled.fullmatch(_heading_text(lines, index, used))
    )


def _numbered_before(lines: list[Line], end: int, heading_at: dict[int, int]) -> list[Line]:
    """The lines from the first numbered paragraph after the previous heading up to `end`."""
    start = max((index + used for index, used in heading_at.items() if index < end), default=0)
    first = next((i for i in range(start, end) if _NUMBERED.match(lines[i].flat)), end)
    return lines[first:end]


def _says_none(text: str) -> bool:
    """'There are no areas of priority action', printed numbered or not."""
    numbered = _NUMBERED.match(text)
    return bool(_NOTHING_TO_DO.match(numbered.group("rest") if numbered else text))


_CONTENTS_ENTRY = re.compile(r"\D \d{1,3}$")  # "Summary for children and young people 5"


def _counts_as_list(
    lines: list[Line], start: int, body: list[Line], items: list[Recommendation]
) -> bool:
    """A heading on a contents page (followed by other entries with their page numbers) is
    not a list."""
    if items:
        return True
    entries = sum(1 for line in body[:6] if _CONTENTS_ENTRY.search(line.flat))
    return len(body) > 0 and entries < 2


def _repeated_heading(starts: list[tuple[int, int, RecommendationBlock]]) -> int | None:
    """Without a printed LSCB heading, the LSCB's part starts where a list heading repeats."""
    seen: set[str] = set()
    for start, _, block in sorted(starts, key=lambda item: item[0]):
        if block.heading in seen:
            return start
        seen.add(block.heading)
    return None


def _heading_text(lines: list[Line], start: int, used: int) -> str:
    return normalise_heading(" ".join(line.flat for line in lines[start : start + used]))


def _lscb_start(
    lines: list[Line], heading_at: dict[int, int], pattern: str | None, after: int
) -> int | None:
    """Where the LSCB's part starts: its first heading after the local authority's first list
    (the title page and the contents print such headings too)."""
    if pattern is None:
        return None
    compiled = re.compile(pattern, re.I)
    matches = [
        index
        for index, used in heading_at.items()
        if index > after and compiled.fullmatch(_heading_text(lines, index, used))
    ]
    return matches[0] if matches else None


def _block_lines(
    lines: list[Line],
    start: int,
    heading_at: dict[int, int],
    block: RecommendationBlock,
) -> list[Line]:
    """The block's lines up to a known heading; a bullet list also ends at any heading-like line
    (numbered lists carry printed sub-headings between items, so they do not)."""
    body: list[Line] = []
    inside = re.compile("|".join(block.subheadings), re.I) if block.subheadings else None
    index = start
    while index < len(lines):
        if index in heading_at:
            used = heading_at[index]
            if inside and inside.fullmatch(_heading_text(lines, index, used)):
                index += used  # a sub-heading grouping the items: the list goes on
                continue
            break
        if body and looks_like_heading(lines, index):
            if block.style == "bullet":
                break
            index += 1  # a numbered list's own sub-heading ("Quality of practice"): not item text
            continue
        body.append(lines[index])
        index += 1
    return body


def _items(body: list[Line], block: RecommendationBlock, scope: str) -> list[Recommendation]:
    items: list[tuple[int | None, list[str], str | None, int]] = []
    timescale = block.timescale
    last_number = 0
    primary_bullet = ""
    after_timescale = False
    for line in body:
        text = line.flat
        new_timescale = timescale_of(text)
        if new_timescale:
            timescale = new_timescale
            items.append((None, [], None, line.page))  # close the open item
            after_timescale = True
            continue
        if after_timescale and block.style == "bullet" and not is_bullet(text):
            text = f"{primary_bullet or '-'} {text}"  # an item printed without its bullet
        after_timescale = False
        numbered = _NUMBERED.match(text)
        if (
            numbered
            and block.style == "numbered"
            and last_number
            and (int(numbered.group("number")) != last_number + 1)
        ):
            break  # the numbering of the report's findings has resumed: the list is over
        if (
            numbered
            and block.style in ("numbered", "any")
            and (last_number == 0 or int(numbered.group("number")) == last_number + 1)
        ):
            last_number = int(numbered.group("number"))
            items.append((last_number, [numbered.group("rest")], timescale, line.page))
        elif is_bullet(text) and (block.style in ("bullet", "any") or last_number == 0):
            # A numbered list's bullets are sub-points; a list with no numbers is its bullets.
            if primary_bullet and text[0] != primary_bullet and _has_open(items):
                items[-1][1].append(strip_bullet(text))  # a sub-point of the open item
                continue
            primary_bullet = primary_bullet or text[0]
            items.append((None, [strip_bullet(text)], timescale, line.page))
        elif _has_open(items):
            items[-1][1].append(strip_bullet(text) if is_bullet(text) else text)
    return _to_recommendations(items, scope)


def _has_open(items: list[tuple[int | None, list[str], str | None, int]]) -> bool:
    return bool(items) and bool(items[-1][1])


def _to_recommendations(
    items: list[tuple[int | None, list[str], str | None, int]], scope: str
) -> list[Recommendation]:
    out: list[Recommendation] = []
    for number, parts, timescale, page in items:
        text = join_lines(parts)
        if len(text) < 8 or _NOTHING_TO_DO.match(text) or _INTRO.search(text):
            continue
        text, tag = national_framework_tag(text)
        out.append(
            Recommendation(
                number=number if number is not None else len(out) + 1,
                text=text,
                timescale=timescale,
                scope=scope,
                page=page,
                national_framework=tag,
            )
        )
    return out


def _deduplicate(found: list[Recommendation]) -> list[Recommendation]:
    """A heading printed twice (contents page, summary) must not double the list."""
    seen: set[tuple[str, int, str]] = set()
    unique: list[Recommendation] = []
    for item in found:
        key = (item.scope, item.number, flatten(item.text).lower())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
