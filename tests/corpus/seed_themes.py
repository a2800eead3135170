"""Seed 004's themes (a council's own reading of the 2013-14 reports) in the codebook's terms,
and which of them a mapping paper surfaces, with the finding it shows."""

from __future__ import annotations

from ofsted_atlas.coding.codebook import load_codebook
from ofsted_atlas.publish.document import Briefing, Bullets

# Seed 004 section 3 (themes of well-performing authorities) -> codebook themes.
SEED_004_STRENGTHS = {
    "Multi-agency working": ("partnership_governance", "front_door"),
    "Early help services": ("early_help",),
    "Social work practice": (
        "assessment_quality",
        "planning_quality",
        "case_recording",
        "management_oversight",
    ),
    "Consistent and comprehensive provision": (
        "care_leavers",
        "exploitation_missing",
        "permanence",
    ),
    "Legal": ("care_entry_legal",),
    "Leadership and management": ("leadership_strategy", "corporate_parenting"),
    "Challenge and scrutiny": ("quality_assurance", "performance_data"),
    "Resourcing (care as a last resort)": ("care_entry_legal", "placements"),
    "Educational outcomes": ("education",),
    "The voice of the child": ("voice_of_child",),
}
# Seed 004 section 4 (themes of authorities that perform poorly).
SEED_004_WEAKNESSES = {
    "Casework and outcomes": ("drift_delay", "workforce_capacity"),
    "CAMHS": ("health_wellbeing",),
    "Learning from experience": ("leadership_strategy", "quality_assurance"),
    "Challenge and scrutiny (IROs, quality assurance)": (
        "reviewing_challenge",
        "quality_assurance",
        "performance_data",
    ),
    "Workforce stability": ("workforce_capacity",),
    "LSCBs": ("partnership_governance",),
}


def _shown(briefing: Briefing, heading: str) -> dict[str, str]:
    """Theme name -> the first finding shown under it, in the section starting `heading`."""
    out: dict[str, str] = {}
    for section in briefing.sections:
        if section.level == 2 and section.title.split(" ", 1)[0].startswith(heading):
            name = section.title.split(" ", 1)[1]
            first = next(
                (b.items[0].text for b in section.blocks if isinstance(b, Bullets) and b.items),
                "",
            )
            out[name] = first
    return out


def surfaced(briefing: Briefing) -> dict[str, str]:
    """Each seed theme -> the finding the paper shows for it ('' when not surfaced)."""
    names = {t.id: t.name for t in load_codebook().themes}
    result = {}
    for heading, seed in (("3.", SEED_004_STRENGTHS), ("4.", SEED_004_WEAKNESSES)):
        shown = _shown(briefing, heading)
        for label, themes in seed.items():
            hits = [f"{names[t]}: {shown[names[t]]}" for t in themes if shown.get(names[t])]
            result[f"{'strength' if heading == '3.' else 'weakness'}: {label}"] = (
                hits[0] if hits else ""
            )
    return result
