"""Property-based tests (hypothesis): platform-format cells parse to the number they show.

What the round trips guarantee
------------------------------
* **Generator side** (cells written as platform exports write them: ``¥1,234.5``, ``15.28%``, ``1.2万``,
  ``1分5秒``, ``-``, plain and negative numbers): parsing gives *exactly* the decimal number written
  (as the correctly rounded float), scaled by its unit (% → /100, 万 → ×10 000, 分/秒 → seconds);
  a missing token gives ``None``.
* **Package formatter side** (``liveops_nb.render.fmt.fmt_value``, which rounds for display): parsing
  what it shows gives exactly the rounded number it shows, so the distance to the original value is at
  most half a unit of the last digit shown.
* **Column level**: a column written in one convention (platform: ``1,234.5``; or decimal comma:
  ``1.234,5``) is read to exactly the numbers written, or refused as a whole — a value is never read
  with another magnitude. A column mixing both conventions is refused, or read in one convention in
  which a cell written the other way can only be one that looks the same in both (``1,234`` / ``1.234``).
"""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from liveops_nb.io.numbers import parse_number, parse_number_column
from liveops_nb.render.fmt import fmt_value

AMOUNTS = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
SETTINGS = settings(max_examples=200, deadline=None)
COLUMNS = settings(max_examples=80, deadline=None)  # each example is a whole column


ALL_KINDS = ("plain", "money", "money_int", "percent", "wan", "duration", "count", "missing")
KINDS_BY_UNIT = {  # what a platform writes in a column of each unit
    "CNY": ("plain", "money", "money_int", "wan", "missing"),
    "people": ("plain", "count", "wan", "missing"),
    "seconds": ("plain", "duration", "missing"),
    "": ALL_KINDS,
}


@st.composite
def platform_cell(draw, kinds: tuple[str, ...] = ALL_KINDS) -> tuple[str, Decimal | None]:
    """One cell as a platform export writes it, and the number it means (``None`` = missing)."""
    kind = draw(st.sampled_from(kinds))
    d = draw(AMOUNTS)
    if kind == "plain":
        return f"{d}", d
    if kind == "money":
        return f"¥{d:,.2f}", d
    if kind == "money_int":
        n = draw(st.integers(-10**12, 10**12))
        return f"¥{n:,}", Decimal(n)
    if kind == "percent":
        return f"{d:.2f}%", d / 100
    if kind == "wan":
        w = draw(st.decimals(min_value=-10**5, max_value=10**5, places=1, allow_nan=False, allow_infinity=False))
        return f"{w}万", w * 10_000
    if kind == "duration":
        m, s = draw(st.integers(0, 600)), draw(st.integers(0, 59))
        return (f"{m}分{s}秒" if m else f"{s}秒"), Decimal(60 * m + s)
    if kind == "count":
        n = draw(st.integers(0, 10**15))
        return f"{n:,}", Decimal(n)
    return draw(st.sampled_from(["-", "", "--", "—", "null"])), None


