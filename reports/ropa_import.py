"""Read a record of processing back into a map: the inverse of ``flowaudit ropa``.

A spreadsheet in the ICO layout (the xlsx ``flowaudit ropa`` writes, or a CSV with its
header row) becomes a map document: the organisation from the facts above the table, one
purpose per row with what the row states (business function, interest pursued, rights,
automated decisions, retention, source, Art. 9 and Art. 10 conditions, DPIA, joint
controllers), the subjects and categories, each recipient as a party with a flow, each
location as a system with a flow. A cell that cannot be carried over (agreements, safeguards,
security, consent records, assessments, findings: they are evidence a person must link, not
text to copy) is reported by its sheet, cell and column, never silently dropped.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from flowaudit.model.problems import InputError, Problem
from flowaudit.model.schema import Regime, is_country
from flowaudit.policies.legal import load_legal_table
from flowaudit.reports.ropa import COLUMNS, FACTS
from flowaudit.reports.ropa_xlsx import CONTROLLER_SHEET

_TITLE_TO_KEY = {title: key for key, title in COLUMNS}
_LABEL_TO_FACT = {label: key for key, label in FACTS}
#: Columns rebuilt from other cells, or evidence to link by hand: noted when not empty.
NOT_CARRIED = {
    "agreements": "agreements need their kind, parties and evidence: add them to the map",
    "safeguards": "transfer mechanisms are judged per flow: add transfer_mechanism to flows",
    "security": "encryption is recorded per flow and system",
    "legitimate_interests": "link the assessment under assessments:",
    "consent": "link the consent record under consent_records:",
    "flows": "flow ids are made anew",
    "notice": "notice clauses are recorded per element",
    "findings": "findings come from checking the map",
}
#: How a record marks a location whose country the map only assumes.
_ASSUMED_LOCATION = ", ASSUMED)"
_NAMED_ID = re.compile(r"^(?P<name>.*) \((?P<id>[^()]*)\)$")
_RECIPIENT = re.compile(
    r"^(?P<name>.*) \((?P<role>[a-z_ ]+), (?P<country>[A-Z]{2})(?P<assumed> \[ASSUMED\])?\)$"
)
_ROLES = {"controller", "processor", "joint_controller"}


@dataclass
class ImportedRopa:
    """A map document built from a record, and a note for every cell not carried over."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.casefold()))[:60] or "item"


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_CATEGORY_ID = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*")


