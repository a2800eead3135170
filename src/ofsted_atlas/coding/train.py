"""`make train-coding`: train the theme model on the training part of our labels and save it.

Themes learn from the hand-coded sentences only; polarity also from the teacher's readings of
unlabelled sentences (`labels/theme_labels_teacher.csv.gz`, made by `make train-teacher`), when
that file is present.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from .labels import examples as labelled_examples
from .labels import load_labels
from .model import DEFAULT_MODEL, train
from .teacher import TEACHER_LABELS


def main(corpus: Path) -> int:
    labels = [label for label in load_labels() if not label.heldout]
    readings = (
        labelled_examples(load_labels(TEACHER_LABELS), corpus) if TEACHER_LABELS.exists() else []
    )
    model = train(
        labelled_examples(labels, corpus),
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        polarity_readings=readings,
    )
    model.save(DEFAULT_MODEL)
    size = DEFAULT_MODEL.stat().st_size / 1e6
    print(
        f"trained on {model.trained_on} labelled sentences and {len(readings)} teacher readings"
        f" -> {DEFAULT_MODEL} ({size:.1f} MB), version {model.version}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus/reports")))
