import pytest

from ofsted_atlas.parse.fields import find_lead_inspector
from ofsted_atlas.parse.grades import normalise_grade


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lead inspector: Margaret Burke, His Majesty's Inspector Judgement Grade",
            "Margaret Burke",
        ),
        ("Lead inspector: Jan Edwards Her Majesty's Inspector Judgement", "Jan Edwards"),
        ("Reporting inspector Gary Lamb HMI Age group: All", "Gary Lamb"),
        ("Lead inspectorRichard Nash Age group: All", "Richard Nash"),
        (
            "Lead inspector: Lynn Radley Deputy lead inspector: Stephanie Murray Team inspectors: "
            "Pietro Battista and Jon Bowman",
            "Lynn Radley",
        ),
        (
            "Lead inspectors: Rebecca Quested, His Majesty's Inspector, and Matthew Reed, His "
            "Majesty's Inspector Judgement Grade",
            "Rebecca Quested; Matthew Reed",
        ),
    ],
)
def test_lead_inspector_variants(text: str, expected: str) -> None:
    assert find_lead_inspector([text]) == expected


def test_deputy_is_never_the_lead() -> None:
    assert find_lead_inspector(["Deputy lead inspector: Alex Other HMI"]) is None


@pytest.mark.parametrize(
    ("printed", "grade"),
    [
        ("Requires improvement to be good", "requires_improvement"),
        ("Requires\nimprovement", "requires_improvement"),
        ("Outstanding", "outstanding"),
        ("Adequate", "adequate"),
        ("INADEQUATE", "inadequate"),
    ],
)
def test_grades(printed: str, grade: str) -> None:
    assert normalise_grade(printed) == grade


def test_not_a_grade() -> None:
    with pytest.raises(ValueError, match="not a grade"):
        normalise_grade("Not judged")
