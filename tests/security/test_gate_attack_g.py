"""Attack review 2026-12-02g on the gate: a purpose taken out of marketing by another is_a, a
subject's shared-vocabulary key changed, an opt-out that says nothing, an override's
justification that pre-empts the gate's own words, and a rule with hundreds of thousands of
code patterns. Each test failed before its fix: the gate exited 0 (or 1 with nothing that
named the cause), or the input was accepted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import require_tool, run
from tests.security.test_baseline_attacks import Repo, changes

AS_OF = "2026-11-25"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


def edit_flow(folder: Path, flow_id: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one flow's block of flows.yaml in ``folder``."""
    path = folder / "flows.yaml"
    flows = path.read_text(encoding="utf-8")
    start = flows.index(f"  - id: {flow_id}\n")
    end = flows.index("\n\n", start)
    block = flows[start:end]
    assert old in block, f"{old!r} not in {flow_id}"
    path.write_text(flows[:start] + block.replace(old, new, 1) + flows[end:], encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def map_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "map"
    shutil.copytree(shipped_map_dir(), folder)
    return folder


def located(output: str) -> list[str]:
    """The located problems (``file:line:col: message``) of a run, file names only."""
    return [
        line.strip().rsplit("/", 1)[-1]
        for line in output.splitlines()
        if ".yaml:" in line and line.strip().split(":", 1)[0].endswith(".yaml")
    ]


UPDATES = "  - {id: updates, name: Customer updates, is_a: [marketing], notice: N-PURPOSE}\n"


def updates_is_marketing(repo: Repo) -> None:
    """The base: a neutrally named purpose that is a kind of marketing, and the marketing
    flow on it (its medium PECR-MARKETING-OPT-OUT stays)."""
    taxonomy = repo.root / "data-map" / "taxonomy.yaml"
    edit(taxonomy, "  - {id: marketing, name:", UPDATES + "  - {id: marketing, name:")
    edit_flow(
        repo.root / "data-map", "marketing-contacts", "purpose: marketing", "purpose: updates"
    )
    repo.commit("a marketing purpose under another name")


@pytest.mark.parametrize(
    ("is_a", "said"),
    [
        # swapped for another purpose: the flow leaves every marketing rule (hole 1)
        ("[service_change_notices]", "is_a [service_change_notices] (was [marketing])"),
        # one more broader purpose, marketing kept: a consent record given for the new one now
        # covers the flow, so an addition can clear findings too
        ("[marketing, service_change_notices]", "is_a [marketing, service_change_notices] "),
    ],
    ids=["swapped", "one-added"],
)
def test_a_purpose_whose_is_a_changes_is_reviewed(repo: Repo, is_a: str, said: str) -> None:
    """``is_a: [marketing]`` swapped for another purpose took the marketing flow out of
    PECR-MARKETING-OPT-OUT as plain FIXED, exit 0, nothing to review: only an emptied is_a was
    a reclassification (attack review 2026-12-02g, hole 1)."""
    updates_is_marketing(repo)
    edit(repo.root / "data-map" / "taxonomy.yaml", "is_a: [marketing]", f"is_a: {is_a}")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    (line,) = [c for c in changes(result.output) if "reclassified:purposes/updates" in c]
    assert line.startswith(
        f"change to review: reclassified:purposes/updates: purposes/updates is now described "
        f"with {said}"
    ), line


def test_the_same_broader_purposes_in_another_order_are_not_a_change(repo: Repo) -> None:
    taxonomy = repo.root / "data-map" / "taxonomy.yaml"
    edit(
        taxonomy,
        "  - {id: marketing, name:",
        UPDATES.replace("[marketing]", "[marketing, service_change_notices]")
        + "  - {id: marketing, name:",
    )
    repo.commit("two broader purposes")
    edit(taxonomy, "[marketing, service_change_notices]", "[service_change_notices, marketing]")
    result = repo.gate()
    assert result.exit_code == 0, result.output
    assert changes(result.output) == []


def test_an_is_a_naming_an_undeclared_purpose_is_a_located_input_error(tmp_path: Path) -> None:
    """``is_a: [marketting]`` named nothing, so the purpose left the marketing rules with no
    error at all (exit 1, the medium finding gone): it is a dangling reference like a flow's
    purpose, with a suggestion."""
    folder = map_copy(tmp_path)
    taxonomy = folder / "taxonomy.yaml"
    edit(taxonomy, "  - {id: marketing, name:", UPDATES + "  - {id: marketing, name:")
    edit(taxonomy, "is_a: [marketing]", "is_a: [marketting]")
    line = (
        taxonomy.read_text(encoding="utf-8")
        .splitlines()
        .index(UPDATES.rstrip("\n").replace("[marketing]", "[marketting]"))
        + 1
    )
    column = UPDATES.index("marketing") + 1
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert located(result.output) == [
        f"taxonomy.yaml:{line}:{column}: unknown purpose 'marketting' (did you mean 'marketing'?)"
    ]


ACME_RULE = """\
  - id: ACME-VISITOR-OBJECTION
    kind: fields_required
    title: Flows about website visitors say how to object
    severity: medium
    rationale: House rule.
    references: {legal: [UK GDPR Art. 21]}
    fix: Record opt_out.
    match: {subjects: [visitor]}
    fields: [opt_out]
"""
VISITORS = "{id: website_visitors, name: Website visitors, fides_key: visitor,"


@pytest.mark.parametrize(
    ("replacement", "said"),
    [
        # the old key parked on a subject no flow carries: not even a warning (hole 2)
        (
            "{id: legacy_visitors, name: Visitors (legacy), fides_key: visitor}\n"
            "  - {id: website_visitors, name: Website visitors, fides_key: site_user,",
            "fides_key 'site_user' (was 'visitor')",
        ),
        ("{id: website_visitors, name: Website visitors,", "fides_key unsaid (was 'visitor')"),
    ],
    ids=["moved-to-another-subject", "removed"],
)
def test_a_subjects_fides_key_changed_or_removed_is_reviewed(
    repo: Repo, replacement: str, said: str
) -> None:
    """A house rule naming subjects by their fides_key stopped seeing the subject once the
    pull request renamed its key: its medium findings went as plain FIXED, exit 0 (attack
    review 2026-12-02g, hole 2)."""
    repo.append("policies/house.yaml", ACME_RULE)
    repo.commit("a house rule on visitors")
    edit(repo.root / "data-map" / "taxonomy.yaml", VISITORS, replacement)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:subjects/website_visitors: subjects/website_visitors is "
        f"now described with {said}: it can clear findings (those of rules that name the "
        "subject by its shared key) without anything else changing"
    ) in result.output


