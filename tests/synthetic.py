"""Synthetic inputs written by the tests themselves: tiny PDFs and report texts in Ofsted's layouts.

The PDF writer emits the smallest valid PDF 1.4 (one Helvetica text stream per page) so tests need
no PDF library and no real report.
"""

from __future__ import annotations


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF whose page i shows the lines pages[i] (an empty list makes a page with no text)."""
    objects: list[bytes] = []
    page_ids = [3 + 2 * index for index in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids).encode()
    objects.append(
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(len(pages)).encode() + b" >>"
    )
    for index, lines in enumerate(pages):
        content_id = page_ids[index] + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
            f"{font_id} 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        stream = _text_stream(lines)
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _text_stream(lines: list[str]) -> bytes:
    if not lines:
        return b"0 0 1 rg 10 10 100 100 re f"  # a filled square: a page with no text layer
    parts = ["BT /F1 10 Tf 12 TL 50 800 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(f"({escaped}) Tj T*")
    parts.append("ET")
    return "\n".join(parts).encode("cp1252", "replace")


ILACS_PAGES = [
    [
        "Inspection of Exampleshire local authority",
        "children's services",
        "Inspection dates: 3 to 14 October 2022",
        "Lead inspector: Jane Example, His Majesty's Inspector",
        "Judgement Grade",
        "The impact of leaders on social work",
        "practice with children and families",
        "Good",
        "The experiences and progress of",
        "children who need help and protection",
        "Requires improvement to be good",
        "The experiences and progress of",
        "children in care",
        "Good",
        "The experiences and progress of care leavers Outstanding",
        "Overall effectiveness Good",
        "Services for children in Exampleshire are good. Leaders know their services well.",
    ],
    [
        "Inspection of Exampleshire local authority children's services",
        "3 to 14 October 2022 2",
        "What needs to improve?",
        "\u2022 The timeliness of initial child protection conferences.",
        "\u2022 The quality of management oversight and supervision, so that plans",
        "progress without drift.",
        "The experiences and progress of children who need help and",
        "protection: requires improvement to be good",
        "1. Children and families benefit from a well-established early help offer. Thresholds",
        "are understood by partners.",
        "2. Return home interviews are not always timely for children who go missing.",
    ],
    [
        "Inspection of Exampleshire local authority children's services",
        "3 to 14 October 2022 3",
        "3. Managers' oversight of casework is not yet consistent across teams.",
        "The impact of leaders on social work practice with children and families: good",
        "4. Senior leaders have invested in the workforce and caseloads are manageable.",
    ],
]


def ilacs_pdf() -> bytes:
    return pdf_bytes(ILACS_PAGES)


def ilacs_text(*, with_overall: bool = True, dates: str = "3 to 14 October 2022") -> str:
    pages = [list(page) for page in ILACS_PAGES]
    pages[0][2] = f"Inspection dates: {dates}"
    if not with_overall:
        pages[0] = [line for line in pages[0] if not line.startswith("Overall effectiveness")]
    return "\f".join("\n".join(page) for page in pages)


SIF_TEXT = """1
Exampleton City Council
Inspection of services for children in need of help and
protection, children looked after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children
Board
Inspection dates: 19 November-11 December 2013 and 28 - 30
January 2014
Report published: 21 February 2014
Children's services in Exampleton require improvement
1. Children who need help and protection Good
2. Children looked after and achieving permanence Requires
improvement
2.1 Adoption performance Requires improvement
2.2 Experiences and progress of care leavers Good
3. Leadership, management and governance Good
The effectiveness of the Local Safeguarding Children Board (LSCB) is
good.
\f2
Section 1: The local authority
Summary of key findings
1. Plans for looked after children are not always clear.
2. Council leaders are making a positive difference.
Priority and immediate action
3. There are no areas for priority or immediate action.
Areas for improvement
4. Ensure that strategy discussions include statutory partners.
5. Improve the educational achievement of looked after children by:
\u2022 targeting the pupil premium
\u2022 monitoring progress in personal education plans.
6. Ensure that care leavers have pathway plans with clear objectives.
Information about this local authority area
Children living in this area
\u2022 Approximately 114,000 children and young people under the age of 18
years live in Exampleton.
Child protection in this area
\u2022 At 31 March 2013, 3,860 children had been identified through assessment as
being formally in need of a specialist children's service.
\u2022 At 31 March 2013, 437 children and young people were the subject of a
child protection plan (a rate of 38.5 per 10,000 children).
Children looked after in this area
\u2022 At 31 March 2013, 535 children were being looked after by the local
authority (a rate of 47 per 10,000 children).
\f3
The inspection team
Lead inspector: Sam Sample HMI
Deputy lead inspector: Alex Other HMI
"""

NOT_FOUND_HTML = """<!DOCTYPE html><html lang="en"><head><title>Report not found - Ofsted</title>
</head><body><h1>Report not found</h1><p>Sorry, we can't find the report you asked for.</p>
<script>var x = 1;</script></body></html>"""


def ilacs_pdf_for(authority: str) -> bytes:
    """The synthetic ILACS report, for another authority (so contents differ per download)."""
    return pdf_bytes(
        [[line.replace("Exampleshire", authority) for line in page] for page in ILACS_PAGES]
    )


FOCUSED_VISIT_LINES = [
    "Focused visit to Exampleshire local authority children's services",
    "This letter summarises the findings of the focused visit to Exampleshire local authority",
    "children's services on 9 and 10 October 2019.",
    "Headline findings",
    "Children at risk of harm receive timely help. Managers' oversight is not yet consistent.",
    "Areas for priority action",
    "\u2022 Ensure that management oversight of all children's cases is effective.",
    "Areas for improvement",
    "\u2022 The timeliness of return home interviews.",
    "\u2022 The quality of written plans for children in need.",
    "Yours sincerely",
    "Jane Example",
    "Her Majesty's Inspector",
]


def focused_visit_pdf() -> bytes:
    return pdf_bytes([FOCUSED_VISIT_LINES])
