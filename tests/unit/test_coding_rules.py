"""The codebook's rules as the coding pipeline applies them to stored reports."""

from __future__ import annotations

from pathlib import Path

import ofsted_atlas
from ofsted_atlas.coding import code_reports, load_model
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import connect
from tests.synthetic import ilacs_text

PRAISE = "Strong management oversight of all children's cases is a clear strength."


def test_what_needs_to_improve_items_are_coded_as_weaknesses(tmp_path: Path) -> None:
    """A sentence the model reads as a strength is a weakness inside "What needs to improve?"
    (the codebook's rule), and stays a strength elsewhere in the same report."""
    assert {c.polarity for c in load_model().code([PRAISE])[0]} == {"strength"}
    text = ilacs_text().replace(
        "\u2022 The timeliness of initial child protection conferences.", f"\u2022 {PRAISE}"
    )
    text = text.replace(
        "1. Children and families benefit", f"1. {PRAISE} Children and families benefit"
    )
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "atlas.sqlite"
    ofsted_atlas.ingest([tmp_path / "reports"], db, IngestOptions(workers=1))
    conn = connect(db)
    code_reports(conn, workers=1)
    rows = conn.execute(
        "SELECT section, polarity FROM coded_sentences WHERE sentence LIKE ?", (f"%{PRAISE}%",)
    ).fetchall()
    in_list = {r["polarity"] for r in rows if "needs to improve" in (r["section"] or "").lower()}
    elsewhere = {
        r["polarity"] for r in rows if "needs to improve" not in (r["section"] or "").lower()
    }
    assert in_list == {"weakness"}
    assert elsewhere == {"strength"}
