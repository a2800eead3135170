"""The transformer reader (coding/reader.py) on made-up sentences: shapes, batching, order, empty
input, the heading as a second segment, and the theme model refusing a reader it was not tuned
with. Runs on the shipped int8 model; needs nothing from ../shared."""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from ofsted_atlas.coding import load_model
from ofsted_atlas.coding.codebook import POLARITIES, THEME_IDS
from ofsted_atlas.coding.context import Context
from ofsted_atlas.coding.model import DEFAULT_MODEL, saved_identity, version_file
from ofsted_atlas.coding.reader import (
    READER_DIR,
    Reader,
    ReaderError,
    encode,
    identity,
    open_reader,
    pad,
)

SENTENCES = [
    "Social workers have manageable caseloads and stay with the authority.",
    "Too many children wait too long for an initial health assessment.",
    "Leaders know their services well.",
    "Care leavers live in suitable accommodation and most are in education, employment or"
    " training, although the quality of pathway plans is variable and too few are reviewed"
    " with the young person before their eighteenth birthday.",
    "Audits are thorough.",
    "Children's voices are not consistently recorded in assessments, so plans do not always"
    " reflect what children want.",
]


def test_empty_input_reads_nothing() -> None:
    themes, polarity = open_reader().read([])
    assert themes.shape == (0, len(THEME_IDS))
    assert polarity.shape == (0, len(THEME_IDS), len(POLARITIES))


def test_probabilities_have_the_codebook_shape() -> None:
    reader = open_reader()
    assert reader.themes == list(THEME_IDS) and reader.polarities == list(POLARITIES)
    themes, polarity = reader.read(SENTENCES, ["Inspection findings"] * len(SENTENCES))
    assert themes.shape == (len(SENTENCES), len(THEME_IDS))
    assert polarity.shape == (len(SENTENCES), len(THEME_IDS), len(POLARITIES))
    assert ((themes >= 0) & (themes <= 1)).all()
    assert np.allclose(polarity.sum(-1), 1.0, atol=1e-4)


def test_order_is_kept_across_batches() -> None:
    """More sentences than one batch, of many lengths, given in two orders: each sentence gets
    the same reading (batches are formed by length, so they hold the same sentences)."""
    rng = random.Random(3)
    texts = [" ".join(rng.sample(SENTENCES, k=1 + i % 3)) for i in range(150)]
    reader = open_reader()
    themes, polarity = reader.read(texts)
    order = list(range(len(texts)))
    rng.shuffle(order)
    shuffled_themes, shuffled_polarity = reader.read([texts[i] for i in order])
    assert np.allclose(shuffled_themes, themes[order], atol=1e-5)
    assert np.allclose(shuffled_polarity, polarity[order], atol=1e-5)


def test_a_sentence_reads_about_the_same_alone_or_in_a_batch() -> None:
    reader = open_reader()
    together, _ = reader.read(SENTENCES)
    alone = np.vstack([reader.read([text])[0] for text in SENTENCES])
    assert np.abs(together - alone).max() < 0.25  # int8 activations are scaled per batch
    assert ((together >= 0.5) == (alone >= 0.5)).mean() > 0.97


def test_the_reader_reads_themes_it_was_taught() -> None:
    themes, polarity = open_reader().read(
        ["Social workers' caseloads are too high and staff turnover is high."]
    )
    workforce = THEME_IDS.index("workforce_capacity")
    assert themes[0, workforce] > 0.5
    assert POLARITIES[int(np.argmax(polarity[0, workforce]))] == "weakness"


def test_the_heading_is_the_second_segment() -> None:
    reader = open_reader()
    tokenizer = reader.tokenizer
    [alone] = encode(tokenizer, ["Leaders know their services well."], None, 128)
    [paired] = encode(tokenizer, ["Leaders know their services well."], ["Executive summary"], 128)
    assert set(alone.type_ids) == {0}
    assert paired.ids[: len(alone.ids)] == alone.ids and 1 in paired.type_ids
    [cut] = encode(tokenizer, [" ".join(["word"] * 500)], ["A heading"], 40)
    assert len(cut.ids) == 40


def test_padding_masks_the_padded_tokens() -> None:
    tokenizer = open_reader().tokenizer
    encodings = encode(tokenizer, ["Short.", "A somewhat longer sentence than that."], None, 128)
    ids, mask, types = pad(encodings)
    assert ids.shape == mask.shape == types.shape == (2, len(encodings[1].ids))
    assert mask[0].sum() == len(encodings[0].ids) and mask[1].all()
    assert (ids[0, mask[0] == 0] == 0).all()


def test_identity_follows_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "reader"
    shutil.copytree(READER_DIR, folder)
    before = identity(folder)
    assert before == identity(READER_DIR)
    (folder / "reader.json").write_text(
        (folder / "reader.json").read_text(encoding="utf-8") + " ", encoding="utf-8"
    )
    assert identity(folder) != before
    (folder / "tokenizer.json").unlink()
    with pytest.raises(ReaderError):
        identity(folder)
    with pytest.raises(ReaderError):
        Reader(folder)


def test_the_theme_model_refuses_a_reader_it_was_not_tuned_with(tmp_path: Path) -> None:
    """A changed reader changes what the model codes: loading refuses it, and the no-op check
    does not trust the version file (so the next `code` loads, and says so)."""
    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL.parent, folder)
    path = folder / DEFAULT_MODEL.name
    assert saved_identity(path) == saved_identity(DEFAULT_MODEL) is not None
    (folder / "reader.json").write_text("{}", encoding="utf-8")
    assert saved_identity(path) is None
    with pytest.raises(ReaderError, match="not those the theme model was tuned with"):
        load_model(path)
    assert version_file(path).exists()


def test_the_version_changes_with_the_reader() -> None:
    model = copy.copy(load_model())
    assert model.blend is not None
    model.blend = copy.copy(model.blend)
    model.blend.identity = "another"
    assert model.version != load_model().version


def test_the_blend_codes_per_theme_polarity_with_context() -> None:
    model = load_model()
    text = (
        "While case records are not always up to date, social workers' caseloads are"
        " manageable and staff stay."
    )
    coded = model.code([text], None, [Context("Inspection findings", "")])
    assert coded[0], "a plain workforce sentence gets a theme"
    assert {c.theme for c in coded[0]} <= set(THEME_IDS)
    assert all(0.0 <= c.confidence <= 1.0 for c in coded[0])