@pytest.mark.parametrize("text", [" ", "\\u3164", "\\u200b", "\\t\\u2800"])
@pytest.mark.parametrize("field", ["opt_out", "permission"])
def test_an_opt_out_or_permission_that_shows_nothing_is_a_located_input_error(
    tmp_path: Path, field: str, text: str
) -> None:
    """``opt_out: "\\u3164"`` counted as recorded: it cleared PECR-MARKETING-OPT-OUT and, with
    soft_opt_in, the high PECR-MARKETING-CONSENT (attack review 2026-12-02g, hole 3). A
    record that says nothing is refused, as a waiver's blank owner is."""
    folder = map_copy(tmp_path)
    edit_flow(folder, "marketing-contacts", "    notice: N-MARKETING\n", f'    {field}: "{text}"\n')
    lines = (folder / "flows.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index(f'    {field}: "{text}"') + 1
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert located(result.output) == [
        f"flows.yaml:{line}:5: {field}: must not be blank (invisible characters do not count): "
        "a record that clears a finding must say what it records"
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("none", "none"),
        ("no", "no"),
        ("N/A", "N/A"),
        ("n / a", "n/a"),
        ("na", "na"),
        ("Nil", "Nil"),
        ('"-"', "-"),
        ("TBD", "TBD"),
        ("todo", "todo"),
        ("Unknown.", "Unknown."),
    ],
)
@pytest.mark.parametrize("field", ["opt_out", "permission"])
def test_an_opt_out_or_permission_that_says_none_is_a_located_input_error(
    tmp_path: Path, field: str, text: str, shown: str
) -> None:
    """``opt_out: none`` (or no, n/a, tbd...) answered the field's question with "nothing"
    and was taken as a record: it cleared the HIGH soft opt-in finding and
    PECR-MARKETING-OPT-OUT with a PASS (DPO review 2026-12-02h, problem 9). A placeholder is
    refused, in any case, as blank text is, and the message says to leave the field out."""
    folder = map_copy(tmp_path)
    edit_flow(
        folder,
        "marketing-contacts",
        "    notice: N-MARKETING\n",
        f"    notice: N-MARKETING\n    {field}: {text}\n",
    )
    lines = (folder / "flows.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index(f"    {field}: {text}") + 1
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    # (the file name read after the folder: "n/a" holds a slash ``located`` would split on)
    assert [
        "flows.yaml:" + problem.split("/flows.yaml:", 1)[1]
        for problem in result.output.splitlines()
        if "/flows.yaml:" in problem
    ] == [
        f"flows.yaml:{line}:5: {field}: '{shown}' says nothing is recorded: a record that "
        "clears a finding must say what it records; leave the field out when nothing is "
        "recorded"
    ]


def test_a_record_that_only_starts_with_a_placeholder_word_is_a_record(tmp_path: Path) -> None:
    """Only the whole text is a placeholder: "no-reply address with an unsubscribe link"
    records a way to refuse, and the map loads (the opt-out finding it clears is gone)."""
    folder = map_copy(tmp_path)
    edit_flow(
        folder,
        "marketing-contacts",
        "    notice: N-MARKETING\n",
        "    notice: N-MARKETING\n    opt_out: none needed - unsubscribe link in every email\n",
    )
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert "PECR-MARKETING-OPT-OUT flows/marketing-contacts" not in result.output


def test_a_fields_required_value_that_shows_nothing_is_not_recorded(tmp_path: Path) -> None:
    """fields_required took any text as recorded; one made of invisible characters is
    missing, whatever the field (a flow's notice clause here)."""
    folder = map_copy(tmp_path)
    edit_flow(folder, "marketing-contacts", "notice: N-MARKETING", 'notice: "\\u3164"')
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "house.yaml").write_text(
        "policy: {id: acme-house, title: House}\nrules:\n"
        + ACME_RULE.replace("{subjects: [visitor]}", "{purposes: [marketing]}").replace(
            "[opt_out]", "[notice]"
        ),
        encoding="utf-8",
    )
    result = run(["check", str(folder), "--policies", str(policies), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    # (the hygiene rule that asks every flow for its notice clause is one finding with it)
    assert (
        "MEDIUM ACME-VISITOR-OBJECTION + HYG-NOTICE-CLAUSE flows/marketing-contacts: 'notice' "
        "is not recorded"
    ) in result.output


def test_soft_opt_in_said_where_the_base_said_false_reads_was_false(repo: Repo) -> None:
    """The claim read "soft_opt_in true (was unsaid)" where the base said false."""
    data = repo.root / "data-map"
    edit_flow(data, "marketing-contacts", "    basis: consent\n", "    soft_opt_in: false\n")
    repo.commit("no soft opt-in")
    edit_flow(
        data,
        "marketing-contacts",
        "    soft_opt_in: false\n",
        "    soft_opt_in: true\n    opt_out: unsubscribe link in every email\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    (line,) = [c for c in changes(result.output) if "claim-changed:flows/marketing-contacts" in c]
    assert line.startswith(
        "change to review: claim-changed:flows/marketing-contacts: flows/marketing-contacts now "
        "claims opt_out 'unsubscribe link in every email' (was unsaid); soft_opt_in true "
        "(was false): it can clear findings"
    ), line


SPOOF = (
    "wording only, agreed with the DPO on 2026-11-30); it lowers no finding; the severities "
    "are unchanged (see ticket DPO-412"
)


def test_the_findings_an_override_lowers_are_said_before_its_justification(repo: Repo) -> None:
    """The gate's "it lowers ..." clause came after the override's justification in one
    sentence: the justification could close the bracket and say "it lowers no finding" first
    (attack review 2026-12-02g, hole 4). The gate's words come first now."""
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - rule: GDPR-BASIS\n    set: {code_severity: {no-assessment: info}}\n"
        f"    justification: '{SPOOF}'\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    (line,) = [c for c in changes(result.output) if "rule-changed:GDPR-BASIS" in c]
    lowers = "; it lowers GDPR-BASIS on flows/call-recording (no-assessment) high -> info, "
    assert line.startswith("change to review: rule-changed:GDPR-BASIS: settings changed: "), line
    assert line.endswith(f"/policies/house.yaml: {SPOOF})"), line
    assert lowers in line and line.index(lowers) < line.index(" (override in "), line
    assert line.count("; it lowers ") == 2  # the gate's, then the author's


def code_patterns(tmp_path: Path, count: int, table: str = "code_severity") -> Path:
    """A policy folder whose override sets ``count`` patterns of a rule's code table."""
    value = "high" if table == "code_severity" else "fix it"
    lines = [
        "policy: {id: acme-house, title: House}",
        "overrides:",
        "  - rule: GDPR-BASIS",
        "    justification: calibrate",
        "    set:",
        f"      {table}:",
        *(f"        'zz{i}*q*': {value}" for i in range(count)),
    ]
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    (folder / "house.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("table", ["code_severity", "code_fix", "code_references"])
def test_more_code_patterns_than_the_limit_are_a_located_input_error(
    tmp_path: Path, table: str
) -> None:
    """300,000 code_severity patterns took 65 s (each recompiled at every lookup past the
    pattern cache), and the override's line printed them all (attack review 2026-12-02g,
    hole 5): a rule's code tables hold at most 200 entries."""
    value = {"code_severity": "high", "code_fix": "fix it", "code_references": "[Art. 6]"}[table]
    folder = code_patterns(tmp_path, 201, table)
    if table == "code_references":
        path = folder / "house.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("fix it", value), "utf-8")
    result = run(["check", "--policies", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert located(result.output) == [
        f"house.yaml:6:7: {table} has 201 entries, over the limit of 200 (each finding's code "
        "is matched against every pattern)"
    ]


def test_a_rules_own_code_table_is_bounded_too_and_the_limit_itself_is_accepted(
    tmp_path: Path,
) -> None:
    folder = code_patterns(tmp_path, 200)
    assert run(["check", "--policies", str(folder), "--as-of", AS_OF]).exit_code == 1
    rule = ACME_RULE.replace("    fields: [opt_out]\n", "    fields: [opt_out]\n    code_fix:\n")
    rule += "".join(f"      'zz{i}*': fix it\n" for i in range(201))
    (folder / "house.yaml").write_text(
        "policy: {id: acme-house, title: House}\nrules:\n" + rule, encoding="utf-8"
    )
    result = run(["check", "--policies", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert located(result.output) == [
        "house.yaml:12:5: code_fix has 201 entries, over the limit of 200 (each finding's code "
        "is matched against every pattern)"
    ]
