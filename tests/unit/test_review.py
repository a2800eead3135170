"""Review mode: corrections need the token's session, this site's Origin and the form's CSRF token;
the default server has no write route at all; corrections come out in the labels format."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ofsted_atlas
from ofsted_atlas.coding import code_reports
from ofsted_atlas.coding.review import export_labels, reviewed_codings
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import connect
from ofsted_atlas.web import create_app
from ofsted_atlas.web.review import ReviewSettings
from tests.synthetic import ilacs_pdf

TOKEN = "correct horse battery staple"
SITE = {"Origin": "http://testserver"}


@pytest.fixture
def coded(tmp_path: Path) -> tuple[Path, int]:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.pdf").write_bytes(ilacs_pdf())
    db = tmp_path / "atlas.sqlite"
    ofsted_atlas.ingest([tmp_path / "reports"], db, IngestOptions(workers=1))
    conn = connect(db)
    code_reports(conn, workers=1)
    report_id = conn.execute("SELECT report_id FROM coding_runs").fetchone()[0]
    conn.close()
    return db, report_id


def _forms(html: str) -> list[dict[str, str]]:
    forms = re.findall(r'<form method="post" action="/review/codings".*?</form>', html, re.S)
    return [dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)) for form in forms]


def _signed_in(db: Path) -> TestClient:
    client = TestClient(create_app(db, review=ReviewSettings(TOKEN)), follow_redirects=False)
    assert client.post("/review/sign-in", data={"token": TOKEN}).status_code == 403  # no Origin
    wrong = client.post("/review/sign-in", data={"token": "not the token!"}, headers=SITE)
    assert wrong.status_code == 303 and "failed" in wrong.headers["location"]
    assert "atlas_review" not in client.cookies
    right = client.post("/review/sign-in", data={"token": TOKEN}, headers=SITE)
    assert right.status_code == 303 and "atlas_review" in client.cookies
    assert "samesite=strict" in right.headers["set-cookie"].lower()
    return client


def test_a_correction_is_stored_and_exported_as_labels(coded: tuple[Path, int]) -> None:
    db, report_id = coded
    anonymous = TestClient(create_app(db, review=ReviewSettings(TOKEN)), follow_redirects=False)
    page = anonymous.get(f"/reports/{report_id}").text
    assert "sign in with the review token" in page and not _forms(page)
    client = _signed_in(db)
    forms = _forms(client.get(f"/reports/{report_id}").text)
    coding = next(f for f in forms if "theme" in f)  # a coding the model made
    wrong = {**coding, "action": "wrong"}
    assert client.post("/review/codings", data=wrong).status_code == 403  # no Origin
    elsewhere = {"Origin": "https://evil.example"}
    assert client.post("/review/codings", data=wrong, headers=elsewhere).status_code == 403
    cross = {"Sec-Fetch-Site": "cross-site", **SITE}  # a browser's word beats a forged Origin
    assert client.post("/review/codings", data=wrong, headers=cross).status_code == 403
    forged = {**wrong, "csrf": "0" * 64}
    assert client.post("/review/codings", data=forged, headers=SITE).status_code == 403
    assert anonymous.post("/review/codings", data=wrong, headers=SITE).status_code == 403
    done = client.post("/review/codings", data=wrong, headers=SITE)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/reports/{report_id}")
    added = {**coding, "theme": "care_leavers", "polarity": "strength", "action": "add"}
    assert client.post("/review/codings", data=added, headers=SITE).status_code == 303
    unknown = {**coding, "theme": "not_a_theme", "action": "add", "polarity": "strength"}
    assert client.post("/review/codings", data=unknown, headers=SITE).status_code == 400
    after = client.get(f"/reports/{report_id}").text
    assert "marked wrong" in after and "Added: Care leavers: strength" in after

    conn = connect(db)
    rows = conn.execute("SELECT action, model_version, reviewed_at FROM coding_reviews").fetchall()
    assert [r[0] for r in rows] == ["wrong", "add"] and all(r[1] and r[2] for r in rows)
    [(_, codings)] = reviewed_codings(conn)
    assert coding["theme"] not in codings and codings["care_leavers"] == "strength"
    text, summary = export_labels(conn, db.parent / "reports")
    assert summary.written == 1 and summary.unplaced == 0
    [label] = list(csv.DictReader(io.StringIO(text)))
    assert label["file"] == "a.pdf" and "care_leavers:strength" in label["codings"]
    assert coding["theme"] not in label["codings"]


def test_the_default_server_refuses_every_write(coded: tuple[Path, int]) -> None:
    db, report_id = coded
    client = TestClient(create_app(db), follow_redirects=False)
    page = client.get(f"/reports/{report_id}").text
    assert "Review" not in page and not _forms(page)
    for path in ("/review/sign-in", "/review/codings", f"/reports/{report_id}", "/api/reports"):
        response = client.post(path, data={"token": TOKEN}, headers=SITE)
        assert response.status_code in (404, 405), path
    conn = connect(db)
    assert conn.execute("SELECT COUNT(*) FROM coding_reviews").fetchone()[0] == 0


def test_review_mode_needs_a_real_token() -> None:
    with pytest.raises(ValueError, match="at least 12"):
        ReviewSettings("short")


def test_corrections_join_training_but_never_the_heldout_set() -> None:
    from ofsted_atlas.coding.labels import LabelledSentence
    from ofsted_atlas.coding.train import with_corrections

    def label(ident: str, start: int, themes: dict[str, str], heldout: bool = False):
        return LabelledSentence(ident, "a.pdf", 1, start, start + 10, heldout, themes)

    training = [label("t1", 0, {"education": "strength"}), label("t2", 20, {})]
    heldout = [label("h1", 40, {"drift_delay": "weakness"}, heldout=True)]
    corrections = [
        label("r1", 0, {"education": "weakness"}),  # replaces t1
        label("r2", 60, {"care_leavers": "strength"}),  # new
        label("r3", 40, {}),  # a held-out span: left out
    ]
    merged = with_corrections(training, corrections, training + heldout)
    assert sorted(x.id for x in merged) == ["r1", "r2", "t2"]
    assert next(x for x in merged if x.id == "r1").themes == {"education": "weakness"}
