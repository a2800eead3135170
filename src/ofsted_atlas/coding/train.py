"""`make train-coding`: train the theme model on the training part of our labels and save it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from .labels import examples as labelled_examples
from .labels import load_labels
from .model import DEFAULT_MODEL, train


def main(corpus: Path) -> int:
    labels = [label for label in load_labels() if not label.heldout]
    model = train(
        labelled_examples(labels, corpus),
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    model.save(DEFAULT_MODEL)
    size = DEFAULT_MODEL.stat().st_size / 1e6
    print(
        f"trained on {model.trained_on} labelled sentences -> {DEFAULT_MODEL} ({size:.1f} MB),"
        f" version {model.version}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus/reports")))
