"""Metadata for browsing the database in Datasette (an optional extra), for questions the pages do
not answer: table and column descriptions, full-text search on paragraphs and recommendations,
and canned queries that print grades, judgement areas and frameworks in words.

    datasette data/ofsted-atlas.sqlite -m src/ofsted_atlas/web/datasette.json

The JSON file is generated from this module (`python -m ofsted_atlas.web.datasette`) and a test
checks the two agree, so the labels are those of the web pages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ofsted_atlas.analysis.labels import GRADE_LABELS

from .labels import AREA_LABELS, AREA_ORDER, FRAMEWORK_LABELS, theme_names

HERE = Path(__file__).parent
METADATA = HERE / "datasette.json"
DATABASE = "ofsted-atlas"  # Datasette names a database after its file

TABLES: dict[str, dict[str, Any]] = {
    "reports": {
        "description": "One row per file ingested: parsed inspection reports and letters, and "
        "rejected files with the reason.",
        "columns": {
            "source": "Path of the file as ingested",
            "status": "parsed, or rejected (see rejection_reason)",
            "framework": "Inspection framework (see the framework_names query for its name)",
            "la_name": "Authority, as in the DfE lookup",
            "la_code": "DfE local authority code",
            "urn": "Ofsted unique reference number of the authority",
            "inspection_start": "First day of fieldwork (ISO date)",
            "inspection_end": "Last day of fieldwork (ISO date)",
            "published": "Publication date printed in the report, if any",
            "publication_type": "inspection, focused_visit or monitoring_visit",
        },
    },
    "judgements": {
        "description": "Every graded judgement of every report (the graded_judgements query "
        "gives them in words, overall effectiveness first).",
        "columns": {
            "key": "Judgement area",
            "grade": "Grade: outstanding, good, requires_improvement (printed 'Requires "
            "improvement to be good'), adequate (2009-2013 frameworks) or inadequate",
            "label": "The judgement's heading as printed",
            "page": "Page of the report where the grade is printed",
        },
    },
    "recommendations": {
        "description": "What the authority needs to improve, as listed in each report. "
        "Full-text search works on the text.",
        "columns": {
            "number": "Number in the report's list",
            "timescale": "Timescale printed with it, if any",
            "scope": "local_authority, or lscb (the safeguarding board's own list)",
        },
        "fts_table": "recommendations_fts",
        "fts_pk": "id",
    },
    "paragraphs": {
        "description": "Every paragraph of every report with its page and number. Full-text "
        "search works on the text.",
        "columns": {"number": "Paragraph number as printed", "page": "Page of the report"},
        "fts_table": "paragraphs_fts",
        "fts_pk": "id",
    },
    "sections": {"description": "Headed sections of each report."},
    "statistics": {"description": "Statistics printed in a report (rates per 10,000 children)."},
    "sentences": {"description": "Sentences cut from the paragraphs (character spans)."},
    "codings": {
        "description": "Themes the coding model gives each sentence, with polarity (strength, "
        "weakness or neutral) and confidence.",
    },
    "coded_sentences": {"description": "Each coding with its sentence, page and section."},
    "theme_profiles": {
        "description": "Per report and judgement area: strengths and weaknesses per theme."
    },
    "coding_runs": {
        "description": "One coding run per report: model version and the tone of its findings "
        "(-1 every coded finding a weakness, +1 every one a strength)."
    },
    "downloads": {"description": "What `ofsted-atlas sync` fetched from the Ofsted website."},
}


def _values(pairs: dict[str, str]) -> str:
    return ", ".join(
        f"('{key}', '{text.replace(chr(39), chr(39) * 2)}')" for key, text in pairs.items()
    )


def queries() -> dict[str, dict[str, Any]]:
    grades = _values(GRADE_LABELS)
    areas = ", ".join(
        f"('{key}', '{AREA_LABELS[key]}', {position})" for position, key in enumerate(AREA_ORDER)
    )
    frameworks = _values(FRAMEWORK_LABELS)
    themes = _values(theme_names())
    return {
        "graded_judgements": {
            "title": "Every graded judgement, in words",
            "description": "Grades as Ofsted prints them, overall effectiveness first.",
            "sql": (
                f"WITH grade_names(grade, name) AS (VALUES {grades}),"
                f" area_names(key, name, position) AS (VALUES {areas}),"
                f" framework_names(framework, name) AS (VALUES {frameworks})"
                " SELECT COALESCE(r.la_name, r.local_authority) AS authority,"
                " r.inspection_end AS inspection_ended, f.name AS framework,"
                " COALESCE(a.name, j.key) AS judgement, g.name AS grade, j.page"
                " FROM judgements j JOIN reports r ON r.id = j.report_id"
                " LEFT JOIN grade_names g ON g.grade = j.grade"
                " LEFT JOIN area_names a ON a.key = j.key"
                " LEFT JOIN framework_names f ON f.framework = r.framework"
                " ORDER BY authority, r.inspection_end, COALESCE(a.position, 99)"
            ),
        },
        "framework_names": {
            "title": "Framework names",
            "sql": f"SELECT column1 AS framework, column2 AS name FROM (VALUES {frameworks})",
        },
        "theme_names": {
            "title": "Theme names",
            "sql": f"SELECT column1 AS theme, column2 AS name FROM (VALUES {themes})",
        },
        "search_passages": {
            "title": "Search the reports' paragraphs",
            "description": "Words or an FTS5 query, best matches first.",
            "sql": (
                "SELECT COALESCE(r.la_name, r.local_authority) AS authority,"
                " r.inspection_end AS inspection_ended, p.page, p.number AS paragraph,"
                " snippet(paragraphs_fts, 0, '[', ']', '…', 24) AS passage"
                " FROM paragraphs_fts JOIN paragraphs p ON p.id = paragraphs_fts.rowid"
                " JOIN reports r ON r.id = p.report_id WHERE paragraphs_fts MATCH :words"
                " ORDER BY bm25(paragraphs_fts) LIMIT 200"
            ),
        },
    }


def metadata() -> dict[str, Any]:
    return {
        "title": "Inspection Atlas",
        "description": "Ofsted inspections of English councils' children's services, parsed "
        "from the published reports. Report text stays in the reports; this database holds "
        "what Inspection Atlas read from them.",
        "databases": {
            DATABASE: {
                "description": "Reports, judgements, recommendations, paragraphs and theme "
                "codings.",
                "tables": {
                    **TABLES,
                    **{
                        f"{name}_fts": {"hidden": True}
                        for name in ("paragraphs", "recommendations")
                    },
                },
                "queries": queries(),
            }
        },
    }


def main() -> None:
    METADATA.write_text(json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
