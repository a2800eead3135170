"""Lay the codebook-v2 re-readings of the training labels over their v1 codings.

`labels/theme_labels.csv` holds the codings the model trains and is scored on. Its training rows
started as the v1 readings, kept in `labels/v1/theme_labels_training_v1.csv` (made by the first
run of this script). Each `labels/v2/train_*.csv` is one narrow re-reading pass under codebook
version 2 (`id,codings`, one row for every sentence its coder read, changed or not); the passes
are applied in the order of PASSES, so a sentence read by two passes takes the later reading.
Held-out rows are never touched here (their v2 gold is the adjudicated reading).

After the passes, two more steps (December 2026, third session on codebook v2):
- `train_reread.csv`: a blind re-reading of every training sentence on which the theme model's
  out-of-fold reading and the label disagreed (and of a random 300 on which they agreed), and
  `train_third_reading.csv`: a third blind reading of each sentence whose re-reading differed from
  its label. Where a third reading exists, each theme is kept when at least two of the three
  readings carry it, with the polarity most of those give (the third reader's on a tie);
  otherwise the re-reading stands (it equals the label, or no third reading was made yet).
- `new_sentences.csv`: training sentences read for the first time
  (`id,file,page,start,end,codings`), added as rows with heldout=0 (ids `x…`).
- `heldout2_adjudicated.csv`: more held-out sentences (ids `h…`, never trained on), each read by
  two readers independently and their differences adjudicated, added as rows with heldout=1.

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
    _vote(training)
    added = _new_rows(fields, "new_sentences.csv", "0") + _new_rows(
        fields, "heldout2_adjudicated.csv", "1"
    )
    rows = [row for row in rows if row["id"][0] not in "xh"] + added
    with MASTER.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


def _codings(text: str) -> dict[str, str]:
    return dict(item.split(":", 1) for item in text.split(";") if item)


def _vote(training: dict[str, dict[str, str]]) -> None:
    reread_path, third_path = (
        LABELS / "v2" / "train_reread.csv",
        LABELS / "v2" / "train_third_reading.csv",
    )
    if not reread_path.exists():
        return
    third = {row["id"]: row["codings"] for row in _read(third_path)} if third_path.exists() else {}
    changed = voted = 0
    for row in _read(reread_path):
        label = training[row["id"]]
        before = label["codings"]
        if row["id"] in third:
            readings = [_codings(before), _codings(row["codings"]), _codings(third[row["id"]])]
            kept = {}
            for theme in {t for reading in readings for t in reading}:
                sides = [reading[theme] for reading in readings if theme in reading]
                if len(sides) >= 2:
                    tally = {side: sides.count(side) for side in sides}
                    best = max(tally.values())
                    tied = [side for side, n in tally.items() if n == best]
                    kept[theme] = readings[2].get(theme) if len(tied) > 1 else tied[0]
            label["codings"] = ";".join(f"{t}:{p}" for t, p in sorted(kept.items()) if p)
            voted += 1
        else:
            label["codings"] = row["codings"]
        changed += _codings(label["codings"]) != _codings(before)
    print(
        f"re-read and voted: {voted:,} sentences with a third reading, {changed:,} codings changed"
    )


def _new_rows(fields: list[str], name: str, heldout: str) -> list[dict[str, str]]:
    path = LABELS / "v2" / name
    if not path.exists():
        return []
    new = _read(path)
    print(f"{name}: {len(new):,} sentences added (heldout={heldout})")
    return [{**{field: row.get(field, "") for field in fields}, "heldout": heldout} for row in new]


if __name__ == "__main__":
    sys.exit(main())
