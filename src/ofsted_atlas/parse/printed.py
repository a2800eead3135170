"""What every framework prints the same way, as data: the field labels (dates, publication date,
lead inspector, title), the "report not found" page, the statistics block and the National
Framework tags of 2025+ items. What differs between frameworks is in `frameworks.py`.

Patterns are matched, case-insensitively, against `flatten`ed text (one line, single spaces,
straight quotes).
"""

from __future__ import annotations

# The children's social care National Framework tag that, from 2025, ends each "What needs to
# improve?" item, in the forms printed: "(Outcome one, National Framework)", "(outcome 3:
# national framework)", "(National Framework outcome three).", "Enabler three: National
# Framework.", "(Enabler 1)", "(Enabler: the workforce is equipped and effective, national
# framework)". A tag without parentheses must name the National Framework.
NATIONAL_FRAMEWORK_TAG = (
    r"(?:\s*\((?P<open>)|\s+|^)"
    r"(?:(?P<nf1>national framework),?\s+)?"
    r"(?P<kind>outcome|enabler|principle)\s*(?P<number>\d|one|two|three|four|five|six)?\s*"
    r"(?::\s*(?P<name>[a-z][a-z ,'-]{5,80}?))?"
    r"(?:[,:]?\s*(?:the\s+)?(?P<nf2>national framework))?"
    r"(?(open)\)|)\s*(?P<stop>\.)?\s*$"
)
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# Tags that name the enabler or outcome instead of numbering it.
NATIONAL_FRAMEWORK_NAMES = {
    ("enabler", "multi-agency working is prioritised and effective"): 1,
    ("enabler", "leaders drive conditions for effective practice"): 2,
    ("enabler", "the workforce is equipped and effective"): 3,
    ("outcome", "children, young people and families stay together and get the help they need"): 1,
    ("outcome", "children and young people are supported by their family network"): 2,
    ("outcome", "children and young people are safe in and outside of their home"): 3,
    ("outcome", "children in care and care leavers have stable, loving homes"): 4,
}

# A report with a part on the Local Safeguarding Children Board says so in its title.
LSCB_PART = r"review of the effectiveness of the local safeguarding children board"

# Fields printed the same way in every framework.
DATES_STOP = (
    r"\.(?:\s|$)|"
    r"lead inspector|reporting inspector|report published|published:|age group|judgement"
    r"|children's services in|the overall judgement|overall effectiveness|this inspection"
)
PUBLISHED_LABEL = r"(?:report )?published:?"
# The title: read from the opening lines, up to the first line printing a field.
TITLE_LINES = 14
TITLE_MAX_LINES = 7
TITLE_STOP = (
    r"inspection dates?\b|(?:report )?published\b|(?:lead|reporting) inspectors?\b|judgement\b"
    r"|children's services in\b|the overall judgement\b|age group\b|\d"
)
# The labels before the lead inspector's name ("Lead inspector:", "Lead inspectors:", "Reporting
# inspector", "Lead inspector on site:", "Report author:"); letters name theirs under the
# signature. Each label holds one of the literal words, around which it is looked for.
LEAD_INSPECTOR_LABEL = (
    r"(?:[Ll]ead|LEAD|[Rr]eporting) [Ii]nspector(?:s\b)?(?: on site)?:?\s*"
    r"|[Rr]eport [Aa]uthor:?\s*|Yours sincerely,?\s*"
)
LEAD_INSPECTOR_LABEL_WORDS = ("nspector", "uthor", "sincerely")
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

# The authority's statistics block (single inspection framework and earlier), read by keyword:
# in the block "Information about this local authority area" (its last printing: the first is
# the contents), each statistic's value is the first count in the first sentence holding its
# keyword, once dates, percentages and the rate are set aside ("At 31 May 14, 227 children were
# being looked after by the LA (a rate of 46.2 per 10,000 children)", "At 26 October 2015, the
# local authority is looking after 476 children", "no children were ...").
STATISTICS_BLOCK = "information about this local authority area"
STATISTICS_BLOCK_CHARS = 9_000
STATISTICS: tuple[tuple[str, str], ...] = (
    ("children_population", r"\bunder the age of (?:18|eighteen)\b"),
    (
        "children_in_need",
        r"\b(?:formally )?in need of (?:a )?specialist|\bidentified (?:through (?:social care )?"
        r"assessment )?(?:as being )?(?:formally )?in need\b|\bformally in need\b",
    ),
    (
        "child_protection_plans",
        r"\bsubject (?:of|to) (?:a )?child(?:ren)?(?:'s)? protection plans?",
    ),
    (
        "children_looked_after",
        r"\b(?:being|are|were|is|was|been) looked after by\b|\blooking after \S+ child"
        r"|\bin the care of the (?:local authority|la)\b|\bthere were [\d,]+ looked after children",
    ),
)