class _Ids:
    """Ids given out in one namespace: never twice, not even in another letter case (the
    loader refuses both), so odd cells that slug alike still make a map that loads."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def new(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate.casefold() in self.taken:
            number += 1
            candidate = f"{wanted}-{number}"
        self.taken.add(candidate.casefold())
        return candidate


#: A record of processing is a table of tens or hundreds of rows; a sheet that claims more
#: (a stray cell at XFD1048576 makes openpyxl stream a million empty rows) is refused.
MAX_ROWS, MAX_COLUMNS = 10_000, 100


def _cell_text(value: object) -> str:
    """A workbook cell as the text a person typed: a date as YYYY-MM-DD (a date-time at
    midnight too), a whole number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _read_xlsx(path: str) -> tuple[str, list[list[str]], str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError([Problem(path, 1, 1, f"not an xlsx workbook: {error}")]) from error
    name = CONTROLLER_SHEET if CONTROLLER_SHEET in workbook.sheetnames else None
    sheet = workbook[name] if name else workbook.worksheets[0]
    too_big = InputError(
        [
            Problem(
                path,
                1,
                1,
                f"sheet '{sheet.title}' is larger than a record of processing can be "
                f"({MAX_ROWS:,} rows, {MAX_COLUMNS} columns at most)",
            )
        ]
    )
    if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
        workbook.close()
        raise too_big  # the sheet's own dimension says so: nothing is streamed
    rows: list[list[str]] = []
    for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        if len(rows) == MAX_ROWS:
            workbook.close()
            raise too_big
        rows.append([_cell_text(value) for value in row])
    title = sheet.title
    workbook.close()
    return title, rows, "\n"


def _read_csv(path: str) -> tuple[str, list[list[str]], str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise InputError([Problem(path, 1, 1, "not UTF-8 text")]) from error
    try:
        rows = [[_unquote(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:  # an over-long field, a stray line break in an unquoted cell
        problem = Problem(path, 1, 1, f"not a CSV table flowaudit can read: {error}")
        raise InputError([problem]) from None
    if len(rows) > MAX_ROWS or any(len(row) > MAX_COLUMNS for row in rows):
        raise InputError(
            [
                Problem(
                    path,
                    1,
                    1,
                    f"larger than a record of processing can be ({MAX_ROWS:,} rows, "
                    f"{MAX_COLUMNS} columns at most)",
                )
            ]
        )
    return os.path.basename(path), rows, "; "


def _unquote(cell: str) -> str:
    """Undo the formula guard of the CSV export (a leading apostrophe before = + - @)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def import_ropa(path: str, country: str | None = None, regime: str | None = None) -> ImportedRopa:
    """The map a record of processing states; ``country``/``regime`` when the record has none."""
    if not os.path.isfile(path):
        raise InputError([Problem(path, 1, 1, "no such file")])
    if path.lower().endswith(".xlsx"):
        sheet, rows, separator = _read_xlsx(path)
    elif path.lower().endswith(".csv"):
        sheet, rows, separator = _read_csv(path)
    else:
        raise InputError([Problem(path, 1, 1, "a record to import is an .xlsx or .csv file")])
    header = next(
        (n for n, row in enumerate(rows) if "Purpose of processing" in row),
        None,
    )
    if header is None:
        raise InputError(
            [Problem(path, 1, 1, "no header row with a 'Purpose of processing' column")]
        )
    return _Builder(path, sheet, separator, country, regime).build(rows, header)


def _merge_order(order: list[list[str]], sequence: list[str]) -> None:
    """Remember one row's order of ids; ``_ordered`` merges all rows' orders."""
    order.append(sequence)


def _ordered(sequences: list[list[str]]) -> list[str]:
    """One order of all ids that keeps every row's order (the map's order, which the record
    followed), ties broken by first appearance; a contradiction keeps first appearance."""
    first: dict[str, int] = {}
    after: dict[str, set[str]] = {}
    before_count: dict[str, int] = {}
    for sequence in sequences:
        for item in sequence:
            first.setdefault(item, len(first))
            after.setdefault(item, set())
            before_count.setdefault(item, 0)
        for earlier, later in itertools.pairwise(sequence):
            if later not in after[earlier]:
                after[earlier].add(later)
                before_count[later] += 1
    ready = sorted((i for i, n in before_count.items() if n == 0), key=first.__getitem__)
    result: list[str] = []
    while ready:
        item = ready.pop(0)
        result.append(item)
        for later in after[item]:
            before_count[later] -= 1
            if before_count[later] == 0:
                ready.append(later)
        ready.sort(key=first.__getitem__)
    result += sorted((i for i in first if i not in result), key=first.__getitem__)
    return result


def _cell_name(column: int, row: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


class _Builder:
    def __init__(
        self, path: str, sheet: str, separator: str, country: str | None, regime: str | None
    ) -> None:
        self.path = path
        self.sheet = sheet
        self.separator = separator
        self.country = country
        self.regime = regime
        self.notes: list[str] = []
        self.parties: dict[str, dict[str, Any]] = {}
        self.systems: dict[str, dict[str, Any]] = {}
        self.subjects: dict[str, dict[str, Any]] = {}
        self.categories: dict[str, dict[str, Any]] = {}
        self.purposes: list[dict[str, Any]] = []
        # the record lists subjects and categories in the map's order: keep it across rows
        self.subject_order: list[list[str]] = []
        self.category_order: list[list[str]] = []
        self.flows: list[dict[str, Any]] = []
        # the organisation, parties and systems share one namespace; purposes and flows
        # each their own; a party or system found again by its name keeps its id
        self.node_ids = _Ids()
        self.purpose_ids = _Ids()
        self.flow_ids = _Ids()
        self.party_by_key: dict[str, str] = {}
        self.system_by_key: dict[str, str] = {}
        legal = load_legal_table()
        self.bases = {basis.name: basis.id for basis in legal.lawful_bases.values()}

    def note(self, row: int, column: int, title: str, why: str) -> None:
        self.notes.append(f"{self.sheet}!{_cell_name(column, row)} ({title}): {why}")

    def build(self, rows: list[list[str]], header: int) -> ImportedRopa:
        facts = self._facts(rows[:header])
        organisation = self._organisation(facts)
        titles = rows[header]
        for column, title in enumerate(titles):
            if title and title not in _TITLE_TO_KEY:
                self.note(header, column, title, "not a column of the record; not carried over")
        for number in range(header + 1, len(rows)):
            row = rows[number]
            if not any(cell.strip() for cell in row):
                continue
            cells = {
                _TITLE_TO_KEY[title]: [v for v in row[c].split(self.separator) if v]
                if c < len(row)
                else []
                for c, title in enumerate(titles)
                if title in _TITLE_TO_KEY
            }
            self._row(organisation["id"], number, titles, row, cells)
        data: dict[str, Any] = {"organisation": organisation}
        for name, values in (
            ("parties", list(self.parties.values())),
            ("systems", list(self.systems.values())),
            ("categories", [self.categories[c] for c in _ordered(self.category_order)]),
            ("subjects", [self.subjects[s] for s in _ordered(self.subject_order)]),
            ("purposes", self.purposes),
            ("flows", self.flows),
        ):
            data[name] = values
        return ImportedRopa(data, self.notes)

    def _facts(self, rows: list[list[str]]) -> dict[str, str]:
        facts: dict[str, str] = {}
        for row in rows:
            if len(row) >= 2 and row[0] in _LABEL_TO_FACT and row[1]:
                facts[_LABEL_TO_FACT[row[0]]] = row[1]
        return facts

    def _organisation(self, facts: dict[str, str]) -> dict[str, Any]:
        name = facts.get("name") or "Imported organisation"
        country = facts.get("country") or self.country or "GB"
        if not is_country(country):
            self.notes.append(f"Country '{country}' is not an ISO 3166-1 alpha-2 code: GB used")
            country = self.country if self.country and is_country(self.country) else "GB"
        regime = facts.get("regime") or self.regime or ("UK" if country == "GB" else "EU")
        if regime not in {r.value for r in Regime}:
            fallback = "UK" if country == "GB" else "EU"
            self.notes.append(f"Regime '{regime}' is not UK, EU or CH: {fallback} used")
            regime = fallback
        organisation: dict[str, Any] = {
            "id": self.node_ids.new(_slug(name)),
            "name": name,
            "country": country,
            "regime": regime,
        }
        if facts.get("description"):
            organisation["description"] = facts["description"]
        for who in ("contact", "dpo", "representative"):
            parts = {
                part: facts[f"{who}.{part}"]
                for part in ("name", "email", "phone", "address")
                if facts.get(f"{who}.{part}")
            }
            if parts:
                parts.setdefault("name", name if who == "contact" else "(not named)")
                organisation[who] = parts
        for key in ("notice_url", "record_version", "record_owner", "record_review_on"):
            if facts.get(key):
                organisation[key] = facts[key]
        review = organisation.get("record_review_on")
        if review is not None and not _is_date(review):
            self.notes.append(
                f"Next review '{review}' is not a date (YYYY-MM-DD): not carried over"
            )
            del organisation["record_review_on"]
        return organisation

    def _row(
        self,
        organisation_id: str,
        number: int,
        titles: list[str],
        row: list[str],
        cells: dict[str, list[str]],
    ) -> None:
        text = {key: "; ".join(values) for key, values in cells.items()}
        purpose_text = text.get("purpose", "")
        match = _NAMED_ID.match(purpose_text)
        purpose: dict[str, Any] = (
            {"id": match["id"], "name": match["name"]}
            if match and _ID.fullmatch(match["id"])
            else {"id": _slug(purpose_text or f"row-{number + 1}"), "name": purpose_text}
        )
        purpose["id"] = self.purpose_ids.new(purpose["id"])
        for key, field_name in (
            ("business_function", "business_function"),
            ("legitimate_interest", "legitimate_interest"),
            ("automated", "automated_decisions"),
            ("retention", "retention"),
            ("sources", "source"),
            ("art9", "art9_condition"),
            ("art10", "art10_condition"),
            ("dpia", "dpia"),
        ):
            if text.get(key):
                purpose[field_name] = text[key]
        if cells.get("rights"):
            purpose["rights"] = cells["rights"]
        joint = [
            self._party(name, "joint_controller", None)
            for name in cells.get("joint_controllers", [])
        ]
        if joint:
            purpose["joint_controllers"] = joint
        self.purposes.append(purpose)
        subjects = list(dict.fromkeys(self._subject(name) for name in cells.get("subjects", [])))
        categories = list(
            dict.fromkeys(self._category(entry) for entry in cells.get("categories", []))
        )
        _merge_order(self.subject_order, subjects)
        _merge_order(self.category_order, categories)
        basis = self._basis(text.get("basis", ""), number, titles)
        targets: list[str] = []
        for entry in cells.get("recipients", []):
            found = _RECIPIENT.match(entry)
            if found is None:
                targets.append(self._party(entry, None, None))
                continue
            role = found["role"] if found["role"] in _ROLES else None
            country = found["country"] if is_country(found["country"]) else None
            party_id = self._party(found["name"], role, country)
            if found["assumed"] and country:
                # a recipient's country the record marks assumed ("(processor, GB
                # [ASSUMED])": DPO review w, problem 5) keeps the mark, as a location does
                self.parties[party_id]["assumed"] = {
                    "country": "marked ASSUMED in the imported record of processing"
                }
            targets.append(party_id)
        for cell_entry in cells.get("location", []):
            # a location whose country the record marks assumed ("Portal (US, ASSUMED)", as
            # flowaudit writes it: auditor review 2026-12-03p, problem 13) keeps the mark
            assumed = cell_entry.endswith(_ASSUMED_LOCATION)
            entry = cell_entry[: -len(_ASSUMED_LOCATION)] + ")" if assumed else cell_entry
            found = _NAMED_ID.match(entry)
            name, country = (
                (found["name"], found["id"]) if found and is_country(found["id"]) else (entry, "GB")
            )
            key = _slug(name)
            if key not in self.system_by_key:
                system_id = self.node_ids.new(key)
                self.system_by_key[key] = system_id
                self.systems[system_id] = {
                    "id": system_id,
                    "name": name,
                    "owner": organisation_id,
                    "country": country,
                }
                if assumed:
                    self.systems[system_id]["assumed"] = {
                        "country": "marked ASSUMED in the imported record of processing"
                    }
            targets.append(self.system_by_key[key])
        if subjects and categories:
            for target in dict.fromkeys(targets or [organisation_id]):
                flow: dict[str, Any] = {
                    "id": self.flow_ids.new(f"{purpose['id']}-{target}"),
                    "from": organisation_id,
                    "to": target,
                    "categories": categories,
                    "subjects": subjects,
                    "purpose": purpose["id"],
                }
                if basis:
                    flow["basis"] = basis
                self.flows.append(flow)
        elif targets:
            self.notes.append(
                f"{self.sheet} row {number + 1}: recipients or locations without subjects and "
                "categories: no flow made"
            )
        for key, why in NOT_CARRIED.items():
            for column, title in enumerate(titles):
                if _TITLE_TO_KEY.get(title) == key and column < len(row) and row[column]:
                    self.note(number, column, title, why)

    def _party(self, name: str, role: str | None, country: str | None) -> str:
        key = _slug(name)
        if key not in self.party_by_key:
            self.party_by_key[key] = self.node_ids.new(key)
        party_id = self.party_by_key[key]
        party = self.parties.setdefault(
            party_id,
            {"id": party_id, "name": name, "kind": "other", "country": country or "GB"},
        )
        if role and "role" not in party:
            party["role"] = role
        if country:
            party["country"] = country
        return party_id

    def _subject(self, name: str) -> str:
        subject_id = _slug(name).replace("-", "_")
        self.subjects.setdefault(subject_id, {"id": subject_id, "name": name})
        return subject_id

    def _category(self, entry: str) -> str:
        found = _NAMED_ID.match(entry)
        if found is None:
            category_id = _slug(entry).replace("-", "_")
            self.categories.setdefault(category_id, {"id": category_id, "name": entry})
            return category_id
        category_id, _, mark = found["id"].partition(", ")
        name = found["name"]
        if not _CATEGORY_ID.fullmatch(category_id):
            lowered = category_id.casefold()
            if _CATEGORY_ID.fullmatch(lowered):
                category_id = lowered  # "EMAIL" is the id email, in the case ids are written
            else:
                # the brackets hold words, not an id: the whole cell is the name
                category_id, name, mark = _slug(entry).replace("-", "_"), entry, ""
        category: dict[str, Any] = {"id": category_id, "name": name}
        if mark == "special category":
            category["special_category"] = True
        self.categories.setdefault(category_id, category)
        return category_id

    def _basis(self, text: str, number: int, titles: list[str]) -> str | None:
        if not text:
            return None
        if text in self.bases:
            return self.bases[text]
        column = next(c for c, t in enumerate(titles) if _TITLE_TO_KEY.get(t) == "basis")
        self.note(
            number,
            column,
            titles[column],
            "not one lawful basis for the whole row: set basis per flow",
        )
        return None
