"""Every difference between inspection frameworks, held as data.

To support a new framework, or a new wording of an old one, add or edit a `FrameworkSpec` here; the
parsing functions read these tables and contain no framework names. Patterns are matched,
case-insensitively, against `flatten`ed text (one line, single spaces, straight quotes).
"""

from __future__ import annotations

from dataclasses import dataclass

ILACS_FIELDWORK_SHORT_MAX_DAYS = 7  # Ofsted: short = one week on site, standard = two weeks


@dataclass(frozen=True)
class JudgementRow:
    key: str
    # Regex alternatives for the printed area; the grade must follow within a few characters.
    labels: tuple[str, ...]
    # Where to look: "opening" (first pages), "findings" (after `findings_anchor`) or "anywhere".
    scope: str = "opening"


@dataclass(frozen=True)
class RecommendationBlock:
    heading: str  # regex, whole line
    scope: str  # "local_authority" | "lscb"
    timescale: str | None = None  # a timescale implied by the heading itself
    style: str = "any"  # "numbered" | "bullet" | "any"
    # Known headings that group items inside the list (e.g. by judgement area): not its end.
    subheadings: tuple[str, ...] = ()


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
    statistics: bool = True
    publication: str = "inspection"  # "inspection" | "focused_visit" | "monitoring_visit"
    dates_label: str = r"inspection dates?:?"

    @property
    def all_headings(self) -> tuple[str, ...]:
        """Every heading that starts a section: listed ones, list stops and the LSCB's part."""
        extra = (self.lscb_section,) if self.lscb_section else ()
        return self.section_headings + self.recommendation_stops + extra


# Body headings carry their grade after a colon or "is" ("...protection: good"); the page-1
# table rows ("...protection Good") are not headings.
_ILACS_GRADED_HEADING = r"(?::\s*.*|\s+(?:is|are)\s+.*)"
_ILACS_SECTIONS = (
    r"what needs to improve[?:]?(?: in this local authority[?:]?)?",
    r"the experiences and progress of children who need help and protection"
    + _ILACS_GRADED_HEADING,
    r"the experiences and progress of children in care and care leavers" + _ILACS_GRADED_HEADING,
    r"the experiences and progress of children in care" + _ILACS_GRADED_HEADING,
    r"the experiences and progress of care leavers" + _ILACS_GRADED_HEADING,
    r"the impact of leaders on social work practice with children and families"
    + _ILACS_GRADED_HEADING,
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
    r"what the inspection judgements mean.*",
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
        authority=(r"^(?:\d+ )?(?P<la>.+?) (?:re-)?inspection of services for children",),
        judgements=(
            JudgementRow(
                "overall_effectiveness",
                (
                    r"children's services in (?:the )?[a-z ,'&.-]{2,60}? (?:are|is)",
                    r"children's services in (?:the )?[a-z ,'&.-]{2,60}?(?= requires? improvement)",
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
        ),
        lscb_section=r"section 2: .*|the local safeguarding children board \(lscb\)"
        r"|inspection findings . the local safeguarding children board"
        r"|review of the effectiveness of the local safeguarding children board.*",
        section_headings=_SIF_SECTIONS,
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

# Fields printed the same way in every framework.
DATES_STOP = (
    r"\.(?:\s|$)|"
    r"lead inspector|reporting inspector|report published|published:|age group|judgement"
    r"|children's services in|the overall judgement|overall effectiveness|this inspection"
)
PUBLISHED_LABEL = r"(?:report )?published:?"
# Where the lead inspectors' names certainly end ...
LEAD_INSPECTOR_END = (
    r"\bage group|\bjudgement|\binspection\b|\bpublished|\boverall|\bdeputy|\bteam\b"
    r"|\bquality assurance|\bthe\b|\bchildren|\bservices|\bofsted|\bsenior\b|\bsocial care\b"
    r"|\bshadow|\(|\d"
)
# ... and the titles printed between them.
LEAD_INSPECTOR_TITLES = r"\bhmi\b|\b(?:her|his) majesty's inspectors?\b|\binspectors?\b"
# A "not found" web page says so in its title or in a heading line of its own ("Report not
# found", "404", "Error 404 - page not found"); a report that merely mentions "404 children" or a
# page "not found" in a sentence is not one.
NOT_FOUND_PAGE = (
    r"\breport (?:was )?not found\b|\bpage (?:was )?not found\b|\bsorry, we can(?:'|no)t find"
    r"|\b404\b"
)
NOT_FOUND_HEADING = (
    r"(?:error\s*)?404(?:\s*error)?(?:\W+(?:report|page|document) (?:was )?not found)?\W*"
    r"|(?:report|page|document) (?:was )?not found\W*|sorry, we can(?:'|no)t find\b.{0,80}"
)

# The authority's statistics block (single inspection framework and earlier): (key, needle,
# pattern). The pattern is tried only near each occurrence of its literal needle, which keeps it
# cheap on long reports. `value` is the count; `rate`, when present, the rate per 10,000 children.
STATISTICS: tuple[tuple[str, str, str], ...] = (
    (
        "children_population",
        "under the age of",
        r"(?:approximately|around|about) (?P<value>[\d,]+) children and young people under "
        r"the age of (?:18|eighteen)",
    ),
    (
        "children_in_need",
        "formally in need",
        r"(?:at (?P<as_of>\d{1,2} \w+ \d{4}),? )?(?P<value>[\d,]+) children (?:had been|have been|"
        r"were) identified through (?:social care )?assessment(?: \([^)]*\))? as being formally "
        r"in need",
    ),
    (
        "child_protection_plans",
        "child protection plan",
        r"(?:at (?P<as_of>\d{1,2} \w+ \d{4}),? )?(?P<value>[\d,]+) children(?: and young people)? "
        r"(?:were|are|was) (?:the )?subject (?:of|to) a child protection plan"
        r"(?: \((?:a rate of |up from |down from )?(?P<rate>[\d.]+) per 10,000[^)]*\))?",
    ),
    (
        "children_looked_after",
        "looked after by the local authority",
        r"(?:at (?P<as_of>\d{1,2} \w+ \d{4}),? )?(?P<value>[\d,]+) children(?: and young people)? "
        r"(?:were being|are being|have been|had been|were|are) looked after by the local authority"
        r"(?: \((?:a rate of )?(?P<rate>[\d.]+) per 10,000[^)]*\))?",
    ),
    (
        "children_looked_after",
        "looked after children",
        r"at the time of the inspection there were (?P<value>[\d,]+) looked after children",
    ),
)
