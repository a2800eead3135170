"""The codebook as data: theme ids (a public contract), names, what each covers, cue patterns, and
the evaluative cues that inform polarity. Loaded from `codebook.toml`, or a user's edited copy."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ofsted_atlas.errors import AtlasError

DEFAULT_CODEBOOK = Path(__file__).with_name("codebook.toml")
THEME_IDS = (
    "leadership_strategy",
    "corporate_parenting",
    "quality_assurance",
    "performance_data",
    "partnership_governance",
    "workforce_capacity",
    "workforce_development",
    "management_oversight",
    "assessment_quality",
    "planning_quality",
    "drift_delay",
    "voice_of_child",
    "diversity_identity",
    "case_recording",
    "front_door",
    "early_help",
    "child_protection",
    "exploitation_missing",
    "domestic_abuse_neglect",
    "disabled_children",
    "vulnerable_groups",
    "care_entry_legal",
    "permanence",
    "placements",
    "health_wellbeing",
    "education",
    "reviewing_challenge",
    "care_leavers",
)
POLARITIES = ("strength", "weakness", "neutral")


class CodebookError(AtlasError):
    code = "codebook_error"
    hint = "Compare your codebook with ofsted_atlas/coding/codebook.toml: keep every theme id."


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    covers: str
    cues: tuple[str, ...]

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(cue, re.I) for cue in self.cues)

    def matching_cues(self, sentence: str) -> list[str]:
        return [
            cue
            for cue, pattern in zip(self.cues, self.patterns, strict=True)
            if pattern.search(sentence)
        ]


@dataclass(frozen=True)
class Codebook:
    version: int
    themes: tuple[Theme, ...]
    polarity_cues: dict[str, tuple[str, ...]]
    source: str

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)

    @cached_property
    def polarity_patterns(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        return {
            polarity: tuple(re.compile(cue, re.I) for cue in cues)
            for polarity, cues in self.polarity_cues.items()
        }


def load_codebook(path: Path | None = None) -> Codebook:
    source = path or DEFAULT_CODEBOOK
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CodebookError(f"{source}: cannot read the codebook ({error})") from error
    themes = tuple(_theme(entry, source) for entry in data.get("themes", []))
    ids = [theme.id for theme in themes]
    missing, unknown = set(THEME_IDS) - set(ids), set(ids) - set(THEME_IDS)
    if missing or unknown or len(ids) != len(set(ids)):
        raise CodebookError(
            f"{source}: theme ids must be the codebook's 28, each once "
            f"(missing: {sorted(missing) or 'none'}; unknown: {sorted(unknown) or 'none'})"
        )
    polarity = data.get("polarity", {})
    if set(polarity) - set(POLARITIES):
        raise CodebookError(f"{source}: [polarity] keys must be among {', '.join(POLARITIES)}")
    for theme in themes:
        _check_patterns(theme.cues, f"{source}: theme {theme.id}")
    for key, cues in polarity.items():
        _check_patterns(tuple(cues), f"{source}: [polarity] {key}")
    return Codebook(
        version=int(data.get("version", 1)),
        themes=themes,
        polarity_cues={key: tuple(cues) for key, cues in polarity.items()},
        source=str(source),
    )


def _theme(entry: dict[str, object], source: Path) -> Theme:
    try:
        return Theme(
            id=str(entry["id"]),
            name=str(entry["name"]),
            covers=str(entry.get("covers", "")),
            cues=tuple(str(cue) for cue in entry.get("cues", [])),  # type: ignore[attr-defined]
        )
    except KeyError as error:
        raise CodebookError(f"{source}: a theme lacks the key {error}") from error


def _check_patterns(cues: tuple[str, ...], where: str) -> None:
    for cue in cues:
        try:
            re.compile(cue)
        except re.error as error:
            raise CodebookError(f"{where}: cue {cue!r} is not a valid pattern ({error})") from error
