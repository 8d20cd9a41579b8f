"""Decisions per month for the history chart (pure)."""

from guard.presentation.timeline import build_timeline


def test_months_without_decisions_are_kept_as_empty_bars():
    timeline = build_timeline([("2024-01", "given", 3), ("2024-04", "refused", 1), ("2024-04", "given", 2)])
    assert [bar.label for bar in timeline.bars] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert [bar.total for bar in timeline.bars] == [3, 0, 0, 3]
    assert timeline.bars[3].counts == (("given", 2), ("refused", 1))
    assert timeline.peak == 3 and timeline.total == 6 and timeline.period == "month"


def test_a_year_boundary_is_crossed_in_order():
    timeline = build_timeline([("2023-11", "given", 1), ("2024-02", "given", 1)])
    assert [bar.label for bar in timeline.bars] == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_long_spans_become_quarters_then_years():
    rows = [(f"{year}-{month:02d}", "notice-only", 1) for year in range(2020, 2024) for month in range(1, 13)]
    quarters = build_timeline(rows, max_bars=20)
    assert quarters.period == "quarter" and len(quarters.bars) == 16
    assert quarters.bars[0].label == "2020-Q1" and quarters.bars[0].total == 3
    years = build_timeline(rows, max_bars=10)
    assert years.period == "year" and [bar.label for bar in years.bars] == ["2020", "2021", "2022", "2023"]
    assert all(bar.total == 12 for bar in years.bars)


def test_decisions_are_listed_in_legend_order_and_unknown_ones_last():
    timeline = build_timeline([("2024-01", "refused", 1), ("2024-01", "given", 1), ("2024-01", "zzz", 1)])
    assert timeline.decisions == ("given", "refused", "zzz")
    assert timeline.bars[0].count("zzz") == 1 and timeline.bars[0].count("withdrawn") == 0


def test_nothing_or_malformed_months_give_no_bars():
    assert build_timeline([]).bars == ()
    assert build_timeline([("January", "given", 4), ("2024-03", "given", 0)]).bars == ()
