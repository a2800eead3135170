"""Every difference between inspection frameworks, held as data.

To support a new framework, or a new wording of an old one, add or edit a `FrameworkSpec` here; the
parsing functions read these tables and contain no framework names. Patterns are matched,
case-insensitively, against `flatten`ed text (one line, single spaces, straight quotes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ILACS_FIELDWORK_SHORT_MAX_DAYS = 7  # Ofsted: short = one week on site, standard = two weeks
ILACS_CARE_LEAVERS_FROM = date(2023, 1, 1)  # a separate care leavers judgement from then on
ILACS_NO_OVERALL_FROM = date(2026, 4, 27)  # inspections from then print no overall effectiveness


@dataclass(frozen=True)
class JudgementRow:
    key: str
    # Regex alternatives for the printed area; the grade must follow within a few characters.
    labels: tuple[str, ...]
    # Where to look: "opening" (first pages), "findings" (after `findings_anchor`) or "anywhere".
    scope: str = "opening"


@dataclass(frozen=True)
class JudgementKey:
    """A canonical judgement, found in a printed table row by its key terms (first match wins, so
    "children in care and care leavers" is the children-in-care row, not the care leavers one)."""

    key: str
    name: str  # in words, for messages
    terms: str  # regex searched in the row's label, normalised (lower case, no footnote digits)


JUDGEMENT_KEYS: tuple[JudgementKey, ...] = (
    JudgementKey("overall_effectiveness", "overall effectiveness", r"\boverall\b"),
    JudgementKey("lscb", "LSCB", r"\blscb\b|safeguarding children board"),
    JudgementKey("capacity_to_improve", "capacity to improve", r"\bcapacity\b"),
    JudgementKey(
        "outcomes_for_looked_after_children_and_young_people",
        "outcomes for looked after children",
        r"\boutcomes\b",
    ),
    JudgementKey("quality_of_provision", "quality of provision", r"\bquality of provision\b"),
    JudgementKey("quality_of_practice", "quality of practice", r"\bquality of practice\b"),
    JudgementKey("adoption", "adoption", r"\badoption\b"),
    JudgementKey("help_and_protection", "help and protection", r"\bhelp\b|\bprotection\b"),
    JudgementKey("children_in_care", "children in care", r"\bin care\b|\blooked after\b"),
    JudgementKey("care_leavers", "care leavers", r"\bcare[ -]?leav|\bleaving care\b"),
    JudgementKey(
        "leadership",
        "leadership",
        r"\blead(?:ers?|ership)\b|\bsocial work practice\b|\bmanagement\b|\bgovernance\b",
    ),
)

# A judgement table: where a printed row's label starts (after a sentence, a colon, the table's
# own header or a row number), and the most words a row label has.
TABLE_LABEL_START = (
    r"(?:[.:;?!]\s+|\bjudgement\s+grade\b\s*|\bgrade\s+|(?<=\s)\d{1,2}(?:\.\d{1,2})*\.?\s+)"
)
# A row label starts with "The" only at its start: a second one is the next row, its grade lost.
TABLE_NEXT_ROW = r"\s(?=The\s)"
TABLE_ROW_NUMBER = r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)+"
TABLE_LABEL_MAX_WORDS = 14
TABLE_REACH = 3_000  # characters of the opening pages holding the table (its rows end by 1,751)
TABLE_NOT_JUDGED = r"not\s+judged"  # a row with no grade: the area was not inspected
# Words of a sentence, not of a table row (sentence forms are the rows' own `labels`).
TABLE_NOT_A_ROW = r"\b(?:is|are|was|were|be|been|has|have|had|remains?|judged)\b"


@dataclass(frozen=True)
class RecommendationBlock:
    heading: str  # regex, whole line
    scope: str  # "local_authority" | "lscb"
    timescale: str | None = None  # a timescale implied by the heading itself
    style: str = "any"  # "numbered" | "bullet" | "any"
    # Known headings that group items inside the list (e.g. by judgement area): not its end.
    subheadings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpectedJudgements:
    """Self-check: the judgements a report of this framework prints, by inspection start date."""

    required: tuple[str, ...]
    absent: tuple[str, ...] = ()  # never printed in this period: found one means a misreading
    since: date | None = None  # inspections starting on or after this day
    until: date | None = None  # ... and before this one
    with_lscb_part: tuple[str, ...] = ()  # also required when the report has an LSCB part

    def applies(self, start: date | None) -> bool:
        if start is None:
            return self.since is None and self.until is None
        return (self.since is None or start >= self.since) and (
            self.until is None or start < self.until
        )


@dataclass(frozen=True)
class ListBounds:
    """Self-check: plausible recommendation lists for a framework (per scope)."""

    scope: str  # "local_authority" | "lscb"
    low: int  # fewest items a list of this scope plausibly holds (when it has a heading)
    high: int  # most items
    item_chars: int = 1_800  # longer than any real recommendation: a list ran on
    # A list may be absent when the part is graded so: an outstanding LSCB is given none.
    graded_by: str = "overall_effectiveness"
    may_be_empty_if: tuple[str, ...] = ("outstanding",)


@dataclass(frozen=True)
class FrameworkSpec:
    id: str
    name: str
    identify: tuple[str, ...]  # any of these in the opening text picks the framework
    authority: tuple[str, ...]  # regexes with a named group `la`, tried in order
    judgements: tuple[JudgementRow, ...]
    recommendations: tuple[RecommendationBlock, ...]
    section_headings: tuple[str, ...]  # regexes, whole line (or two joined lines)
    # Headings that end any recommendations list (in addition to the section headings).
    recommendation_stops: tuple[str, ...] = ()
    findings_anchor: str | None = None
    reinspection: str | None = None  # regex: re-inspection when found in the opening text
    variants_by_fieldwork_days: tuple[tuple[int, int, str], ...] = ()
    lscb_section: str | None = None  # heading that starts the LSCB's part of the report
    # The heading of a part's numbered findings, printed after its recommendations.
    findings_heading: str | None = None
    statistics: bool = True
    publication: str = "inspection"  # "inspection" | "focused_visit" | "monitoring_visit"
    dates_label: str = r"inspection dates?:?"
    # Read the judgements as a printed table of label + grade rows (`JUDGEMENT_KEYS`); rows the
    # table does not give are then looked for by their `labels` (sentence forms, old layouts).
    judgement_table: bool = False
    # Self-checks after parsing (see `checks.py`): the judgements and list sizes to expect.
    expected: tuple[ExpectedJudgements, ...] = ()
    list_bounds: tuple[ListBounds, ...] = ()

    @property
    def all_headings(self) -> tuple[str, ...]:
        """Every heading that starts a section: listed ones, list stops and the LSCB's part."""
        extra = (self.lscb_section,) if self.lscb_section else ()
        return self.section_headings + self.recommendation_stops + extra


