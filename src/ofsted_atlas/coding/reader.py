"""The reader: a small transformer (MiniLM-L6, fine-tuned by `make train-reader`) that reads each
sentence with its section heading and gives each codebook theme a probability, and each theme
three polarity probabilities (strength, weakness, neutral). It runs with onnxruntime on int8
weights and the `tokenizers` library: no torch at run time.

The files live in `model/` beside this module: `reader.onnx` (the network), `tokenizer.json`
(its word pieces) and `reader.json` (theme order, input length, how it was trained). The theme
model (model.py) blends the reader's probabilities with its own linear ones.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ofsted_atlas.errors import AtlasError

READER_DIR = Path(__file__).with_name("model")
FILES = ("reader.onnx", "tokenizer.json", "reader.json")
DEV_FILE = READER_DIR / "reader_dev.npz"  # its probabilities on the dev split (training only)
_BATCH = 64
_threads: int | None = None  # None: one per core


class ReaderError(AtlasError):
    code = "reader_error"
    hint = "Rebuild the reader: `make train-reader` (or `make train-coding` for the linear model)."


def identity(folder: Path = READER_DIR) -> str:
    """A digest of the reader's files: the theme model records it and refuses a different one."""
    digest = hashlib.sha256()
    for name in FILES:
        try:
            digest.update((folder / name).read_bytes())
        except OSError as error:
            raise ReaderError(f"{folder / name}: reader file missing") from error
    return digest.hexdigest()[:16]


def encode(
    tokenizer: Any, texts: list[str], headings: list[str] | None, max_tokens: int
) -> list[Any]:
    """Each sentence as word pieces, with its heading (when given) as the second segment;
    truncated to `max_tokens`, unpadded."""
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens, strategy="longest_first")
    if headings is None or not any(headings):
        return list(tokenizer.encode_batch(texts))
    pairs = [
        (text, heading) if heading else text for text, heading in zip(texts, headings, strict=True)
    ]
    return list(tokenizer.encode_batch(pairs))


def pad(encodings: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(input ids, attention mask, token types) padded to the batch's longest."""
    width = max((len(e.ids) for e in encodings), default=1) or 1
    out = np.zeros((3, len(encodings), width), dtype=np.int64)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        out[0, row, :n] = e.ids
        out[1, row, :n] = 1
        out[2, row, :n] = e.type_ids
    return out[0], out[1], out[2]


class Reader:
    """One onnxruntime session over the reader's files; `read` codes a list of sentences."""

    def __init__(self, folder: Path = READER_DIR, threads: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        try:
            self.meta = json.loads((folder / "reader.json").read_text(encoding="utf-8"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads or os.cpu_count() or 1
            options.inter_op_num_threads = 1
            # no busy-waiting between operators: the machine is shared with worker processes
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self.session = onnxruntime.InferenceSession(
                str(folder / "reader.onnx"), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # tokenizers and onnxruntime raise their own kinds
            raise ReaderError(f"{folder}: cannot open the reader ({error})") from error
        self.themes: list[str] = list(self.meta["themes"])
        self.polarities: list[str] = list(self.meta["polarities"])
        self.max_tokens = int(self.meta["max_tokens"])
        self.uses_heading = bool(self.meta.get("heading", False))

    def read(
        self, texts: list[str], headings: list[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(theme probabilities [sentences x themes], polarity probabilities [sentences x themes
        x polarities]) in the order given. Sentences are read in batches of similar length; int8
        activations are scaled per batch, so a sentence's probabilities can move by a few
        hundredths with the sentences read beside it."""
        themes = np.zeros((len(texts), len(self.themes)), dtype=np.float32)
        polarity = np.zeros((len(texts), len(self.themes), len(self.polarities)), np.float32)
        if not texts:
            return themes, polarity
        pairs = list(
            zip(
                texts,
                headings if self.uses_heading and headings else [""] * len(texts),
                strict=True,
            )
        )
        unique = sorted(set(pairs))  # each distinct sentence (with its heading) read once
        where = {pair: k for k, pair in enumerate(unique)}
        encodings = encode(
            self.tokenizer, [t for t, _ in unique], [h for _, h in unique], self.max_tokens
        )
        # batches of similar length, formed from the distinct sentences in a fixed order, so that
        # a sentence's batch (and so its int8 activations' scale) does not depend on the order
        # the sentences came in
        order = sorted(range(len(unique)), key=lambda i: (len(encodings[i].ids), unique[i]))
        read_themes = np.zeros((len(unique), len(self.themes)), dtype=np.float32)
        read_polarity = np.zeros((len(unique), len(self.themes), len(self.polarities)), np.float32)
        for start in range(0, len(order), _BATCH):
            rows = order[start : start + _BATCH]
            ids, mask, types = pad([encodings[i] for i in rows])
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            theme_out, polarity_out = self.session.run(["themes", "polarity"], feeds)
            read_themes[rows] = theme_out
            read_polarity[rows] = polarity_out
        index = [where[pair] for pair in pairs]
        themes[:] = read_themes[index]
        polarity[:] = read_polarity[index]
        return themes, polarity


def use_threads(threads: int | None) -> None:
    """How many threads each process's reader uses (worker processes share the cores)."""
    global _threads
    _threads = threads


def open_reader(folder: Path = READER_DIR) -> Reader:
    """The reader at `folder`, opened once per process."""
    return _open(folder.resolve(), _threads)


@functools.lru_cache(maxsize=4)
def _open(folder: Path, threads: int | None) -> Reader:
    return Reader(folder, threads)
