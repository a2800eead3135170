"""`make train-reader` (last step): the held-out scores of the shipped coder's candidates, each
with the thresholds chosen for it on the dev split: the linear model alone, the transformer reader
alone, and the two blended (what ships); and, given the fp32 export, how far int8 quantisation
moves the blend's scores. It only reports: the choice was made on the dev split.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from .codebook import THEME_IDS
from .evaluate import Evaluation, score
from .labels import examples as labelled_examples
from .labels import load_labels
from .model import Example, ThemeModel, load_model
from .reader import READER_DIR


def linear_alone(model: ThemeModel) -> ThemeModel:
    blend = model.blend
    if blend is None:
        return model
    return replace(
        model,
        blend=None,
        thresholds=blend.linear_thresholds,
        calibration=blend.linear_calibration,
        evidence_threshold=blend.linear_evidence,
    )


def reader_alone(model: ThemeModel) -> ThemeModel:
    assert model.blend is not None
    return replace(
        model,
        blend=replace(model.blend, theme_weight=1.0, polarity_weight=1.0),
        thresholds=np.array(model.blend.figures["reader_thresholds"]),
    )


def evaluate_on(model: ThemeModel, heldout: list[Example]) -> Evaluation:
    predicted = model.code([e.text for e in heldout], None, [e.context for e in heldout])
    guess = [{c.theme: c.polarity for c in codings} for codings in predicted]
    return score([e.themes for e in heldout], guess)


def line(name: str, result: Evaluation) -> str:
    weak = [s for s in result.per_theme if s.support >= 10 and s.f1 < 0.7]
    return (
        f"{name:<28} micro-F1 {result.micro_f1:.3f}  macro-F1 {result.macro_f1:.3f}  polarity"
        f" {result.polarity_accuracy:.3f} ({result.polarity_pairs} pairs)  themes (support >= 10)"
        f" below F1 0.70: {', '.join(f'{s.theme} {s.f1:.2f}' for s in weak) or 'none'}"
    )


def per_theme(results: dict[str, Evaluation]) -> list[str]:
    names = list(results)
    rows = [f"{'theme':<28}{'support':>8}" + "".join(f"{n:>10}" for n in names)]
    for j, theme in enumerate(THEME_IDS):
        scores = [results[n].per_theme[j] for n in names]
        rows.append(
            f"{theme:<28}{scores[0].support:>8}" + "".join(f"{s.f1:>10.2f}" for s in scores)
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ofsted_atlas.coding.reader_eval")
    parser.add_argument("corpus", type=Path, help="the corpus folder our labels refer to")
    parser.add_argument("--fp32", type=Path, help="the reader's fp32 export, to compare with")
    args = parser.parse_args(argv)
    model = load_model()
    if model.blend is None:
        print("the shipped theme model does not blend the reader: nothing to compare")
        return 1
    heldout = labelled_examples([label for label in load_labels() if label.heldout], args.corpus)
    results = {
        "linear": evaluate_on(linear_alone(model), heldout),
        "reader": evaluate_on(reader_alone(model), heldout),
        "blend": evaluate_on(model, heldout),
    }
    print(f"held-out, {len(heldout)} sentences (thresholds and weights chosen on the dev split):")
    for name, result in results.items():
        print(line(name, result))
    print("\n".join(per_theme(results)))
    if args.fp32 is not None:
        with tempfile.TemporaryDirectory() as folder:
            for name in ("tokenizer.json", "reader.json"):
                shutil.copy(READER_DIR / name, Path(folder) / name)
            shutil.copy(args.fp32, Path(folder) / "reader.onnx")
            fp32 = replace(model, blend=replace(model.blend, folder=Path(folder)))
            print(line("blend, fp32 reader", evaluate_on(fp32, heldout)))
            print(line("reader alone, fp32", evaluate_on(reader_alone(fp32), heldout)))
    texts = [e.text for e in heldout]
    started = time.perf_counter()
    model.code(texts, None, [e.context for e in heldout])
    print(f"blend codes {len(texts) / (time.perf_counter() - started):.0f} sentences/s here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
