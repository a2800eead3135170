"""Self-checks after parsing: what a report's framework and inspection date imply, compared with
what was read. A failed check is a `Check` (code, message, page) stored with the report, so that a
value the parser could not find is flagged instead of silently missing.

What each framework implies is data (`FrameworkSpec.expected`, `FrameworkSpec.list_bounds`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .frameworks import JUDGEMENT_KEYS, FrameworkSpec
from .model import Check, Report

# An item naming the board as its subject belongs to the board's list, and the reverse.
_BOARD_SUBJECT = re.compile(
    r"^(?:the )?(?:lscb|local safeguarding children board|board)\b|\b(?:the lscb|the board) "
    r"(?:should|must|needs? to)\b",
    re.I,
)


@dataclass(frozen=True)
class ListFound:
    """A recommendations heading the parser found, and what it read under it."""

    scope: str
    page: int
    items: int
    says_none: bool  # the report prints that there is nothing to recommend


@dataclass(frozen=True)
class Context:
    spec: FrameworkSpec
    lists: tuple[ListFound, ...] = ()
    lscb_part_page: int | None = None  # where the LSCB's part of the report starts
    has_lscb_part: bool = False
    lookup_given: bool = False


def run_checks(report: Report, context: Context) -> tuple[Check, ...]:
    checks = [*_identity(report, context)]
    if report.publication_type == "inspection":
        checks += _judgements(report, context)
        checks += _lists(report, context)
    return tuple(checks)


def judgement_name(key: str) -> str:
    return next((k.name for k in JUDGEMENT_KEYS if k.key == key), key.replace("_", " "))


def _identity(report: Report, context: Context) -> list[Check]:
    out = []
    if report.inspection_start is None:
        out.append(Check("no_dates", "no inspection dates found", 1))
    if report.lead_inspector is None:
        out.append(Check("no_lead_inspector", "no lead inspector found", None))
    if not report.authority.printed:
        out.append(Check("no_authority", "the authority's name was not found", 1))
    elif report.authority.la_code is None and context.lookup_given:
        out.append(
            Check(
                "no_la_code",
                f"the authority {report.authority.printed!r} was not found in the lookup",
                1,
            )
        )
    return out


def _judgements(report: Report, context: Context) -> list[Check]:
    spec = context.spec
    found = {j.key for j in report.judgements} | set(report.not_judged)
    rules = [rule for rule in spec.expected if rule.applies(report.inspection_start)]
    out = []
    if not report.judgements:
        out.append(Check("no_judgements", "no graded judgements found", 1))
    for rule in rules:
        required = rule.required + (rule.with_lscb_part if context.has_lscb_part else ())
        for key in required:
            if key not in found and report.judgements:
                out.append(
                    Check(
                        "missing_judgement",
                        f"the {judgement_name(key)} judgement was not found",
                        _table_page(report),
                    )
                )
        for key in rule.absent:
            if key in found:
                page = next(j.page for j in report.judgements if j.key == key)
                out.append(
                    Check(
                        "unexpected_judgement",
                        f"a {judgement_name(key)} judgement was read, but inspections of this "
                        "framework and date do not print one",
                        page,
                    )
                )
    return out


def _table_page(report: Report) -> int | None:
    pages = [j.page for j in report.judgements if j.page is not None]
    return min(pages) if pages else 1


def _lists(report: Report, context: Context) -> list[Check]:
    out = []
    bounds = {bound.scope: bound for bound in context.spec.list_bounds}
    for found in context.lists:
        if found.items == 0 and not found.says_none:
            out.append(
                Check("empty_list", "a recommendations heading with no items under it", found.page)
            )
    for scope, bound in bounds.items():
        items = [r for r in report.recommendations if r.scope == scope]
        headed = any(found.scope == scope for found in context.lists)
        says_none = any(found.says_none for found in context.lists if found.scope == scope)
        if scope == "lscb" and not (context.has_lscb_part or items):
            continue
        if items and not bound.low <= len(items) <= bound.high:
            out.append(
                Check(
                    "list_length",
                    f"{len(items)} {_scope_name(scope)} recommendations: more than any such "
                    f"list holds ({bound.high})"
                    if len(items) > bound.high
                    else f"only {len(items)} {_scope_name(scope)} recommendations "
                    f"(at least {bound.low} expected)",
                    items[0].page,
                )
            )
        elif (
            not items
            and not headed
            and not says_none
            and report.judgement(bound.graded_by) not in bound.may_be_empty_if
        ):
            out.append(
                Check(
                    "no_list",
                    f"no recommendations heading found for the {_scope_name(scope)}",
                    context.lscb_part_page if scope == "lscb" else None,
                )
            )
        for item in items:
            if len(item.text) > bound.item_chars:
                out.append(
                    Check(
                        "long_item",
                        f"recommendation {item.number} is {len(item.text):,} characters long, "
                        "more than any real recommendation: its list may have run on",
                        item.page,
                    )
                )
    out += _misplaced(report, context)
    return out


def _misplaced(report: Report, context: Context) -> list[Check]:
    out = []
    for item in report.recommendations:
        if item.scope == "local_authority" and _BOARD_SUBJECT.search(item.text[:120]):
            out.append(
                Check(
                    "misplaced_item",
                    f"recommendation {item.number} of the local authority's list is addressed "
                    "to the LSCB",
                    item.page,
                )
            )
        elif (
            item.scope == "lscb"
            and context.lscb_part_page is not None
            and item.page is not None
            and item.page < context.lscb_part_page
        ):
            out.append(
                Check(
                    "misplaced_item",
                    f"recommendation {item.number} of the LSCB's list is printed before the "
                    "LSCB's part of the report",
                    item.page,
                )
            )
    return out


def _scope_name(scope: str) -> str:
    return "LSCB" if scope == "lscb" else "local authority"
