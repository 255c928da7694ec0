"""``flowaudit import ropa`` on odd cells: the map it writes always loads, and characters
that reorder or hide text are written escaped, never raw."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from flowaudit.reports.ropa import COLUMNS
from tests.helpers import run

TITLES = [title for _, title in COLUMNS]


def _csv(rows: list[dict[str, str]], facts: list[list[str]] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for fact in facts or []:
        writer.writerow(fact)
    writer.writerow(TITLES)
    for row in rows:
        writer.writerow([row.get(title, "") for title in TITLES])
    return buffer.getvalue()


def _import(tmp_path: Path, record: Path) -> str:
    out = tmp_path / "out" / "map.yaml"
    result = run(["import", "ropa", str(record), "--out", str(out)])
    assert result.exit_code == 0, result.output
    checked = run(["validate", str(out.parent)])
    assert checked.exit_code == 0, checked.output
    return out.read_text(encoding="utf-8")


ODD_ROWS = [
    # two rows whose purposes slug alike, and one that names an id differing in case
    {
        "Purpose of processing": "Support!",
        "Data subjects": "Staff",
        "Personal data categories": "Email",
        "Recipients": "Acme",
        "Location of the data": "Acme",
    },
    {
        "Purpose of processing": "support",
        "Data subjects": "staff",
        "Personal data categories": "email; Email (EMAIL)",
        "Recipients": "Acme; Acme",
        "Location of the data": "Server (rack 3)",
    },
    {
        "Purpose of processing": "Support (Support)",
        "Data subjects": "Staff",
        "Personal data categories": "Odd (a b, c)",
        "Recipients": "Beta (processor, GB)",
    },
    {
        "Purpose of processing": "123",
        "Data subjects": "42",
        "Personal data categories": "7",
        "Recipients": "2024",
    },
]


def test_odd_cells_write_a_map_that_loads(tmp_path: Path) -> None:
    record = tmp_path / "odd.csv"
    record.write_text(
        _csv(
            ODD_ROWS,
            [["Controller", "Acme"], ["Country", "12"], ["Regime", "XX"], ["Next review", "soon"]],
        ),
        encoding="utf-8",
    )
    text = _import(tmp_path, record)
    # ids that slug alike are told apart; the organisation, parties and systems share ids
    for line in (
        "- id: support\n  name: Support!",
        "- id: support-2\n  name: support",
        "- id: Support-3\n  name: Support",
        "- id: acme-2\n  name: Acme\n  kind: other",
        "- id: acme-3\n  name: Acme\n  owner: acme",
        "- id: server-rack-3\n  name: Server (rack 3)\n  owner: acme\n  country: GB",
        "- id: odd_a_b_c\n  name: Odd (a b, c)",
        "- id: support-2-acme-2\n  from: acme\n  to: acme-2\n  categories:\n  - email\n  subjects:",
    ):
        assert line in text, line
    assert "&id" not in text and "*id" not in text


def test_numeric_and_date_cells_of_a_workbook_write_a_map_that_loads(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Controller", 1234])
    sheet.append(["Next review", datetime(2027, 1, 31)])
    sheet.append(["Record version", 2.5])
    sheet.append(TITLES)
    row = [None] * len(TITLES)
    row[TITLES.index("Purpose of processing")] = 12
    row[TITLES.index("Data subjects")] = 3.0
    row[TITLES.index("Personal data categories")] = 4
    row[TITLES.index("Retention")] = 30
    sheet.append(row)
    record = tmp_path / "numbers.xlsx"
    workbook.save(record)
    text = _import(tmp_path, record)
    assert "record_review_on: '2027-01-31'" in text and "record_version: '2.5'" in text


def test_control_and_bidi_characters_are_escaped_in_the_written_map(tmp_path: Path) -> None:
    record = tmp_path / "bidi.csv"
    name = "Acme\u202e gnp.exe\x1b[2J\u200b"
    record.write_text(
        _csv(
            [
                {
                    "Purpose of processing": f"Support {name}",
                    "Data subjects": "Staff",
                    "Personal data categories": "Email",
                    "Recipients": name,
                }
            ],
            [["Controller", name]],
        ),
        encoding="utf-8",
    )
    text = _import(tmp_path, record)
    for raw in ("\u202e", "\x1b", "\u200b"):
        assert raw not in text
    assert "\\u202E" in text or "\\u202e" in text