# Body headings carry their grade after a colon or "is" ("...protection: good"); the page-1
# table rows ("...protection Good") are not headings.
_ILACS_GRADED_HEADING = r"(?::\s*.*|\s+(?:is|are|requires?)\s+.*)"
# The graded areas, as printed with or without a leading "The" and with the wording drifts seen
# ("children care leavers", leaders' impact "on practice" without "social work").
_ILACS_AREAS = (
    r"experiences and progress of children who need help and protection",
    r"experiences and progress of children in care and care leavers",
    r"experiences and progress of children in care",
    r"experiences and progress of (?:children )?care leavers",
    r"impact of leaders on (?:social work )?practice with children and families",
)
_ILACS_SECTIONS = (
    r"what needs to improve[?:]?(?: in this local authority[?:]?)?",
    *(f"{the}{area}{_ILACS_GRADED_HEADING}" for area in _ILACS_AREAS for the in ("the ", "")),
)

# Judgement areas: findings' section headings, and also sub-headings inside SIF lists.
_SIF_AREA_HEADINGS = (
    r"the experiences and progress of children who need help and protection",
    r"the experiences and progress of children looked after and achieving permanence",
    r"(?:the graded judgement about )?adoption performance",
    r"(?:the graded judgement about )?the experiences and progress of care leavers",
    r"leadership, management and governance",
)

_SIF_SECTIONS = (
    r"section \d: .*",
    r"summary of key findings",
    r"executive summary",
    r"summary for children and young people",
    r"information about this inspection",
    r"information about this local authority area",
    r"inspection judgements? about the local authority",
    r"the experiences and progress of children who need help and protection",
    r"the experiences and progress of children looked after and achieving permanence",
    r"the graded judgement about adoption performance",
    r"the graded judgement about the experiences and progress of care leavers",
    r"leadership, management and governance",
    r"the effectiveness of the local safeguarding children board(?: \(lscb\))?",
    r"what the (?:lscb )?inspection judge?ments mean.*",
    r"priority and immediate action",
    r"areas for improvement",
    r"recommendations",
    r"the inspection team",
)

