"""A figure as the insights pages show it: a table of numbers, optionally drawn as a chart.

Every section builds `Table`s; one template draws them all (the chart, the table beside it, the
export links), the export view writes the same cells, and the digest reads the same numbers. A row
may link to the rows behind it (a bar of the chart opens the same link).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# How a column's values read: plain text, a count, US dollars, a percentage (0–100), days, hours.
TEXT, COUNT, MONEY, PERCENT, DAYS, HOURS = "text", "count", "money", "percent", "days", "hours"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Row:
    cells: tuple
    link: str = ""  # the rows behind this one (a filtered list), if any


@dataclass(frozen=True)
class Chart:
    """How to draw the table: `bar` or `line`, labels from one column, one dataset per value column."""

    kind: str = "bar"
    label_column: int = 0
    value_columns: tuple[int, ...] = (1,)
    horizontal: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # unique on its page: the export's name and the chart's id
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    chart: Chart | None = None
    note: str = ""  # how the figure is counted, said under it
    footer: Row | None = None  # a total, shown and exported after the rows
    empty: str = "Nothing in this range."

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.key}"

    def chart_data(self) -> dict | None:
        """Labels, datasets and each label's link, for static/js/insights.js."""
        if self.chart is None or not self.rows:
            return None
        return {
            "kind": self.chart.kind,
            "horizontal": self.chart.horizontal,
            "labels": [str(row.cells[self.chart.label_column]) for row in self.rows],
            "links": [row.link for row in self.rows],
            "datasets": [
                {
                    "label": self.columns[index].label,
                    "data": [_number(row.cells[index]) for row in self.rows],
                }
                for index in self.chart.value_columns
            ],
        }

    def export_rows(self) -> list[tuple]:
        rows = [row.cells for row in self.rows]
        if self.footer is not None:
            rows.append(self.footer.cells)
        return [
            tuple(_exported(cell, column.kind) for cell, column in zip(row, self.columns, strict=True))
            for row in rows
        ]

    @property
    def header(self) -> list[str]:
        units = {MONEY: " (USD)", PERCENT: " (%)", DAYS: " (days)", HOURS: " (hours)"}
        return [column.label + units.get(column.kind, "") for column in self.columns]


def _number(value) -> float | None:
    return None if value is None else float(value)


def _exported(value, kind: str):
    if value is None or kind == TEXT:
        return value
    if kind == MONEY:
        return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if kind == COUNT:
        return int(value)
    return round(float(value), 1)


@dataclass(frozen=True)
class Headline:
    """A key figure shown large above the tables (and in the digest): its value and how it reads."""

    label: str
    value: object
    kind: str = COUNT
    link: str = ""
    detail: str = ""


@dataclass
class SectionView:
    """What a section's builder returns: its key figures and its tables, in page order."""

    headlines: list[Headline] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str = ""
    # Its figures come from the revenue facts (insights.facts): a manager may recompute them now.
    recompute: bool = False