def _f(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


@SETTINGS
@given(platform_cell())
def test_platform_cell_parses_to_the_number_written(cell):
    text, meant = cell
    assert parse_number(text) == _f(meant)


@st.composite
def platform_column(draw) -> tuple[str, list[tuple[str, Decimal | None]]]:
    unit = draw(st.sampled_from(sorted(KINDS_BY_UNIT)))
    return unit, draw(st.lists(platform_cell(KINDS_BY_UNIT[unit]), min_size=1, max_size=30))


@COLUMNS
@given(platform_column())
def test_platform_column_is_exact_or_refused(column):
    unit, cells = column
    texts = [t for t, _ in cells]
    got = parse_number_column(texts, dtype="float", unit=unit)
    if got.issues:  # only a column whose commas are all '1,234'-like can be refused, and never in money
        assert unit not in ("CNY", "people") and [i.kind for i in got.issues] == ["ambiguous_comma"]
        assert all(v is None for v in got.values)
    else:
        assert got.values == [_f(m) for _, m in cells]


@COLUMNS
@given(st.lists(st.integers(-(2**63) + 1, 2**63 - 1), min_size=1, max_size=20), st.booleans())
def test_counts_are_exact_over_the_whole_int64_range(values, grouped):
    texts = [f"{v:,}" if grouped else str(v) for v in values]
    got = parse_number_column(texts, dtype="int", unit="people")
    assert got.issues == [] and got.values == values


def _comma_style(d: Decimal) -> str:
    """``1,234.50`` written as a decimal-comma locale writes it: ``1.234,50``."""
    return f"{d:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@COLUMNS
@given(st.lists(AMOUNTS, min_size=1, max_size=30), st.sampled_from(["CNY", "people", ""]))
def test_decimal_comma_column_is_exact_or_refused(values, unit):
    got = parse_number_column([_comma_style(d) for d in values], dtype="float", unit=unit)
    # ",dd" always shows: every cell is comma-only or plain, so the column is never ambiguous
    assert got.issues == [] and got.values == [float(d) for d in values]


@COLUMNS
@given(st.lists(st.tuples(st.integers(0, 10**7), st.sampled_from([0, 1, 2, 3]), st.booleans()),
                min_size=1, max_size=20))
def test_mixed_conventions_never_give_a_number_of_another_magnitude_silently(spec):
    cells, meant, comma = [], [], []
    for cents, places, comma_style in spec:
        d = Decimal(cents).scaleb(-places)
        point = f"{d:,.{places}f}"
        cells.append(point.replace(",", "_").replace(".", ",").replace("_", ".") if comma_style else point)
        meant.append(float(d))
        comma.append(comma_style)
    got = parse_number_column(cells, dtype="float", unit="")
    if got.issues:
        return  # refused: nothing was read
    chosen_comma = got.convention == "comma"
    for text, value, m, c in zip(cells, got.values, meant, comma, strict=True):
        if c == chosen_comma or value == m:
            assert value == m
        else:  # read the other way: only possible for a cell that looks the same in both conventions
            seps = [ch for ch in text if ch in ",."]
            assert len(seps) == 1 and len(text.split(seps[0])[1]) == 3, (text, value, m)


# ---------------------------------------------------------------- the package's own formatter


@SETTINGS
@given(st.floats(min_value=-1e11, max_value=1e11, allow_nan=False), st.sampled_from(["zh", "en"]))
def test_money_as_displayed_parses_to_the_displayed_number(v, lang):
    text = fmt_value(v, "CNY", lang)
    got = parse_number(text)
    if abs(v) >= 1e6 and lang == "zh":
        shown, half = Decimal(f"{v / 1e4:.1f}") * 10_000, 500.0  # ¥123.4万
    elif abs(v) >= 100:
        shown, half = Decimal(f"{v:.0f}"), 0.5
    else:
        shown, half = Decimal(f"{v:.2f}"), 0.005
    assert got == float(shown)
    assert abs(got - v) <= half * (1 + 1e-9) + abs(v) * 1e-15


@SETTINGS
@given(st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_ratio_as_displayed_parses_to_the_displayed_fraction(v):
    text = fmt_value(v, "ratio")
    got = parse_number(text)
    assert got is not None
    places = 1 if abs(v) >= 0.01 else 2
    assert got == float(Decimal(f"{v * 100:.{places}f}") / 100)
    assert abs(got - v) <= 0.5 * 10 ** -(places + 2) * (1 + 1e-9) + 1e-15


@SETTINGS
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from(["zh", "en"]))
def test_duration_as_displayed_parses_to_the_rounded_seconds(v, lang):
    assert parse_number(fmt_value(v, "seconds", lang)) == float(int(round(v)))


@SETTINGS
@given(st.integers(-(10**15), 10**15))
def test_count_as_displayed_parses_exactly(n):
    assert parse_number(fmt_value(n, "people")) == float(n)


def test_missing_as_displayed_is_missing():
    assert parse_number(fmt_value(None, "CNY")) is None
