"""`make train-coding`: train the theme model on the training part of our labels and save it.

Themes learn from the hand-coded sentences only; polarity also from the teacher's readings of
unlabelled sentences (`labels/theme_labels_teacher.csv.gz`, made by `make train-teacher`), when
that file is present. `--corrections FILE` adds reviewers' corrections (see `with_corrections`).
When the transformer reader's files are present (`make train-reader`), it is blended in, tuned on
its dev split (blend.py); `--linear-only` leaves it out, `--blend-only` keeps the saved linear
model and re-tunes only the blend.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from .blend import load_dev
from .labels import LabelledSentence, load_labels
from .labels import examples as labelled_examples
from .model import DEFAULT_MODEL, attach_reader, read_saved, train
from .reader import DEV_FILE
from .teacher import TEACHER_LABELS


def main(
    corpus: Path,
    corrections: Path | None = None,
    linear_only: bool = False,
    blend_only: bool = False,
    out: Path = DEFAULT_MODEL,
) -> int:
    labels = [label for label in load_labels() if not label.heldout]
    if corrections is not None:
        labels = with_corrections(labels, load_labels(corrections), load_labels())
    readings = (
        labelled_examples(load_labels(TEACHER_LABELS), corpus) if TEACHER_LABELS.exists() else []
    )
    reader_dev = None if linear_only else load_dev(DEV_FILE, [label.id for label in labels])
    examples = labelled_examples(labels, corpus)
    if blend_only:  # the linear part as saved, the reader (new files) tuned in afresh
        if reader_dev is None:
            raise SystemExit("--blend-only needs the reader's files and its dev probabilities")
        model = read_saved(out)
        if model.trained_on != len(examples) or model.out_of_fold is None:
            raise SystemExit("--blend-only: the saved model was trained on other labels")
        attach_reader(model, examples, reader_dev, readings)
    else:
        model = train(
            examples,
            trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
            polarity_readings=readings,
            reader_dev=reader_dev,
        )
    model.save(out)
    size = out.stat().st_size / 1e6
    print(
        f"trained on {model.trained_on} labelled sentences and {len(readings)} teacher readings"
        f" -> {out} ({size:.1f} MB), version {model.version}"
    )
    if model.blend is not None:
        figures = model.blend.figures
        print(
            f"blended with the transformer reader: theme weight {model.blend.theme_weight:.1f},"
            f" polarity weight {model.blend.polarity_weight:.1f}; on the dev split"
            f" ({figures['dev_sentences']} sentences) theme micro-F1 "
            + ", ".join(f"{k} {v:.3f}" for k, v in figures["dev_micro_f1"].items())
            + "; polarity accuracy "
            + ", ".join(f"{k} {v:.3f}" for k, v in figures["dev_polarity_accuracy"].items())
        )
    return 0


def with_corrections(
    training: list[LabelledSentence],
    corrections: list[LabelledSentence],
    everything: list[LabelledSentence],
) -> list[LabelledSentence]:
    """Training labels with reviewers' corrections (`labels export`): a correction replaces the
    label of the same span and adds the others; spans of held-out sentences are left out, so the
    held-out set stays unseen."""

    def span(label: LabelledSentence) -> tuple[str, int, int, int]:
        return (label.file, label.page, label.start, label.end)

    heldout = {span(label) for label in everything if label.heldout}
    kept = {span(c): c for c in corrections if span(c) not in heldout}
    return [label for label in training if span(label) not in kept] + list(kept.values())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m ofsted_atlas.coding.train")
    parser.add_argument("corpus", type=Path, nargs="?", default=Path("../shared/corpus/reports"))
    parser.add_argument(
        "--corrections", type=Path, help="reviewers' corrections (`ofsted-atlas labels export`)"
    )
    parser.add_argument(
        "--linear-only", action="store_true", help="leave the transformer reader out"
    )
    parser.add_argument(
        "--blend-only",
        action="store_true",
        help="keep the saved linear model (same labels) and only tune the reader's blend",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL, help="where the model goes")
    args = parser.parse_args()
    sys.exit(main(args.corpus, args.corrections, args.linear_only, args.blend_only, args.out))
