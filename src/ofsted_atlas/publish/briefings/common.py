"""Small helpers shared by the briefing builders: human labels, citations, findings as blocks."""

from __future__ import annotations

from pathlib import Path

from ofsted_atlas.analysis.findings import GROUPS, Finding, Ranking, Sentence, plain_prevalence
from ofsted_atlas.analysis.labels import (
    GROUP_LABELS,
    framework_label,
    grade_label,
    long_date,
    month_year,
)
from ofsted_atlas.analysis.themes import Evidence
from ofsted_atlas.sources.ofsted_site import SITE

from ..document import Block, Bullets, Citation, Note, Quote, Text

# The judgement areas briefings tabulate, in reading order.
MAIN_AREAS = (
    "overall_effectiveness",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "adoption",
    "leadership",
    "lscb",
)
AREA_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "leadership": "Leadership and management",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "lscb": "Local Safeguarding Children Board",
    "quality_of_practice": "Quality of practice",
    "capacity_to_improve": "Capacity to improve",
    "quality_of_provision": "Quality of provision",
    "outcomes_for_looked_after_children_and_young_people": "Outcomes for looked after children",
}
# The Ofsted website's page for a provider (a council's children's services), by URN.
PROVIDER_PAGE = SITE.base_url + "/provider/44/{urn}"

__all__ = ["GROUP_LABELS", "framework_label", "grade_label", "long_date", "month_year"]


def area_label(key: str) -> str:
    return AREA_LABELS.get(key, key.replace("_", " ").capitalize())


def report_link(urn: str | None, source: str, page: int | None) -> tuple[str, str]:
    """(link, fallback): the report's page on the Ofsted website when its URN is known, with
    the local PDF at the page as the fallback; the local PDF alone otherwise."""
    local = Path(source).resolve().as_uri() + f"#page={page or 1}"
    if urn:
        return PROVIDER_PAGE.format(urn=urn), local
    return local, ""


def cite(
    authority: str, inspection_end: str | None, urn: str | None, source: str, page: int | None
) -> Citation:
    label = f"{authority}, {month_year(inspection_end)}" + (f", page {page}" if page else "")
    link, fallback = report_link(urn, source, page)
    return Citation(label, link, fallback)


def sentence_citation(sentence: Sentence) -> Citation:
    return cite(
        sentence.authority, sentence.inspection_end, sentence.urn, sentence.source, sentence.page
    )


def citation(evidence: Evidence) -> Citation:
    return cite(evidence.authority, evidence.inspection_end, None, evidence.source, evidence.page)


def quote(evidence: Evidence) -> Quote:
    return Quote(evidence.sentence, citation(evidence))


def percent(share: float) -> str:
    return f"{round(100 * share)}%"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(rank: int, tied_with: int) -> str:
    return (
        f"joint {ordinal(rank)} with {tied_with - 1} other{'s' if tied_with > 2 else ''}"
        if (tied_with > 1)
        else ordinal(rank)
    )


def too_small(ranking: Ranking, period: str) -> str:
    n = ranking.sizes.get(ranking.group, 0)
    return (
        f"Only {n} {GROUP_LABELS[ranking.group]} report{'s' if n != 1 else ''} {period}: "
        "too few to rank or compare."
    )


def finding_items(
    findings: list[Finding], sizes: dict[str, int], polarity: str, quotes: int = 2
) -> list[Text]:
    """Each sub-finding: its headline (Ofsted's sentence, cited) with how widely it is said,
    then up to `quotes` more cited sentences as sub-items."""
    items = []
    for finding in findings:
        said = (
            plain_prevalence(finding.reports, sizes, polarity, GROUPS)
            .replace("criticised in", "said in")
            .replace("praised in", "said in")
        )
        items.append(
            Text(
                f"“{finding.headline.text}” ({said})",
                (sentence_citation(finding.headline),),
                quote=True,
            )
        )
        for extra in finding.quotes[:quotes]:
            items.append(Text(f"“{extra.text}”", (sentence_citation(extra),), level=1, quote=True))
    return items


def findings_blocks(
    findings: list[Finding], sizes: dict[str, int], polarity: str, quotes: int = 2
) -> list[Block]:
    items = finding_items(findings, sizes, polarity, quotes)
    return (
        [Bullets(tuple(items))]
        if items
        else [Text("No sentence on this theme is clear enough to quote on its own.")]
    )


def test_note() -> Note:
    return Note(
        "A report counts as praising or criticising a theme when at least two of its findings "
        "(sentences outside the recommendations) do so, as coded by the theme model. Differences "
        "between inadequate and good or better reports were tested with Fisher's exact test and "
        "corrected for the 28 themes tested (Benjamini-Hochberg); a difference is called clear "
        "when the corrected value is below 0.05."
    )
