"""Attack review 2026-12-02i on the gate: a processor's store made to look like another
controller's (a party's role flipped while the flow pins ``recipient_role: processor``), a
change id that carries shell syntax, look-alike placeholders in recorded text, and retention
cleared by a justification no reviewer was shown. Each test failed before its fix: the gate
exited 0 with nothing to review, or printed an id unsafe to paste.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import require_tool, run
from tests.security.test_baseline_attacks import Repo, changes


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


UK_SERVERS_LISTS = "    categories: [contact, support]\n    subjects: [customer_staff]\n"


def flip_uk_hosting_to_controller(repo: Repo) -> None:
    """The attack: uk-hosting called a controller, the flow into its store pinned as a
    processor's (so no flow verdict moves)."""
    organisation = repo.root / "data-map" / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    start = text.index("  - id: uk-hosting\n")
    role = text.index("role: processor", start)
    organisation.write_text(
        text[:role] + "role: controller" + text[role + len("role: processor") :],
        encoding="utf-8",
    )
    repo.edit(
        "data-map/flows.yaml",
        "    to: uk-servers\n",
        "    to: uk-servers\n    recipient_role: processor\n",
    )


def empty_uk_servers(repo: Repo) -> None:
    systems = repo.root / "data-map" / "systems.yaml"
    text = systems.read_text(encoding="utf-8")
    start = text.index("  - id: uk-servers\n")
    at = text.index(UK_SERVERS_LISTS, start)
    systems.write_text(text[:at] + text[at + len(UK_SERVERS_LISTS) :], encoding="utf-8")


def test_a_processors_store_stays_the_organisations_when_its_owner_is_called_a_controller(
    repo: Repo,
) -> None:
    """uk-hosting flipped to controller while hosting-uk pins ``recipient_role: processor``,
    and the store's lists deleted: the store counted as another controller's, so its
    GDPR-RETENTION went as FIXED with 0 changes to review, exit 0 (attack review
    2026-12-02i, A). The flow's word keeps the store the organisation's to account for, and
    both edits are changes to review that say what they can clear."""
    flip_uk_hosting_to_controller(repo)
    empty_uk_servers(repo)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "MEDIUM HYG-STORE-CONTENTS systems/uk-servers: UK servers declares neither" in (
        result.output
    )
    assert "FIXED" not in result.output
    listed = changes(result.output)
    assert (
        "change to review: claim-changed:flows/hosting-uk: flows/hosting-uk now claims "
        "recipient_role 'processor' (was unsaid): it can clear findings (the recipient's role "
        "decides the Art. 28 contract, data sharing, permission and sub-processing ones, and "
        "whether the store it writes into is the organisation's to account for (its contents, "
        "retention and security)) and the map cannot show it is true"
    ) in listed
    assert (
        "change to review: reclassified:parties/uk-hosting: parties/uk-hosting is now "
        "described with role 'controller' (was 'processor'): it can clear findings (the Art. "
        "28 contract, data sharing, permission and sub-processing ones of the flows to it "
        "that state no role, and whether its stores are the organisation's to account for "
        "(their contents, retention, security and cookies)) without anything else changing"
    ) in listed


def test_a_party_role_flip_alone_is_a_reclassification(repo: Repo) -> None:
    """The flip with the store as it was moves no finding, and was a one-word edit nobody
    was asked to review (attack review 2026-12-02i, A)."""
    flip_uk_hosting_to_controller(repo)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "0 gone" in result.output
    assert [line.split(":", 2)[1] for line in changes(result.output)] == [
        " claim-changed",
        " reclassified",
    ]


UK_SERVERS_NOTICE = "    owner: uk-hosting\n    country: GB\n    placeholder: true\n"