_OLD_SECTIONS = (
    r"contents",
    r"about this inspection",
    r"the inspection judgements and what they mean",
    r"service information",
    r"overall effectiveness(?: of services for looked after children and young people)?",
    r"areas for improvement",
    r"capacity to improve",
    r"outcomes for looked after children and young people",
    r"quality of provision",
    r"leadership and management",
    r"the effectiveness of the help and protection provided to children, young people, "
    r"families and carers",
    r"the quality of practice",
    r"leadership and governance",
    r"record of main findings",
)

_OLD_RECOMMENDATIONS = (
    RecommendationBlock(heading=r"areas for improvement", scope="local_authority", style="bullet"),
)

# "The LSCB is good", "The effectiveness of the LSCB is inadequate", "The LSCB requires
# improvement".
_LSCB_LABELS = (
    r"the (?:effectiveness of the )?(?:local safeguarding children board|lscb)(?: \(lscb\))?"
    r"(?: is|(?= requires? improvement))",
)


_LETTER_SECTIONS = (
    r"areas covered by the visit",
    r"headline findings",
    r"findings",
    r"main findings",
    r"areas? for priority action",
    r"areas? for improvement",
    r"what needs to improve(?: in this local authority)?[?:]?",
    r"evaluation of progress",
    r"yours sincerely,?",
)


def _letter(kind: str, name: str) -> FrameworkSpec:
    """Focused-visit and monitoring-visit letters: ungraded, with priority actions."""
    visit = kind.replace("_", " ")
    return FrameworkSpec(
        id="other",
        publication=kind,
        name=name,
        identify=(
            rf"this letter summarises the (?:findings|outcome) of (?:the|a) {visit}",
            rf"^(?:.{{0,400}}?)\b{visit} to (?:the )?.{{2,80}}? children's services\b",
        ),
        authority=(rf"{visit} to (?:the )?(?P<la>.+?) (?:local authority )?children's services",),
        judgements=(),
        recommendations=(
            RecommendationBlock(
                heading=r"areas? for priority action",
                scope="local_authority",
                timescale="immediately",
                style="any",
            ),
            RecommendationBlock(
                heading=r"areas? for improvement|what needs to improve(?: in this local "
                r"authority)?[?:]?",
                scope="local_authority",
                style="any",
            ),
        ),
        section_headings=_LETTER_SECTIONS,
        dates_label=rf"{visit} to (?:the )?.{{2,80}}? children's services on",
        statistics=False,
    )


_ILACS_CORE = ("leadership", "help_and_protection", "children_in_care")

