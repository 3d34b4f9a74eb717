"""Calendar helpers for deadlines (时限)."""

from datetime import date


def add_years(d: date, n: int) -> date:
    """The same month and day `n` years later (DOMAIN 4.1 “L + N years”).

    29 February becomes 28 February only where the later year has no 29 February.
    """
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 Feb → a common year
        return d.replace(year=d.year + n, day=28)


def year_end(year: int) -> date:
    """31 December of `year` (年底)."""
    return date(year, 12, 31)


def next_month(year: int, month: int) -> tuple[int, int]:
    """(year, month) of the month after `month` of `year`."""
    return (year + 1, 1) if month == 12 else (year, month + 1)
