from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ofsted_atlas.parse.dates import fieldwork_days, parse_date, parse_date_range, parse_date_spans


@pytest.mark.parametrize(
    ("printed", "start", "end"),
    [
        ("8 – 12 July 2013", date(2013, 7, 8), date(2013, 7, 12)),
        ("15-19 July 2013", date(2013, 7, 15), date(2013, 7, 19)),
        ("7 to 18 November 2022", date(2022, 11, 7), date(2022, 11, 18)),
        ("8 October 2018 to 19 October 2018", date(2018, 10, 8), date(2018, 10, 19)),
        ("29 November to 10 December 2021", date(2021, 11, 29), date(2021, 12, 10)),
        (
            "19 November-11 December 2013 and 28 – 30 January 2014",
            date(2013, 11, 19),
            date(2014, 1, 30),
        ),
        ("1/06/2015 – 25/06/2015", date(2015, 6, 1), date(2015, 6, 25)),
    ],
)
def test_printed_ranges(printed: str, start: date, end: date) -> None:
    assert parse_date_range(printed) == (start, end)


def test_split_fieldwork_counts_days_on_site() -> None:
    spans = parse_date_spans("5 to 9 December 2022 and 14 to 15 February 2023")
    assert spans == [(date(2022, 12, 5), date(2022, 12, 9)), (date(2023, 2, 14), date(2023, 2, 15))]
    assert fieldwork_days(spans) == 7


def test_single_date_and_nonsense() -> None:
    assert parse_date("Report published: 13 February 2017") == date(2017, 2, 13)
    assert parse_date("31 February 2017") is None
    assert parse_date_range("no dates here") == (None, None)


@given(st.text(max_size=300))
def test_arbitrary_text_gives_both_dates_or_neither(text: str) -> None:
    start, end = parse_date_range(text)
    assert (start is None) == (end is None)
    if start is not None and end is not None:
        assert type(start) is date and type(end) is date and start <= end


@given(st.dates(date(2009, 1, 1), date(2030, 12, 31)), st.integers(0, 40))
def test_any_printed_range_reads_back_exactly(start: date, days: int) -> None:
    end = date.fromordinal(start.toordinal() + days)
    printed = f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    assert parse_date_range(f"Inspection dates: {printed}") == (start, end)
    assert parse_date(f"Report published: {end.day} {end:%B %Y}") == end
