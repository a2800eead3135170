"""Findings, quotes and labels on hand-made inputs: ties stay ties, small groups are said in
words, quotes are whole findings a reader can use, and every label is a human one."""

from __future__ import annotations

import pytest

from ofsted_atlas.analysis.findings import (
    MIN_GROUP,
    Ranking,
    ThemeFinding,
    _assign_ranks,
    plain_prevalence,
)
from ofsted_atlas.analysis.labels import framework_label, grade_label, group_of, long_date
from ofsted_atlas.analysis.quotes import QuoteGuard, is_quotable, on_theme
from ofsted_atlas.publish.briefings.common import rank_words, too_small

SIZES = {"inadequate": 46, "requires_improvement": 98, "good_or_better": 132}


def theme(name: str, inadequate: int) -> ThemeFinding:
    return ThemeFinding(
        name, name, "weakness", {"inadequate": inadequate, "good_or_better": 3}, dict(SIZES)
    )


def test_equal_counts_share_a_rank_and_the_next_rank_skips() -> None:
    themes = [theme("a", 40), theme("b", 40), theme("c", 40), theme("d", 30)]
    _assign_ranks(themes, "inadequate")
    assert [(t.rank, t.tied_with) for t in themes] == [(1, 3), (1, 3), (1, 3), (4, 1)]
    assert rank_words(1, 3) == "joint 1st with 2 others" and rank_words(4, 1) == "4th"


def test_prevalence_in_plain_words() -> None:
    counts = {"inadequate": 43, "good_or_better": 25}
    text = plain_prevalence(counts, SIZES, "weakness", ("inadequate", "good_or_better"))
    assert text == "criticised in 43 of 46 inadequate reports and 25 of 132 good or better ones"
    assert plain_prevalence(counts, {"inadequate": 1}, "strength", ("inadequate",)) == (
        "praised in 43 of 1 inadequate report"
    )


def test_a_group_below_the_minimum_is_said_in_words_not_ranked() -> None:
    ranking = Ranking("weakness", "inadequate", {"inadequate": 2, "good_or_better": 9}, [])
    assert ranking.too_small and not ranking.comparable and MIN_GROUP > 2
    assert too_small(ranking, "in this period") == (
        "Only 2 inadequate reports in this period: too few to rank or compare."
    )


@pytest.mark.parametrize(
    ("text", "polarity", "usable"),
    [
        (
            "Management oversight of children's plans is not consistently evident on files.",
            "weakness",
            True,
        ),
        (
            "This means that children wait too long for decisions about their permanence.",
            "weakness",
            False,
        ),  # leans on the sentence before
        (
            "It is not clear from records why decisions about children were made at all.",
            "weakness",
            False,
        ),
        (
            "Social workers know their children well, but plans are not always specific enough.",
            "weakness",
            False,
        ),  # a contrast: mixed polarity
        (
            "Social workers visit children regularly and know them well, which they value.",
            "weakness",
            False,
        ),  # no critical word: a strength read as a weakness
        (
            "Social workers visit children regularly and know them well, which they value.",
            "strength",
            True,
        ),
        (
            "There were 412 children looked after at 31 March 2019, a rate of 61 per 10,000.",
            "neutral",
            False,
        ),  # a bare figure
        ("Too short.", "weakness", False),
        (
            "Leadership, management and governance Inadequate Summary The leadership of services "
            "for children is not good enough.",
            "weakness",
            False,
        ),  # a heading run in
    ],
)
def test_quotable(text: str, polarity: str, usable: bool) -> None:
    assert is_quotable(text, polarity) is usable


def test_a_quote_is_used_once_per_briefing_by_id_or_wording() -> None:
    guard = QuoteGuard()
    assert guard.take(1, "Plans are not specific.")
    assert not guard.take(1, "Something else entirely.")
    assert not guard.take(2, "plans are NOT specific")


def test_on_theme_uses_the_codebook_cues() -> None:
    assert on_theme("management_oversight", "Supervision is irregular and not recorded.")
    assert not on_theme("education", "Supervision is irregular and not recorded.")


def test_human_labels() -> None:
    assert grade_label("requires_improvement") == "Requires improvement to be good"
    assert group_of("adequate") == "requires_improvement" and group_of("good") == "good_or_better"
    assert framework_label("sif") == "Single inspection framework"
    assert framework_label("ilacs_short") == "ILACS short inspection"
    assert long_date("2019-06-21") == "21 June 2019" and long_date("2019-06") == "June 2019"
    assert long_date(None) == "—"


@pytest.mark.parametrize(
    "text",
    [
        "Nonetheless, these meetings do not consistently capture the discussion about risk.",
        "Examples include threats of violence and theft of possessions not being followed up.",
        "The impact of leaders on practice is inadequate 28.Leaders and managers have not acted.",
        "Leadership, management and governance Outstanding Senior managers and politicians "
        "have a constructive relationship.",
    ],
)
def test_regression_dependent_openings_and_run_in_text_are_not_quoted(text: str) -> None:
    assert not is_quotable(text, "weakness") and not is_quotable(text, "strength")
