"""A new organisation's first hour: ``flowaudit init``, the shipped shop example,
docs/first-map.md run command by command, and validation that says everything at once."""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from flowaudit.model.loader import load_map
from flowaudit.model.problems import InputError
from flowaudit.model.schema import map_json_schema
from flowaudit.model.yamlsource import parse_text
from tests.helpers import BASE, GitRepo, audit_files, hits, pinned, require_tool, run

ROOT = Path(__file__).parent.parent


def _organisation(path: Path) -> dict[str, object]:
    data = parse_text(path.read_text(encoding="utf-8"), str(path)).data
    return dict(data["organisation"])


SHOP = ROOT / "model" / "examples" / "shop"


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test from an empty working folder (paths print relative to it)."""
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def test_init_writes_a_starter_map_that_validates_and_checks(in_tmp: Path) -> None:
    created = run(["init", "--name", 'Acme: "Ltd" # 1'])
    assert created.exit_code == 0, created.output
    text = (in_tmp / "data-map" / "map.yaml").read_text(encoding="utf-8")
    organisation = _organisation(in_tmp / "data-map" / "map.yaml")
    assert organisation == {
        "id": "acme-ltd-1",
        "name": 'Acme: "Ltd" # 1',
        "country": "GB",
        "regime": "UK",
        "notice": "PN-WHO",
        # the clause ids every notice: is checked against (auditor review 2026-12-03g, 2)
        "notice_clauses": ["PN-WHO", "PN-PURPOSES", "PN-RECIPIENTS"],
    }
    assert text.count("\n#") > 20, "the starter map explains itself in comments"
    assert text.startswith("# yaml-language-server: $schema=.schema/map.schema.json\n")
    schema = json.loads((in_tmp / "data-map" / ".schema" / "map.schema.json").read_text())
    assert schema == map_json_schema()
    validated = run(["validate", "data-map"])
    assert validated.exit_code == 0, validated.output
    # the starter claims no duty on the user's word: each is a finding until they state it
    checked = run(["check", "data-map", "--as-of", "2026-11-25"])
    assert checked.exit_code == 1, checked.output
    found = checked.output.splitlines()
    assert [line.split(" ")[2] for line in found if line.startswith("data-map/")] == [
        "GDPR-BREACH",
        "GDPR-NOTICE-CONTENT",
        "GDPR-RIGHTS",
    ]
    assert checked.output.endswith("FAIL: 3 findings at or above low.\n")
    # uncommented, the starter's own examples of those duties state them, and nothing else
    # is left to find on the starter
    duties, rest = text.split("# Other organisations")
    stated = "\n".join(
        line.replace("  # ", "  ", 1) if re.match(r"  # ( *\w+:|  )", line) else line
        for line in duties.splitlines()
    )
    (in_tmp / "data-map" / "map.yaml").write_text(
        stated + "\n# Other organisations" + rest, encoding="utf-8"
    )
    checked = run(["check", "data-map", "--as-of", "2026-11-25"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.endswith("PASS: 0 findings at or above low.\n")


def test_the_starter_map_carries_every_notice_item_and_basis(in_tmp: Path) -> None:
    """Every key of notice_content the legal table knows is in the starter, commented out as
    its other duties are, and its basis comment names every basis of the UK table (review
    2026-12-02d, problems 2 and 12: 7 of 12 keys, no recognised_legitimate_interests)."""
    from flowaudit.policies.legal import load_legal_table

    assert run(["init", "--name", "Acme"]).exit_code == 0
    text = (in_tmp / "data-map" / "map.yaml").read_text(encoding="utf-8")
    block = text.split("  # notice_content:\n", 1)[1].split("\n\n", 1)[0]
    keys = [re.match(r"  #   (\w+):", line) for line in block.splitlines()]
    vocabulary = load_legal_table().vocabulary()
    assert [m.group(1) for m in keys if m] == vocabulary["notice_content"]
    basis_comment = text.split("basis: contract", 1)[1].split("encrypted_in_transit", 1)[0]
    for basis in ("consent", "contract", "legal_obligation", "vital_interests", "public_task"):
        assert basis in basis_comment
    assert "legitimate_interests or" in basis_comment
    assert "recognised_legitimate_interests" in basis_comment


def _comment_lines(text: str, needle: str) -> list[str]:
    return [line for line in text.splitlines() if needle in line]


def test_the_starter_names_the_regimes_regulator(in_tmp: Path) -> None:
    """Auditor review 2026-12-03o, problem 8: the starter map of an Irish (EU) organisation
    told it to complain, notify breaches and keep a complaints procedure before the ICO (DUAA
    2025). The regulator is the regime's, from the legal table's jurisdictions, and the UK's
    s.164A duty is offered to UK organisations only; a UK starter is as before."""
    assert run(["init", "ie", "--name", "Ceol Teoranta", "--country", "IE"]).exit_code == 0
    assert run(["init", "uk", "--name", "Acme"]).exit_code == 0
    assert run(["init", "ch", "--name", "Acme AG", "--country", "CH"]).exit_code == 0
    irish = (in_tmp / "ie" / "map.yaml").read_text(encoding="utf-8")
    assert "ICO" not in irish and "DUAA" not in irish
    assert _comment_lines(irish, "complain") == [
        "  # (complaints_procedure: a duty of UK law only, not asked of you)",
        "  #   complaint: how to complain to your supervisory authority",
    ]
    assert _comment_lines(irish, "hours before telling") == [
        "  # how you handle breaches (Art. 33): where the log is kept, hours before telling your"
        " supervisory authority"
    ]
    swiss = (in_tmp / "ch" / "map.yaml").read_text(encoding="utf-8")
    # the revFADP's Art. 19 asks no word on complaints (auditor review 2026-12-03p, problem 8)
    assert _comment_lines(swiss, "complain to") == []
    british = (in_tmp / "uk" / "map.yaml").read_text(encoding="utf-8")
    assert _comment_lines(british, "ICO") == [
        "  # complaints_procedure: true  # people can complain to you before the ICO (DUAA 2025)",
        "  # how you handle breaches (Art. 33): where the log is kept, hours before telling"
        " the ICO",
        "  #   complaint: how to complain to the ICO",
    ]


def test_the_swiss_starter_names_swiss_law_not_the_gdprs(in_tmp: Path) -> None:
    """Auditor review 2026-12-03p, problems 7 and 8: the CH starter asked for a 72-hour breach
    limit "(Art. 33) … before telling the FDPIC", a DSAR in "one calendar month" (the CH row is
    30 days), an "Art. 28 contract", Art. 9 conditions, Art. 6(1) bases, PECR and every Art.
    13/14 item. Its comments that name law are now the regime's (model/starter/comments.yaml),
    and its notice_content block holds the keys revFADP Art. 19 asks; a UK starter is as
    before (test_the_starter_map_carries_every_notice_item_and_basis)."""
    assert run(["init", "ch", "--name", "Acme AG", "--country", "CH"]).exit_code == 0
    swiss = (in_tmp / "ch" / "map.yaml").read_text(encoding="utf-8")
    for taught in ("72", "calendar month", "Art. 33", "Art. 28", "Art. 13/14", "reg. 22"):
        assert taught not in swiss, taught
    duties = swiss.split("Uncomment and fill in what is true.\n", 1)[1]
    assert duties.split("\n\n", 1)[0].splitlines() == [
        "  # dsar_days: 30               # days to answer a subject access request (the law: in",
        "  #                             # general within 30 days, revFADP Art. 25(7))",
        "  # (complaints_procedure: a duty of UK law only, not asked of you)",
        "  # (breach_procedure: not judged for a Swiss organisation. The revFADP Art. 24 asks you"
        " to",
        "  # report to the FDPIC as soon as possible a breach likely to result in a high risk,"
        " with",
        "  # no fixed number of hours; flowaudit does not model that duty: keep to it yourself)",
        "  # what your privacy notice says for each item revFADP Art. 19 asks (null where it says",
        "  # nothing); the keys are the legal table's, every one asked of you is here",
        "  # (docs/map-format.md lists them)",
        "  # notice_content:",
        "  #   controller_identity: who we are and how to contact us",
        "  #   purposes_and_bases: what we use data for",
        "  #   recipients: who we share data with",
        "  #   transfer_safeguards: the countries abroad we disclose data to, and the safeguards"
        " or exception",
        "  #   categories_obtained: what data we get from others   # asked when others send you"
        " data",
    ]
    assert _comment_lines(swiss, "processor (acts") == [
        "# on it. `role` is what they are for the data you send them: processor (acts on your"
    ]
    assert (
        "# instructions: needs a contract, revFADP Art. 9), controller or joint_controller.\n"
        in swiss
    )
    assert (
        "    basis: contract             # the GDPR's Art. 6(1) bases are not judged for a Swiss\n"
        "                                # organisation (the revFADP has no list of lawful"
        " bases):\n"
        "                                # you may leave basis out (no note per flow: the run"
        " says\n"
        "                                # once which rules were not judged)\n"
    ) in swiss
    checked = run(["check", "ch", "--as-of", "2026-11-25"])
    assert [
        line.split(" ")[2] for line in checked.output.splitlines() if line.startswith("ch/")
    ] == ["GDPR-NOTICE-CONTENT"]
    # uncommented, the starter's own lines state what is asked: nothing is left to find
    head, rest = swiss.split("# Other organisations")
    stated = "\n".join(
        line.replace("  # ", "  ", 1) if re.match(r"  # ( *\w+:|  )", line) else line
        for line in head.splitlines()
    )
    (in_tmp / "ch" / "map.yaml").write_text(
        stated + "\n# Other organisations" + rest, encoding="utf-8"
    )
    checked = run(["check", "ch", "--as-of", "2026-11-25"])
    assert checked.output.endswith("PASS: 0 findings at or above low.\n"), checked.output


def test_init_takes_the_regime_from_the_country_and_asks_nothing(in_tmp: Path) -> None:
    assert run(["init", "ie", "--name", "Éire Teo", "--country", "ie"]).exit_code == 0
    organisation = _organisation(in_tmp / "ie" / "map.yaml")
    assert (organisation["id"], organisation["country"], organisation["regime"]) == (
        "eire-teo",
        "IE",
        "EU",
    )
    # an EU controller owes no UK complaints procedure: two duties to state, not three
    checked = run(["check", "ie", "--as-of", "2026-11-25"])
    assert checked.exit_code == 1
    assert checked.output.endswith("FAIL: 2 findings at or above low.\n")
    assert "GDPR-RIGHTS" not in checked.output
    abroad = run(["init", "us", "--country", "US"])
    assert abroad.exit_code == 2
    assert "--regime is needed: US is not in the UK, the EEA or Switzerland" in abroad.output
    # auditor review y, problem 4: the error says what to choose and where the docs say more
    assert (
        "Name the law your processing falls under: UK (or EU) if you offer goods or services "
        "to, or monitor, people in the UK (or the EU), Art. 3(2); you then need a "
        "representative there (Art. 27). See docs/first-map.md, 'An organisation outside the "
        "UK, the EEA and Switzerland'" in " ".join(abroad.output.split())
    )
    assert run(["init", "us", "--country", "US", "--regime", "EU"]).exit_code == 0
    # judged under the GDPR from abroad: asked for its EU representative, and its own
    # complaints procedure is no duty (EU); under UK GDPR it is no "UK controller"
    us_eu = run(["check", "us", "--as-of", "2026-11-25"])
    assert "MEDIUM GDPR-REPRESENTATIVE organisation/" in us_eu.output
    assert "representative in the EU (GDPR Art. 27(1))" in us_eu.output
    assert run(["init", "uk", "--country", "US", "--regime", "UK"]).exit_code == 0
    us_uk = run(["check", "uk", "--as-of", "2026-11-25"])
    assert "representative in the UK (UK GDPR Art. 27(1))" in us_uk.output
    assert "(a controller under UK law): from 2026-06-19" in us_uk.output
    assert "UK controller" not in us_uk.output
    record = run(["ropa", "uk", "--as-of", "2026-11-25"])
    assert (
        "- NOT RECORDED: the controller's representative (Art. 30(1)(a) asks it where "
        "Art. 27 applies): record the organisation's representative (name, email, address)"
    ) in record.output
    wrong = run(["init", "x", "--country", "UK"])
    assert wrong.exit_code == 2
    assert "the United Kingdom is 'GB'" in wrong.output


def test_init_never_overwrites_without_force(in_tmp: Path) -> None:
    assert run(["init", "m"]).exit_code == 0
    (in_tmp / "m" / "map.yaml").write_text("# mine\n", encoding="utf-8")
    again = run(["init", "m"])
    assert again.exit_code == 2
    assert "m/map.yaml already exists; nothing was written (--force overwrites)" in again.output
    assert (in_tmp / "m" / "map.yaml").read_text() == "# mine\n"
    assert run(["init", "m", "--force"]).exit_code == 0
    assert (in_tmp / "m" / "map.yaml").read_text() != "# mine\n"


def test_init_copies_the_shop_example(in_tmp: Path) -> None:
    result = run(["init", "shop", "--example", "shop"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (in_tmp / "shop").iterdir()) == sorted(
        [".flowauditignore", ".schema", *(p.name for p in SHOP.glob("*.yaml"))]
    )
    copied = (in_tmp / "shop" / "flows.yaml").read_text(encoding="utf-8")
    assert copied.splitlines()[0] == "# yaml-language-server: $schema=.schema/map.schema.json"
    assert copied.splitlines()[1:] == (SHOP / "flows.yaml").read_text().splitlines()[1:]


def test_shop_example_passes_every_rule() -> None:
    result = run(["check", str(SHOP), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == [
        "Shopwave Ltd as of 2026-11-25: 0 findings (0 critical, 0 high, 0 medium, 0 low, "
        "0 info), 0 waived; 52 checks passed; 23 rules.",
        # the bookkeeping return's law is not in the map: the pass says it takes it on trust
        "Passed on an ASSUMED fact: legal_obligation: Legal obligation, Art. "
        "6(1)(c) applies only where a law the organisation is subject to requires this "
        "processing (Art. 6(1)(c), 6(3); the map does not name the law), which the map cannot "
        "show: 1 check (GDPR-BASIS flows/bookkeeping)",
        "PASS: 0 findings at or above low.",
    ]
    validated = run(["validate", str(SHOP)])
    assert validated.output == (
        "Shopwave Ltd: valid map of 4 parties, 3 systems, 8 flows, 4 agreements in 5 files.\n"
    )


def test_shop_example_fails_when_the_courier_contract_lapses() -> None:
    """The example is a real map: its courier contract ends 2027-03-14, and then it fails."""
    result = run(["check", str(SHOP), "--as-of", "2027-06-01"])
    assert result.exit_code == 1
    assert (
        "flows/parcel-labels: Shopwave Ltd (controller) → ParcelRun Ltd (processor): "
        "agreement 'parcelrun-dpa' expired on 2027-03-14" in result.output
    )


# --- docs/first-map.md, run as written ---------------------------------------------------

FIRST_MAP = ROOT / "docs" / "first-map.md"
#: The date a summary line names, today's where the page runs ``check`` with no --as-of.
AS_OF_DATE = re.compile(r"\bas of \d{4}-\d{2}-\d{2}\b")


def _doc_steps() -> list[tuple[str, str, list[str]]]:
    """("file", path, lines) for every YAML block with a ``# file:`` line, ("run", command,
    shown output lines) for every ``$`` line of a console block, in page order."""
    text = FIRST_MAP.read_text(encoding="utf-8")
    steps: list[tuple[str, str, list[str]]] = []
    for language, body in re.findall(r"```(\w+)\n(.*?)```", text, flags=re.S):
        lines = body.splitlines()
        if language == "yaml" and lines and lines[0].startswith("# file: "):
            steps.append(("file", lines[0].removeprefix("# file: "), lines[1:]))
        elif language == "console":
            for line in lines:
                if line.startswith("$ "):
                    steps.append(("run", line[2:], []))
                else:
                    steps[-1][2].append(line)
    return steps


def test_first_map_doc_runs_as_written(in_tmp: Path) -> None:
    steps = _doc_steps()
    assert sum(kind == "run" for kind, _, _ in steps) >= 7
    for kind, what, lines in steps:
        if kind == "file":
            target = in_tmp / what
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
            continue
        argv = shlex.split(what)
        assert argv[0] == "flowaudit", what
        result = run(argv[1:])
        expected = 0
        if any("input problem" in line for line in lines):
            expected = 2
        elif any(line.startswith("FAIL:") for line in lines):
            expected = 1
        assert result.exit_code == expected, (what, result.output)
        # the whole output, line for line, the date judged as of aside (today's): the page
        # showed one of check's three findings and no summary line (auditor review
        # 2026-12-03y, problem 7)
        actual = AS_OF_DATE.sub("as of 2026-11-25", result.output).splitlines()
        assert actual == lines, what
    assert (in_tmp / "ropa.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_first_map_step_6_shows_what_the_gate_prints(in_tmp: Path) -> None:
    """Step 6 (newcomer review 2026-12-02b, N12): a new flow claiming encryption fails the
    gate as a change to review until it is accepted, exactly as the page shows."""
    require_tool("git")
    for kind, what, lines in _doc_steps():
        if kind == "file":
            (in_tmp / what).parent.mkdir(parents=True, exist_ok=True)
            (in_tmp / what).write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            run(shlex.split(what)[1:])
    repo = GitRepo(in_tmp, in_tmp / "my-map")
    repo.git("init", "-q")
    repo.commit()
    text = FIRST_MAP.read_text(encoding="utf-8")
    step = text[text.index("## 6. ") :]
    [flow] = re.findall(r"```yaml\n(.*?)```", step, flags=re.S)
    [shown] = re.findall(r"```text\n(.*?)\n```", step, flags=re.S)
    courier = in_tmp / "my-map" / "courier.yaml"
    courier.write_text(courier.read_text(encoding="utf-8") + flow, encoding="utf-8")
    result = run(["check", "my-map", "--base", "HEAD"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[-1] == shown.replace("origin/main", "HEAD")
    change = pinned(result.stdout, "claim-changed:flows/parcel-tracking")
    accepted = run(["check", "my-map", "--base", "HEAD", "--accept-change", change])
    assert accepted.exit_code == 0, accepted.output


# --- one-pass validation ---------------------------------------------------------------

BROKEN = """\
parties:
  - {id: courier, name: C, kind: Courier, country: GB, role: processer}
  - {id: accountant, name: A, kind: accountant, country: GB, role: processor}