def test_a_retention_justification_and_a_longer_time_are_claims(repo: Repo) -> None:
    """A justification cleared GDPR-RETENTION on the map's word, whatever it said (fullwidth
    'n/a' and a dash passed the placeholder check), with 0 changes to review, exit 0 (attack review
    2026-12-02i, C): the reviewer is now shown it; a later, shorter time is listed too, since
    it clears the finding of a rule's longest period (attack review 2026-12-03l, 5)."""
    repo.edit(
        "data-map/systems.yaml",
        UK_SERVERS_NOTICE,
        UK_SERVERS_NOTICE
        + "    retention_days: 2190\n    retention_justification: Six years after the contract\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "FIXED" in result.output  # GDPR-RETENTION on systems/uk-servers
    assert changes(result.output) == [
        "change to review: claim-changed:systems/uk-servers: systems/uk-servers now claims "
        "retention_justification 'Six years after the contract' (was unsaid); "
        "retention_days 2190 (was unsaid): it can clear findings (retention ones) and the map "
        "cannot show it is true"
    ]
    repo.commit("retention recorded")
    repo.edit("data-map/systems.yaml", "retention_days: 2190", "retention_days: 1095")
    assert changes(repo.gate().output) == [
        "change to review: claim-changed:systems/uk-servers: systems/uk-servers now claims "
        "retention_days 1095 (was 2190): it can clear findings (retention ones) and the map "
        "cannot show it is true"
    ]
    repo.commit("kept less")
    repo.edit("data-map/systems.yaml", "retention_days: 1095", "retention_days: 3650")
    assert changes(repo.gate().output) == [
        "change to review: claim-changed:systems/uk-servers: systems/uk-servers now claims "
        "retention_days 3650 (was 1095): it can clear findings (retention ones) and the map "
        "cannot show it is true"
    ]


HOSTILE_NAME = "data-map/notes $(touch PWNED);`id`|x&{a,b}*.yaml"


def test_a_change_id_is_safe_to_paste_into_a_shell_and_round_trips(
    repo: Repo, tmp_path: Path
) -> None:
    """``map-file-gone:PATH`` kept the base's file name as it was: a reviewer who pasted the
    id as printed after ``--accept-change`` ran ``touch PWNED`` (attack review 2026-12-02i,
    E). The id now holds only characters a shell reads as themselves, and passes back."""
    (repo.root / "data-map" / "agreements.yaml").rename(repo.root / HOSTILE_NAME)
    repo.commit("a notes file")
    (repo.root / HOSTILE_NAME).rename(repo.root / "data-map" / "agreements.yaml")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    (line,) = [ln for ln in result.printed.splitlines() if ln.startswith("change to review: ")]
    printed = line.removeprefix("change to review: ").split(": ", 1)[0]
    assert printed == result.pinned(
        "map-file-gone:data-map/notes%20%24%28touch%20PWNED%29%3B%60id%60%7Cx%26%7Ba%2Cb%7D%2A.yaml"
    )
    # the shell gives the id back as one word, as printed, and runs nothing
    shell = require_tool("bash")
    pasted = subprocess.run(
        [shell, "-c", f"printf '%s\\n' --accept-change {printed}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert pasted.stdout.splitlines() == ["--accept-change", printed]
    assert not (tmp_path / "PWNED").exists()
    accepted = repo.gate(*pasted.stdout.split())
    assert accepted.exit_code == 0, accepted.output


def test_safe_ids_of_different_subjects_differ() -> None:
    """Encoding keeps ids apart: a subject that holds the encoded form of another is encoded
    too (``%`` itself), and identifiers and plain paths are left as they are."""
    from flowaudit.checks.baseline import safe_id

    assert safe_id("claim-changed:flows/payroll") == "claim-changed:flows/payroll"
    assert safe_id("map-file-gone:map/a b.yaml") == "map-file-gone:map/a%20b.yaml"
    assert safe_id("map-file-gone:map/a%20b.yaml") == "map-file-gone:map/a%2520b.yaml"
    assert safe_id("map-file-gone:map/é@.yaml") == "map-file-gone:map/%C3%A9%40.yaml"


#: Placeholders that passed the 13-word list (attack review 2026-12-02i, C), as the YAML
#: writes them, and the error's quote of each.
LOOK_ALIKES = [
    ('"\uff2e\uff2f\uff2e\uff25"', "\uff2e\uff2f\uff2e\uff25", "nothing"),  # fullwidth NONE
    ('"\uff4e/\uff41"', "\uff4e/\uff41", "nothing"),  # fullwidth n/a
    ('"n.a."', "n.a.", "nothing"),
    ('"\u2014"', "\u2014", "nothing"),  # an em dash
    ('"..."', "...", "nothing"),
    ("nothing", "nothing", "nothing"),
    ("not applicable", "notapplicable", "nothing"),
    ("pending", "pending", "nothing"),
    ("TBA", "TBA", "nothing"),
    ('"(none)"', "(none)", "nothing"),
    ('"\u2014 none \u2014"', "\u2014none\u2014", "nothing"),
    ('"\u0422\u0412\u0410"', "\u0422\u0412\u0410", "nothing"),  # TBA in Cyrillic capitals
    ("n\u043ene", "n\u043ene", "nothing"),  # a Cyrillic o: read as the word it looks like
    ("n\u043ene needed, unsubscribe link", "n\u043ene", "mixed"),
]


@pytest.mark.parametrize(("text", "shown", "why"), LOOK_ALIKES)
@pytest.mark.parametrize("field", ["opt_out", "retention_justification"])
def test_a_look_alike_placeholder_is_a_located_input_error(
    tmp_path: Path, field: str, text: str, shown: str, why: str
) -> None:
    """Each of these cleared PECR-MARKETING-OPT-OUT or GDPR-RETENTION with a PASS (attack
    review 2026-12-02i, C): the text is folded (NFKC, case, look-alike letters) before it is
    compared, text with no letter or digit says nothing, and a word that mixes Latin with
    Cyrillic or Greek letters is refused as a spoofing sign."""
    folder = tmp_path / "map"
    shutil.copytree(shipped_map_dir(), folder)
    if field == "opt_out":
        name, anchor = "flows.yaml", "    notice: N-MARKETING\n"
    else:
        name, anchor = "systems.yaml", UK_SERVERS_NOTICE
    path = folder / name
    written = anchor + f"    {field}: {text}\n"
    if field == "retention_justification":
        written = anchor + f"    retention_days: 2190\n    {field}: {text}\n"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace(anchor, written, 1), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index(f"    {field}: {text}") + 1
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    said = (
        f"'{shown}' says nothing is recorded: a record that clears a finding must say what it "
        "records; leave the field out when nothing is recorded"
        if why == "nothing"
        else f"'{shown}' mixes Latin letters with Cyrillic or Greek ones in one word, which "
        "makes one word look like another: write each word in one script"
    )
    assert f"{name}:{line}:5: {field}: {said}" in result.output, result.output


@pytest.mark.parametrize(
    "text",
    [
        "none needed - unsubscribe link in every email",
        "Six years after the last order (HMRC)",
        "\u041e\u0442\u043f\u0438\u0441\u043a\u0430 \u043f\u043e "
        "\u0441\u0441\u044b\u043b\u043a\u0435",
        "Caf\u00e9 loyalty: 2 years, then anonymised",
    ],
)
def test_a_record_in_words_of_one_script_each_is_a_record(text: str) -> None:
    """Folding refuses placeholders only: a sentence, one in Cyrillic, one with accents."""
    from flowaudit.model.schema import _check_recorded

    assert _check_recorded(text) == text


def test_a_may_carry_deleted_is_a_reclassification(repo: Repo) -> None:
    """Deleting ``may_carry`` from flows/call-recording took MEDIUM CONCERO-CALL-CARD-CODES as
    FIXED, PASS exit 0 (attack review 2026-12-02i, against the documented limit): what a flow
    may carry, said away, is a reclassification the reviewer confirms."""
    flows = repo.root / "data-map" / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    start = text.index("  - id: call-recording\n")
    at = text.index("    may_carry:\n", start)
    end = at + len("    may_carry:\n")
    while text[end:].startswith("      "):
        end = text.index("\n", end) + 1
    flows.write_text(text[:at] + text[end:], encoding="utf-8")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert changes(result.output) == [
        "change to review: reclassified:flows/call-recording: flows/call-recording is now "
        "described as no longer able to carry categories [payment.card.security_code] "
        "(may_carry): it can clear findings (those about what it may carry) without anything "
        "else changing"
    ]