FRAMEWORKS: tuple[FrameworkSpec, ...] = (
    FrameworkSpec(
        id="sif",
        name="Single inspection framework (2013-2018)",
        identify=(
            r"inspection of services for children in need of help and protection",
            r"services for children in need of help and protection, children looked after",
        ),
        reinspection=(
            r"\bre-?inspection of services for children|\bthis (?:is|was) a re-?inspection\b"
        ),
        authority=(r"^(?:\d+ )?(?P<la>.+?) (?:re-? ?)?inspection of services for children",),
        judgements=(
            JudgementRow(
                "overall_effectiveness",
                (
                    r"children's services in (?:the )?[a-z ,'&.-]{2,60}? (?:are|is)",
                    r"children's services in (?:the )?[a-z ,'&.-]{2,60}?(?= requires? improvement)",
                    r"the overall judgement is that children's services"
                    r"(?: in (?:the )?[a-z ,'&.-]{2,60}?)? (?:are|is)",
                    r"the overall judgement is",
                ),
            ),
            JudgementRow("help_and_protection", (r"children who need help and protection",)),
            JudgementRow("children_in_care", (r"children looked after and achieving permanence",)),
            JudgementRow("adoption", (r"adoption performance",)),
            JudgementRow("care_leavers", (r"experiences and progress of care leavers",)),
            JudgementRow("leadership", (r"leadership, management and governance",)),
            JudgementRow(
                "lscb",
                _LSCB_LABELS,
                scope="anywhere",
            ),
        ),
        recommendations=(
            RecommendationBlock(
                heading=r"priority and immediate action",
                scope="local_authority",
                timescale="immediately",
                style="numbered",
                subheadings=_SIF_AREA_HEADINGS,
            ),
            RecommendationBlock(
                heading=r"areas for improvement",
                scope="local_authority",
                style="numbered",
                subheadings=_SIF_AREA_HEADINGS,
            ),
            RecommendationBlock(
                heading=r"recommendations",
                scope="local_authority",
                style="numbered",
                subheadings=_SIF_AREA_HEADINGS,
            ),
        ),
        recommendation_stops=(
            r"the local authority has the following strengths:?",
            r"the local authority's strengths",
            r"the lscb's strengths|strengths",
            r"progress since the last inspection",
            r"summary of findings",
            r"this local authority (?:is|requires).*",
            # The LSCB's findings follow its list, numbered on from it.
            # (the board by its local initials too: "Key strengths and weaknesses of the OSCB")
            r"key strengths and weaknesses of the [a-z ]{3,60}",
            r"inspection judgement about the [a-z ]{3,60}",
            r"inspection findings(?: . the local safeguarding children board.*)?",
            # The back cover.
            r"piccadilly gate",
        ),
        findings_heading=r"inspection findings(?: . \D*)?",  # (not its contents line)
        lscb_section=r"section 2: .*|the local safeguarding children board(?: \(lscb\))?"
        r"|inspection findings . the local safeguarding children board"
        r"|review of the effectiveness of the local safeguarding children board.*",
        section_headings=_SIF_SECTIONS,
        judgement_table=True,
        expected=(
            ExpectedJudgements(
                required=(
                    "overall_effectiveness",
                    "help_and_protection",
                    "children_in_care",
                    "adoption",
                    "care_leavers",
                    "leadership",
                ),
                with_lscb_part=("lscb",),
            ),
        ),
        list_bounds=(
            ListBounds("local_authority", 2, 36),
            ListBounds("lscb", 1, 16, graded_by="lscb"),
        ),
    ),
    FrameworkSpec(
        id="lac_2012",
        name="Inspection of looked after children services (2012-2013)",
        identify=(r"inspection of looked after children services",),
        authority=(r"inspection of looked after children services (?P<la>.+?) inspection dates?",),
        findings_anchor=r"record of main findings",
        judgements=(
            JudgementRow("overall_effectiveness", (r"overall effectiveness",), "findings"),
            JudgementRow("capacity_to_improve", (r"capacity to improve",), "findings"),
            JudgementRow(
                "outcomes_for_looked_after_children_and_young_people",
                (r"outcomes for looked after children and young people",),
                "findings",
            ),
            JudgementRow("quality_of_provision", (r"quality of provision",), "findings"),
            JudgementRow("leadership", (r"leadership and management",), "findings"),
        ),
        recommendations=_OLD_RECOMMENDATIONS,
        section_headings=_OLD_SECTIONS,
        expected=(
            ExpectedJudgements(
                required=(
                    "overall_effectiveness",
                    "capacity_to_improve",
                    "outcomes_for_looked_after_children_and_young_people",
                    "quality_of_provision",
                    "leadership",
                ),
            ),
        ),
        list_bounds=(ListBounds("local_authority", 1, 30),),
    ),
    FrameworkSpec(
        id="cp_2012",
        name="Inspection of arrangements for the protection of children (2012-2013)",
        identify=(r"inspection of local authority arrangements for the protection of children",),
        authority=(r"arrangements for the protection of children (?P<la>.+?) inspection dates?",),
        findings_anchor=r"record of main findings",
        judgements=(
            JudgementRow(
                "overall_effectiveness",
                (
                    r"overall effectiveness of the arrangements to protect children in "
                    r"[a-z ,'&.-]{2,60}? is judged to be",
                    r"overall effectiveness",
                ),
                "findings",
            ),
            JudgementRow(
                "help_and_protection",
                (
                    r"the effectiveness of the help and protection provided to children, "
                    r"young people, families and carers",
                ),
                "findings",
            ),
            JudgementRow("quality_of_practice", (r"the quality of practice",), "findings"),
            JudgementRow("leadership", (r"leadership and governance",), "findings"),
        ),
        recommendations=_OLD_RECOMMENDATIONS,
        section_headings=_OLD_SECTIONS,
        expected=(
            ExpectedJudgements(
                required=(
                    "overall_effectiveness",
                    "help_and_protection",
                    "quality_of_practice",
                    "leadership",
                ),
            ),
        ),
        list_bounds=(ListBounds("local_authority", 1, 30),),
    ),
    FrameworkSpec(
        id="slac_2009",
        name="Inspection of safeguarding and looked after children services (2009-2012)",
        identify=(r"inspection of safeguarding and looked after children services",),
        authority=(
            r"safeguarding and looked after children services (?P<la>.+?) inspection dates?",
        ),
        findings_anchor=r"record of main findings",
        judgements=(
            JudgementRow("overall_effectiveness", (r"overall effectiveness",), "findings"),
            JudgementRow(
                "capacity_to_improve", (r"capacity (?:for|to) improve(?:ment)?",), "findings"
            ),
            JudgementRow("leadership", (r"leadership and management",), "findings"),
        ),
        recommendations=_OLD_RECOMMENDATIONS,
        section_headings=_OLD_SECTIONS,
        expected=(ExpectedJudgements(required=("overall_effectiveness", "capacity_to_improve")),),
        list_bounds=(ListBounds("local_authority", 1, 30),),
    ),
    _letter("focused_visit", "Focused visit letter (ungraded)"),
    _letter("monitoring_visit", "Monitoring visit letter (ungraded)"),
    FrameworkSpec(
        id="ilacs",
        name="Inspection of local authority children's services (ILACS, 2018 on)",
        identify=(
            r"inspection of (?:the )?.{2,80}? local authority children's services",
            r"inspection of children's social care services",
            r"inspection of .{2,80}? children's services inspection dates?",
            r"the impact of leaders on social work practice with children and families",
        ),
        authority=(
            r"inspection of (?:the )?(?P<la>.+?) (?:local authority )?children's services",
            r"^(?:\d+ )?(?P<la>.+?) inspection of (?:local authority )?children's "
            r"(?:social care )?services",
        ),
        judgements=(
            JudgementRow(
                "leadership",
                (r"the impact of leaders on social work practice with children and families",),
            ),
            JudgementRow(
                "help_and_protection",
                (r"the experiences and progress of children who need help and protection",),
            ),
            JudgementRow(
                "children_in_care",
                (r"the experiences and progress of children in care(?: and care leavers)?",),
            ),
            JudgementRow("care_leavers", (r"the experiences and progress of care leavers",)),
            JudgementRow("overall_effectiveness", (r"overall effectiveness",)),
        ),
        recommendations=(
            RecommendationBlock(
                heading=r"what needs to improve[?:]?(?: in this local authority[?:]?)?",
                scope="local_authority",
                style="bullet",
            ),
        ),
        variants_by_fieldwork_days=(
            (0, ILACS_FIELDWORK_SHORT_MAX_DAYS, "ilacs_short"),
            (ILACS_FIELDWORK_SHORT_MAX_DAYS + 1, 10_000, "ilacs_standard"),
        ),
        section_headings=_ILACS_SECTIONS,
        statistics=False,
        judgement_table=True,
        expected=(
            ExpectedJudgements(
                required=(*_ILACS_CORE, "overall_effectiveness"),
                absent=("care_leavers",),
                until=ILACS_CARE_LEAVERS_FROM,
            ),
            ExpectedJudgements(
                required=(*_ILACS_CORE, "care_leavers", "overall_effectiveness"),
                since=ILACS_CARE_LEAVERS_FROM,
                until=ILACS_NO_OVERALL_FROM,
            ),
            ExpectedJudgements(
                required=(*_ILACS_CORE, "care_leavers"),
                absent=("overall_effectiveness",),
                since=ILACS_NO_OVERALL_FROM,
            ),
        ),
        list_bounds=(ListBounds("local_authority", 1, 16, item_chars=1_200),),
    ),
    FrameworkSpec(
        id="other",
        name="Review of the effectiveness of a Local Safeguarding Children Board",
        identify=(r"review of the effectiveness of the local safeguarding children board",),
        authority=(r"^(?:\d+ )?(?P<la>.+?) review of the effectiveness",),
        judgements=(
            JudgementRow(
                "lscb",
                _LSCB_LABELS,
                scope="anywhere",
            ),
        ),
        recommendations=(
            RecommendationBlock(heading=r"areas for improvement", scope="lscb", style="numbered"),
        ),
        section_headings=_SIF_SECTIONS,
        expected=(ExpectedJudgements(required=("lscb",)),),
        list_bounds=(ListBounds("lscb", 1, 25, graded_by="lscb"),),
    ),
)

FRAMEWORK_IDS = (
    "slac_2009",
    "cp_2012",
    "lac_2012",
    "sif",
    "ilacs_standard",
    "ilacs_short",
    "other",
)

# Each framework id in words, for what a reader sees.
FRAMEWORK_NAMES = {
    "slac_2009": "Safeguarding and looked after children inspection (2009-2012)",
    "cp_2012": "Child protection inspection (2012-2013)",
    "lac_2012": "Looked after children inspection (2012-2013)",
    "sif": "Single inspection framework (2013-2018)",
    "ilacs_standard": "ILACS standard inspection",
    "ilacs_short": "ILACS short inspection",
    "other": "Other publication",
}