agreements:
  - {id: dpa, kind: art28_dpa, parties: [acme, courier], status: signed, signed_on: 01/03/2024}
flows:
  - {id: f1, from: acme, to: courier, categories: [card], subjects: [staf], purpose: support,
     basis: contract, agreement: dpa}
"""


def test_field_and_reference_problems_come_together(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text("categories:\n  - {id: payment.card, name: Card}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_map([BASE, broken, taxonomy])
    messages = [
        (p.line, p.message) for p in raised.value.problems if p.file.endswith("broken.yaml")
    ]
    assert messages == [
        (
            2,
            "kind: 'Courier' is not valid: a kind is one lowercase word of a-z, 0-9 and '_' "
            "(e.g. courier)",
        ),
        (
            2,
            "role: 'processer' is not one of controller, processor, joint_controller "
            "(did you mean 'processor'?)",
        ),
        (5, "signed_on: '01/03/2024' is not a date: use YYYY-MM-DD (e.g. 2024-03-01)"),
        (7, "unknown data category 'card' (did you mean 'payment.card'?)"),
        (7, "unknown data subject 'staf' (did you mean 'staff'?)"),
    ]


def test_any_party_kind_is_allowed_and_policies_match_it(tmp_path: Path) -> None:
    rule = tmp_path / "couriers.yaml"
    rule.write_text(
        """\
