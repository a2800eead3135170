"""Open exports of the store.

`report_records` is the public JSON contract (keys listed in README); the tabular formats flatten it
(one column per judgement and statistic) so spreadsheets and Power BI read it directly.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

Record = dict[str, Any]

JSON_KEYS = (
    "source",
    "sha256",
    "status",
    "rejection_reason",
    "local_authority",
    "la_code",
    "region",
    "framework",
    "reinspection",
    "title",
    "inspection_start",
    "inspection_end",
    "published",
    "lead_inspector",
    "judgements",
    "recommendations",
    "statistics",
    "checks",
)


def report_records(conn: sqlite3.Connection) -> list[Record]:
    """Every stored input, parsed or rejected, in a stable order (authority, date, source)."""
    judgements = _grouped(conn, "SELECT report_id, key, grade FROM judgements ORDER BY rowid")
    # A database from before the self-checks (read only, so not migrated) exports them empty.
    checked = _has_table(conn, "parse_checks")
    tag = "national_framework" if checked else "NULL AS national_framework"
    recommendations = _grouped(
        conn,
        f"SELECT report_id, number, text, timescale, {tag} FROM recommendations"
        " WHERE scope = 'local_authority' ORDER BY report_id, ordinal",
    )
    checks = (
        _grouped(
            conn,
            "SELECT report_id, code, message, page FROM parse_checks ORDER BY report_id, ordinal",
        )
        if checked
        else {}
    )
    statistics = _grouped(
        conn, "SELECT report_id, key, value, rate_per_10k, as_of FROM statistics ORDER BY rowid"
    )
    rows = conn.execute(
        "SELECT * FROM reports ORDER BY COALESCE(la_name, local_authority, ''),"
        " inspection_end, source"
    ).fetchall()
    return [_record(row, judgements, recommendations, statistics, checks) for row in rows]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(query, (name,)).fetchone() is not None


def _grouped(conn: sqlite3.Connection, sql: str) -> dict[int, list[sqlite3.Row]]:
    grouped: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in conn.execute(sql):
        grouped[row["report_id"]].append(row)
    return grouped


def _record(
    row: sqlite3.Row,
    judgements: dict[int, list[sqlite3.Row]],
    recommendations: dict[int, list[sqlite3.Row]],
    statistics: dict[int, list[sqlite3.Row]],
    checks: dict[int, list[sqlite3.Row]],
) -> Record:
    report_id = row["id"]
    parsed = row["status"] == "parsed"
    return {
        "source": row["source"],
        "sha256": row["sha256"],
        "status": row["status"],
        "rejection_reason": row["rejection_reason"],
        "local_authority": row["la_name"] or row["local_authority"],
        "la_code": row["la_code"],
        "region": row["region"],
        "framework": row["framework"],
        "reinspection": bool(row["reinspection"]) if parsed else None,
        "title": row["title"],
        "inspection_start": row["inspection_start"],
        "inspection_end": row["inspection_end"],
        "published": row["published"],
        "lead_inspector": row["lead_inspector"],
        "judgements": {j["key"]: j["grade"] for j in judgements.get(report_id, [])},
        "recommendations": [
            {
                "number": r["number"],
                "text": r["text"],
                "timescale": r["timescale"],
                "national_framework": _json_or_none(r["national_framework"]),
            }
            for r in recommendations.get(report_id, [])
        ],
        "statistics": {s["key"]: _statistic(s) for s in statistics.get(report_id, [])},
        "checks": [
            {"code": c["code"], "message": c["message"], "page": c["page"]}
            for c in checks.get(report_id, [])
        ],
    }


def _json_or_none(text: str | None) -> Any:
    return json.loads(text) if text else None


def _statistic(row: sqlite3.Row) -> dict[str, Any]:
    value = row["value"]
    return {
        "value": int(value) if float(value).is_integer() else value,
        "rate_per_10k": row["rate_per_10k"],
        "as_of": row["as_of"],
    }


def flat_report_rows(records: list[Record]) -> list[Record]:
    """One row per report for spreadsheets: judgements and statistics become columns."""
    keys = sorted({key for record in records for key in record["judgements"]})
    stats = sorted({key for record in records for key in record["statistics"]})
    rows = []
    for record in records:
        row = {
            k: record[k]
            for k in JSON_KEYS
            if k not in ("judgements", "recommendations", "statistics", "checks")
        }
        row.update({f"judgement_{key}": record["judgements"].get(key) for key in keys})
        row["recommendation_count"] = len(record["recommendations"])
        row["check_count"] = len(record["checks"])
        row.update(
            {f"stat_{key}": (record["statistics"].get(key) or {}).get("value") for key in stats}
        )
        rows.append(row)
    return rows


def judgement_rows(records: list[Record]) -> list[Record]:
    """One row per report x judgement (the shape pivot tables want)."""
    rows = []
    for record in records:
        for key, grade in record["judgements"].items():
            rows.append(
                {
                    "local_authority": record["local_authority"],
                    "la_code": record["la_code"],
                    "region": record["region"],
                    "framework": record["framework"],
                    "reinspection": record["reinspection"],
                    "inspection_start": record["inspection_start"],
                    "inspection_end": record["inspection_end"],
                    "published": record["published"],
                    "judgement": key,
                    "grade": grade,
                    "source": record["source"],
                }
            )
    return rows


def _to_json(records: list[Record], tabular: list[Record]) -> bytes:
    del tabular
    return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _to_csv(records: list[Record], tabular: list[Record]) -> bytes:
    del records
    buffer = io.StringIO()
    if tabular:
        writer = csv.DictWriter(buffer, fieldnames=list(tabular[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(tabular)
    return buffer.getvalue().encode("utf-8")


def _to_xlsx(records: list[Record], tabular: list[Record]) -> bytes:
    from openpyxl import Workbook

    del records
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    if tabular:
        sheet.append(list(tabular[0]))
        for row in tabular:
            sheet.append([_cell(value) for value in row.values()])
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def _to_parquet(records: list[Record], tabular: list[Record]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    del records
    table = pa.Table.from_pylist(tabular) if tabular else pa.table({})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


Writer = Callable[[list[Record], list[Record]], bytes]
EXPORT_FORMATS: dict[str, Writer] = {
    "json": _to_json,
    "csv": _to_csv,
    "xlsx": _to_xlsx,
    "parquet": _to_parquet,
}
BINARY_FORMATS = {"xlsx", "parquet"}


def write_export(conn: sqlite3.Connection, what: str, fmt: str, output: Path | None) -> bytes:
    """Build an export ('reports' or 'judgements') in a format; write it to `output` if given."""
    records = report_records(conn)
    if what == "reports":
        tabular = flat_report_rows(records)
    elif what == "judgements":
        tabular = judgement_rows(records)
        records = tabular
    else:
        raise ValueError(f"unknown export {what!r}: choose reports or judgements")
    payload = EXPORT_FORMATS[fmt](records, tabular)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary = output.with_name(output.name + ".part")
        temporary.write_bytes(payload)
        temporary.replace(output)
    return payload
