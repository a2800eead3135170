"""Hostile inputs built from copies of real reports plus generated junk (never committed)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pikepdf
import pytest

import ofsted_atlas
from tests.conftest import CORPUS, require_shared
from tests.synthetic import pdf_bytes

GOOD = [
    "80418_norfolk/children's services inspection - 13 january 2023.pdf",
    "80418_norfolk/children's services inspection,  pdf - 16 august 2013.pdf",
    "80551_sheffield/children's services inspection - 21 february 2014.pdf",
    "80426_barnsley/children's services inspection - 19 november 2018.pdf",
    "80556_south gloucestershire/children's services inspection - 13 february 2017.pdf",
    "80431_blackpool/children's services inspection - 01 february 2023.pdf",
]
NOT_FOUND = "80429_birmingham/children's services inspection - 19 october 2012.pdf"


def comparable(db: Path, root: Path) -> list[dict[str, object]]:
    """Exported records with paths made relative, so two databases can be compared."""
    records = ofsted_atlas.export_reports(ofsted_atlas.open_db(db, read_only=True))
    out = []
    for record in records:
        record = dict(record)
        record["source"] = str(Path(str(record["source"])).relative_to(root))
        out.append(record)
    return sorted(out, key=lambda r: json.dumps(r, sort_keys=True))


@pytest.fixture(scope="session")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The folder, and for each file the outcome expected ('ingested' or a rejection code)."""
    require_shared()
    root = tmp_path_factory.mktemp("hostile")
    expected: dict[str, str] = {}
    rng = random.Random(7)
    for index, name in enumerate(GOOD):
        target = root / f"good_{index}.pdf"
        shutil.copy(CORPUS / name, target)
        expected[target.name] = "ingested"
    sample = (CORPUS / GOOD[0]).read_bytes()
    (root / "truncated.pdf").write_bytes(sample[: len(sample) // 3])
    expected["truncated.pdf"] = "corrupt_pdf"
    (root / "truncated_header_only.pdf").write_bytes(sample[:900])
    expected["truncated_header_only.pdf"] = "corrupt_pdf"
    flipped = bytearray((CORPUS / GOOD[2]).read_bytes())
    for _ in range(400):
        flipped[rng.randrange(2000, len(flipped))] ^= 0xFF
    (root / "flipped.pdf").write_bytes(bytes(flipped))
    expected["flipped.pdf"] = "any"  # pdfium may recover the text or refuse the file
    (root / "empty.pdf").write_bytes(b"")
    expected["empty.pdf"] = "empty"
    shutil.copy(CORPUS / NOT_FOUND, root / "saved_web_page.pdf")
    expected["saved_web_page.pdf"] = "report_not_found_page"
    with pikepdf.open(CORPUS / GOOD[3]) as pdf:
        pdf.save(
            root / "encrypted.pdf", encryption=pikepdf.Encryption(user="secret", owner="owner")
        )
    expected["encrypted.pdf"] = "encrypted_pdf"
    (root / "scan.pdf").write_bytes(pdf_bytes([[], [], []]))
    expected["scan.pdf"] = "image_only"
    with (root / "zeros.pdf").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB of zeros, sparse on disk
    expected["zeros.pdf"] = "too_large"
    (root / "binary.txt").write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    expected["binary.txt"] = "unsupported_type"
    (root / "minutes.txt").write_text("Corporate parenting panel minutes.\n" * 40)
    expected["minutes.txt"] = "not_a_report"
    # Same bytes under a second name: one of each pair is ingested, the other is a duplicate.
    shutil.copy(CORPUS / GOOD[4], root / "copy of the same report.pdf")
    expected["copy of the same report.pdf"] = expected["good_4.pdf"] = "pair:a"
    odd = "Rapport d’inspection — Ünïcödé 📄 " + "long name " * 20 + ".pdf"
    shutil.copy(CORPUS / GOOD[5], root / odd)
    expected[odd] = expected["good_5.pdf"] = "pair:b"
    (root / "ünï").mkdir()
    shutil.copy(CORPUS / GOOD[1], root / "ünï" / "nested report ✓.pdf")
    expected["nested report ✓.pdf"] = expected["good_1.pdf"] = "pair:c"
    return root, expected