policy: {id: shop, title: Shop}
rules:
  - id: SHOP-COURIER
    kind: categories_allowed
    title: Couriers get names and addresses only
    severity: high
    rationale: Our notice says so.
    references: {notice: [PN-1], legal: [UK GDPR Art. 5(1)(c)]}
    fix: Send the courier less.
    match: {recipient_kinds: [courier]}
    allowed: [contact.name]
""",
        encoding="utf-8",
    )
    flows = tmp_path / "map.yaml"
    flows.write_text(
        """\
parties:
  - {id: courier, name: C, kind: courier, country: GB, role: processor}
flows:
  - {id: labels, from: acme, to: courier, categories: [contact.name, contact.email],
     subjects: [staff], purpose: support, basis: contract}
""",
        encoding="utf-8",
    )
    result = audit_files(flows, user_policies=[rule])
    assert [h[:3] for h in hits(result, "SHOP-COURIER")] == [
        ("SHOP-COURIER", "labels", "not-allowed")
    ]


def test_owner_rule_is_named_in_the_finding(tmp_path: Path) -> None:
    flows = tmp_path / "map.yaml"
    flows.write_text(
        """\
parties:
  - {id: platform, name: P, kind: ecommerce_platform, country: GB, role: processor}
  - {id: courier, name: C, kind: courier, country: GB, role: processor}
