"""The record of processing as an Excel workbook in the ICO template's layout (openpyxl).

Two sheets, "Controller record" (Art. 30(1)) and "Processor record" (Art. 30(2)): the facts
about the controller and the record first (one labelled cell each, as the ICO template has
them), then the table with one row per activity. A cell with several facts holds one per
line. Every cell is written as text, never as a formula, whatever it starts with. The
workbook is byte-for-byte deterministic: document dates are the record's date and the zip
entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from flowaudit.reports.ropa import PROCESSOR_COLUMNS, Ropa, RopaRow
from flowaudit.reports.sanitise import escape

CONTROLLER_SHEET = "Controller record"
PROCESSOR_SHEET = "Processor record"
#: The processor sheet of an organisation that processes for no other controller.
NO_PROCESSOR_RECORD = "The map records no processing on behalf of another controller."
#: Several facts in one cell are one per line (a fact may itself hold "; ").
LINE = "\n"
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")


#: The most characters an Excel cell holds (openpyxl cuts the rest without a word).
CELL_LIMIT = 32_767
#: The most characters of one fact in a cell: a name of thousands of characters is shortened,
#: so the facts after it stay in the cell (attack review 2026-12-03l, 4).
FACT_LIMIT = 1_000


def _fitted(lines: list[str]) -> str:
    """A cell's facts, one per line, within Excel's limit: each fact shortened past
    ``FACT_LIMIT`` (saying how much was cut), and where they still do not fit, the facts that
    do and a last line saying how many more the CSV and Markdown records hold. Never a fact
    dropped in silence: four long supplier names pushed a data broker out of Recipients."""
    shown = [
        line
        if len(line) <= FACT_LIMIT
        else f"{line[:FACT_LIMIT]}... ({len(line) - FACT_LIMIT:,} more characters)"
        for line in lines
    ]
    text = "\n".join(shown)
    if len(text) <= CELL_LIMIT:
        return text
    kept: list[str] = []
    size = 0
    for number, line in enumerate(shown):
        note = (
            f"... and {len(shown) - number:,} more not shown (an Excel cell holds "
            f"{CELL_LIMIT:,} characters): see the CSV or Markdown record"
        )
        if size + len(line) + 1 + len(note) > CELL_LIMIT:
            return "\n".join([*kept, note])
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)  # pragma: no cover - the cell did not fit, so a fact was left


def _text_cell(sheet: Worksheet, row: int, column: int, value: str) -> None:
    # no raw control, bidi or invisible character in a cell, as in every other output (a CR
    # or a zero-width space is legal XML, but hides text in the sheet: attack review
    # 2026-12-02i); the lines a cell is made of stay lines
    value = _fitted([escape(line) for line in value.split("\n")])
    cell = sheet.cell(row=row, column=column, value=value)
    cell.data_type = "s"  # text, never a formula: "=cmd|..." stays a string
    cell.alignment = _WRAP


def _sheet(
    sheet: Worksheet,
    title: str,
    facts: tuple[tuple[str, str], ...],
    columns: tuple[tuple[str, str], ...],
    rows: tuple[RopaRow, ...],
) -> None:
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    line = 3
    for label, value in facts:
        sheet.cell(row=line, column=1, value=label).font = Font(bold=True)
        _text_cell(sheet, line, 2, value)
        line += 1
    line += 1
    header = line
    for number, (_, heading) in enumerate(columns, start=1):
        cell = sheet.cell(row=header, column=number, value=heading)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(number)].width = 28
    for offset, row in enumerate(rows, start=1):
        for number, (key, _) in enumerate(columns, start=1):
            _text_cell(sheet, header + offset, number, LINE.join(row.cells[key]))
    sheet.freeze_panes = f"C{header + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header}:{header}"


def render_xlsx(ropa: Ropa) -> bytes:
    """The workbook's bytes: both records, in the ICO layout."""
    workbook = Workbook()
    controller = workbook.active
    assert controller is not None  # a new workbook has one sheet
    controller.title = CONTROLLER_SHEET
    _sheet(
        controller,
        f"Record of processing activities ({ropa.controller_law}): controller",
        ropa.facts,
        ropa.columns,
        ropa.rows,
    )
    processor_title = f"Record of processing activities ({ropa.processor_law}): processor"
    if ropa.processor_rows:
        _sheet(
            workbook.create_sheet(PROCESSOR_SHEET),
            processor_title,
            ropa.processor_facts,
            PROCESSOR_COLUMNS,
            ropa.processor_rows,
        )
    else:
        # a controller that processes for no one: said, as the Markdown says it, not a sheet
        # naming it "Processor" above an empty table (auditor review 2026-12-03p, problem 9)
        sheet = workbook.create_sheet(PROCESSOR_SHEET)
        sheet.cell(row=1, column=1, value=processor_title).font = Font(bold=True, size=14)
        _text_cell(sheet, 3, 1, NO_PROCESSOR_RECORD)
        sheet.column_dimensions["A"].width = 90
    stamp = datetime.fromisoformat(ropa.as_of)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "flowaudit"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _fixed_zip(data: bytes, stamp: str) -> bytes:
    """The same zip with every entry dated 1980-01-01 and the document's "modified" date
    (which openpyxl sets to the time of saving) the record's date: two runs, same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                    rb"\g<1>" + stamp.encode() + rb"\2",
                    content,
                )
            target.writestr(entry, content)
    return out.getvalue()
