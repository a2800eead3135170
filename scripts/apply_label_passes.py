"""Lay the codebook-v2 re-readings of the training labels over their v1 codings.

`labels/theme_labels.csv` holds the codings the model trains and is scored on. Its training rows
started as the v1 readings, kept in `labels/v1/theme_labels_training_v1.csv` (made by the first
run of this script). Each `labels/v2/train_*.csv` is one narrow re-reading pass under codebook
version 2 (`id,codings`, one row for every sentence its coder read, changed or not); the passes
are applied in the order of PASSES, so a sentence read by two passes takes the later reading.
Held-out rows are never touched here (their v2 gold is the adjudicated reading).

Re-running is safe: it always starts from the v1 codings.

    python scripts/apply_label_passes.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

LABELS = Path(__file__).resolve().parents[1] / "labels"
MASTER = LABELS / "theme_labels.csv"
V1_TRAINING = LABELS / "v1" / "theme_labels_training_v1.csv"
PASSES = (
    "train_drift_delay.csv",
    "train_pass2.csv",
    "train_multi_theme.csv",
    "train_full_f1.csv",
    "train_full_f2.csv",
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    rows = _read(MASTER)
    fields = list(rows[0])
    training = {row["id"]: row for row in rows if row["heldout"] == "0"}
    if not V1_TRAINING.exists():
        V1_TRAINING.parent.mkdir(exist_ok=True)
        with V1_TRAINING.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "codings"])
            writer.writerows((key, row["codings"]) for key, row in training.items())
    for row in _read(V1_TRAINING):
        training[row["id"]]["codings"] = row["codings"]
    for name in PASSES:
        path = LABELS / "v2" / name
        if not path.exists():
            print(f"{name}: not present, skipped")
            continue
        readings = _read(path)
        unknown = [row["id"] for row in readings if row["id"] not in training]
        if unknown:
            print(f"{name}: {len(unknown)} ids are not training labels, e.g. {unknown[:3]}")
            return 1
        changed = 0
        for row in readings:
            changed += training[row["id"]]["codings"] != row["codings"]
            training[row["id"]]["codings"] = row["codings"]
        print(f"{name}: {len(readings):,} sentences re-read, {changed:,} codings changed")
    with MASTER.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