systems:
  - {id: orders, name: Orders, owner: platform, country: GB}
flows:
  - {id: labels, from: orders, to: courier, categories: [contact.name], subjects: [staff],
     purpose: support, basis: contract, agreement: courier-dpa}
agreements:
  - {id: courier-dpa, kind: art28_dpa, parties: [acme, courier], status: signed,
     categories: [contact]}
""",
        encoding="utf-8",
    )
    result = audit_files(flows)
    messages = [f.message for f in result.findings if f.code == "wrong-parties"]
    assert messages == [
        "P (processor) → C (sub-processor): "
        "agreement 'courier-dpa' is between acme, courier, not 'platform' (owner of system "
        "'orders', which sends this data: a flow from or to a system counts as sent or "
        "received by the system's owner)"
    ]


# --- the schema documents itself -------------------------------------------------------


def test_every_schema_field_has_a_description_and_an_example() -> None:
    """Editors show hover help from these (yaml-language-server reads description and
    examples); a field added without them fails here."""
    schema = map_json_schema()
    models = {"DataMap": schema, **schema["$defs"]}  # type: ignore[dict-item]
    missing = [
        f"{model}.{field}: {what}"
        for model, definition in models.items()
        for field, spec in definition.get("properties", {}).items()
        for what in ("description", "examples")
        if what not in spec
    ]
    assert missing == []
    assert len([f for m in models.values() for f in m.get("properties", {})]) > 100
    party = schema["$defs"]["Party"]["properties"]["kind"]  # type: ignore[index]
    assert party["examples"] == ["courier"]
    assert "Known kinds: organisation, customer, isp" in party["description"]


def test_an_unknown_reference_without_a_close_match_lists_the_few_known(tmp_path: Path) -> None:
    broken = tmp_path / "map.yaml"
    broken.write_text(
        "flows:\n  - {id: f, from: acme, to: acme, categories: [contact], subjects: [staff], "
        "purpose: zzz}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        load_map([BASE, broken])
    (problem,) = raised.value.problems
    assert problem.message.startswith("unknown purpose 'zzz' (known: ")
    assert "support" in problem.message


def test_an_assessments_purposes_are_references_to_the_maps_purposes(tmp_path: Path) -> None:
    """An assessment's purposes (what it weighs: auditor review 2026-12-02f, problem 3) name
    purposes of the map: a misspelt one is an input error at its place, not a silent miss."""
    broken = tmp_path / "map.yaml"
    broken.write_text(
        "assessments:\n  - {id: lia, kind: legitimate_interests, purposes: [suport]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        load_map([BASE, broken])
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (2, 54)
    assert problem.message.startswith("unknown purpose 'suport' (did you mean 'support'?")


def test_an_assessment_names_a_broader_purpose_only_where_a_purpose_is_a_kind_of_it(
    tmp_path: Path,
) -> None:
    """DPO review 2026-12-03j, problem 5: 'marketing', a purpose the law's tables name, is a
    purpose an assessment or a consent record may weigh where a declared purpose says is_a:
    [marketing] (the case lawful_basis/an-assessment-may-weigh-a-broader-purpose-...); with
    no such purpose it names nothing in the map, and is refused as an is_a naming an unknown
    purpose is."""
    mapped = tmp_path / "map.yaml"
    mapped.write_text(
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n"
        "purposes: [{id: news, name: Newsletter}]\n"
        "assessments:\n"
        "  - {id: lia, kind: legitimate_interests, purposes: [marketing]}\n"
        "consent_records:\n"
        "  - {id: cr, method: tick box, evidence: form, purposes: [marketing]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        load_map([mapped])
    assert [(p.line, p.column, p.message) for p in raised.value.problems] == [
        (4, 54, "unknown purpose 'marketing' (known: news)"),
        (6, 59, "unknown purpose 'marketing' (known: news)"),
    ]
    mapped.write_text(
        mapped.read_text(encoding="utf-8").replace(
            "{id: news, name: Newsletter}", "{id: news, name: Newsletter, is_a: [marketing]}"
        ),
        encoding="utf-8",
    )
    assert [a.purposes for a in load_map([mapped]).data.assessments] == [["marketing"]]


def test_first_map_names_every_rule_an_eu_organisation_is_not_judged_by() -> None:
    """Auditor review 2026-12-03r, problem 9: first-map.md had a Swiss section (judged, not
    judged, dates) and no EU one, so an EU newcomer was not told that its marketing consent
    and cookies are not judged, nor that Member State law behind several grounds is taken on
    trust. The EU section names each rule the shipped policies do not judge for the EU
    regime, and the cookie rule, whose findings for it are info only."""
    from flowaudit.app import AuditRequest, audit
    from flowaudit.reports.html import not_binding

    text = FIRST_MAP.read_text(encoding="utf-8")
    section = text.split("### An EU organisation", 1)[1].split("### A Swiss organisation", 1)[0]
    not_judged = section.split("- **Not judged:**", 1)[1].split("- **Policy:**", 1)[0]
    rules = audit(AuditRequest([], date(2026, 11, 25))).rules
    uk_only = sorted(rule.id for rule in rules if not_binding(rule, "EU") is not None)
    assert uk_only == ["PECR-MARKETING-CONSENT"]
    for rule_id in uk_only:
        assert rule_id in not_judged, rule_id
    for words in ("cookies", "Union or Member State law", "Art. 9(2)(b), (g), (h), (i) and (j)"):
        assert words in not_judged, words


def test_a_uk_council_is_told_of_public_authority_by_the_starter_and_the_page(
    in_tmp: Path,
) -> None:
    """Auditor review 2026-12-03s, problem 8: `init` wrote no line for public_authority, even
    for a "District Council", and first-map.md named it only in its EU section, so a UK
    council reading the UK path was never asked. Each regime's starter now has its own line
    (commented: stated by the organisation, never by the starter), and the page says it before
    the regimes' sections. Uncommented, the UK line bars legitimate interests."""
    for folder, country in (("uk", "GB"), ("ie", "IE"), ("ch", "CH")):
        made = run(["init", folder, "--name", "Riverside District Council", "--country", country])
        assert made.exit_code == 0, made.output
    british = (in_tmp / "uk" / "map.yaml").read_text(encoding="utf-8")
    said = british.split("  regime: UK", 1)[1].split("  notice: PN-WHO", 1)[0]
    # (after the note on what an EU organisation changes: review s16, problem 5)
    assert said.split("not of UK law)\n", 1)[1].splitlines() == [
        "  # public_authority: true      # a public authority (a council, a state school or"
        " academy,",
        "  #                             # an NHS body; DPA 2018 s.7 says who is): legitimate",
        "  #                             # interests (Art. 6(1)(f), and (ea) from 2026-02-05) is"
        " not",
        "  #                             # open to its tasks (Art. 6(1) second subparagraph);"
        " false if",
        "  #                             # you are not one",
    ]
    irish = (in_tmp / "ie" / "map.yaml").read_text(encoding="utf-8")
    assert _comment_lines(irish, "public_authority") == [
        "  # public_authority: true      # a public authority or body (a council, a state school, a"
    ]
    assert "DPA 2018" not in irish and "(ea)" not in irish
    swiss = (in_tmp / "ch" / "map.yaml").read_text(encoding="utf-8")
    assert _comment_lines(swiss, "public_authority") == [
        "  # (public_authority: read by the GDPR's bar on legitimate interests for public"
    ]
    # the starters still check as before: the line is commented out
    checked = run(["check", "uk", "--as-of", "2026-11-25"])
    assert checked.output.endswith("FAIL: 3 findings at or above low.\n"), checked.output
    # uncommented, on a flow resting on legitimate interests, the bar fails it
    stated = british.replace("  # public_authority: true ", "  public_authority: true ", 1)
    stated = stated.replace("    basis: contract ", "    basis: legitimate_interests ", 1)
    (in_tmp / "uk" / "map.yaml").write_text(stated, encoding="utf-8")
    result = audit_files(in_tmp / "uk" / "map.yaml", base=False, policies=["uk-gdpr"])
    # one finding, the bar: an assessment cannot make the basis available to a public
    # authority, so none is asked beside it (DPO review 2026-12-03u, problem 6)
    assert [(r, e, c) for r, e, c, _ in hits(result, "GDPR-BASIS")] == [
        ("GDPR-BASIS", "record-customers", "public-authority"),
    ]
    # first-map.md says it on the UK path, before the EU and Swiss sections
    text = FIRST_MAP.read_text(encoding="utf-8")
    before = text.split("### An EU organisation", 1)[0]
    assert "uncomment the starter's `public_authority: true` line" in before
    assert "Art. 6(1) second\nsubparagraph" in before


def test_first_map_says_a_swiss_flow_without_basis_gets_no_note(in_tmp: Path) -> None:
    """Auditor review 2026-12-03s, problem 5: first-map.md said a Swiss map that leaves
    `basis` out gets each such flow noted as not judged; since 0b996ae (unsaid_elsewhere) it
    gets none. The page says what happens now, and the Swiss starter with its basis line
    removed checks with no GDPR-BASIS line."""
    text = FIRST_MAP.read_text(encoding="utf-8")
    swiss_section = text.split("### A Swiss organisation", 1)[1].split("## 2.", 1)[0]
    assert "notes each such flow" not in swiss_section
    assert (
        "leave `basis` and `art9_condition` out of a Swiss map: the revFADP asks for no such"
        " record,\n  so a flow without them gets no finding and no note of its own, and the run"
        " says once which\n  rules were not judged."
    ) in swiss_section
    assert run(["init", "ch", "--name", "Acme AG", "--country", "CH"]).exit_code == 0
    path = in_tmp / "ch" / "map.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("    basis: contract"))
    del lines[start : start + 4]  # the basis line and its three comment lines
    path.write_text("".join(lines), encoding="utf-8")
    assert "basis" not in path.read_text(encoding="utf-8").split("flows:", 1)[1].split("#  -")[0]
    checked = run(["check", "ch", "--as-of", "2026-11-25"])
    assert [
        line.split(" ")[2] for line in checked.output.splitlines() if line.startswith("ch/")
    ] == ["GDPR-NOTICE-CONTENT"]


def test_the_starter_justifies_retention_by_the_regimes_own_law(in_tmp: Path) -> None:
    """Auditor review 2026-12-03u, problem 12 (b): the starter map of a German shop (`init
    --country DE`) kept the UK's "Six years after the last order (limitation period)", the
    UK Limitation Act's period, though German commercial and tax records run 6 to 10 years.
    An EU or Swiss starter asks for its own law's period; a UK starter is as before; each
    still checks as the page says."""
    for folder, name, country in (("de", "Kleiner Laden GmbH", "DE"), ("ch", "Acme AG", "CH")):
        assert run(["init", folder, "--name", name, "--country", country]).exit_code == 0
    assert run(["init", "uk", "--name", "Acme"]).exit_code == 0
    lines = {
        folder: [
            line.strip()
            for line in (in_tmp / folder / "map.yaml").read_text(encoding="utf-8").splitlines()
            if "retention_justification" in line
        ]
        for folder in ("de", "ch", "uk")
    }
    assert lines == {
        "de": [
            "retention_justification: Kept as long as our Member State's commercial and tax law"
            " requires."
        ],
        "ch": ["retention_justification: Kept as long as Swiss commercial and tax law requires."],
        "uk": ["retention_justification: Six years after the last order (limitation period)."],
    }
    german = (in_tmp / "de" / "map.yaml").read_text(encoding="utf-8")
    assert "Six years" not in german and "HGB s.257 and AO s.147" in german
