"""Load policy files (shipped and the user's) into one ordered set of rules.

Policy files are parsed like maps (safe YAML 1.2, positions) and validated rule by rule, so
a typo in a user's rule is reported at file:line:col with exit code 2.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from pydantic import ValidationError

from flowaudit.model.discovery import discover_all, display_path, read_regular
from flowaudit.model.loader import InputFile, text_problems, validation_problems
from flowaudit.model.problems import InputError, Problem, did_you_mean
from flowaudit.model.schema import EVIDENCE_FIELDS, Flow
from flowaudit.model.yamlsource import Limits, ParsedDocument, PathKey, parse_bytes, parse_text
from flowaudit.policies.cel import compile_expression, unknown_fields
from flowaudit.policies.schema import (
    CODE_TABLES,
    MAX_CODE_ENTRIES,
    RULE_MODELS,
    ConditionRule,
    FieldsRequiredRule,
    Override,
    PolicyFile,
    PolicyInfo,
    RuleBase,
    ScopedRule,
    Severity,
    kind_of,
)

#: Shipped policies that apply to every map; an organisation adds others by name.
LAW_POLICIES = ("uk-gdpr", "hygiene")

#: What to do when ``--policies`` names nothing to read: the shipped policies need no folder,
#: so the usual cause is a command copied from docs/ci.md by someone with no policies of their
#: own (auditor review 2026-12-03g, problem 3).
_NOTHING_TO_READ = {
    "no such file or folder": (
        "--policies names a file or folder that does not exist: create it (your own policy"
        " files go there), or drop the option (the shipped policies need none)"
    ),
    "folder has no .yaml, .yml or .json file": (
        "--policies names a folder with no .yaml, .yml or .json file: put your own policy"
        " files in it, or drop the option (the shipped policies need none)"
    ),
}


@dataclass(frozen=True)
class AppliedOverride:
    """A change a user made to a rule, kept so every report can say so."""

    rule_id: str
    enabled: bool
    severity: Severity
    previous_severity: Severity
    justification: str
    owner: str | None
    file: str
    settings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PolicySet:
    """The rules in force for an audit, in a stable order, and the files they came from."""

    rules: tuple[RuleBase, ...]
    files: tuple[InputFile, ...]
    origin: dict[str, str]  # rule id -> policy id
    overrides: tuple[AppliedOverride, ...] = ()


def _rule_problems(rule: RuleBase, document: ParsedDocument, path: PathKey) -> list[Problem]:
    """Checks a model cannot express: CEL that compiles, flow fields that exist."""
    problems: list[Problem] = []
    if isinstance(rule, ConditionRule):
        position = document.position((*path, "expression"))
        rule.located_at(document.file, position.line, position.column)
        try:
            compile_expression(rule.expression)
        except ValueError as error:
            first = (str(error).splitlines() or ["?"])[0]
            problems.append(
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    f"expression is not valid CEL: {first}",
                )
            )
        else:
            problems += [
                Problem(document.file, position.line, position.column, reason)
                for reason in unknown_fields(rule.expression)
            ]
    if isinstance(rule, FieldsRequiredRule):
        known = {info.alias or name for name, info in Flow.model_fields.items()}
        named = [("fields", i, n) for i, n in enumerate(rule.fields)]
        named += [("satisfied_by", i, n) for i, n in enumerate(rule.satisfied_by)]
        for index, name in enumerate(rule.satisfied_by):
            # a field every flow records, one the rule asks for itself, or a notification
            # standing for a permission would switch the rule off unseen (attack review s4,
            # problem 2)
            why = _never_satisfies(name, rule.fields)
            if why is not None:
                position = document.position((*path, "satisfied_by", index))
                problems.append(Problem(document.file, position.line, position.column, why))
        for key, index, name in named:
            if name not in known:
                hint = did_you_mean(name, sorted(known))
                position = document.position((*path, key, index))
                problems.append(
                    Problem(
                        document.file,
                        position.line,
                        position.column,
                        f"flows have no field '{name}'{hint}",
                    )
                )
    return problems


def _never_satisfies(name: str, fields: list[str]) -> str | None:
    """Why a ``satisfied_by`` field cannot keep a fields_required rule's promise, if so: one
    of the rule's own fields, a field every flow records (so the rule would judge nothing),
    a notification standing for a permission (being told is no permission), or a field that
    records no evidence (a flag, a notice id: not in ``EVIDENCE_FIELDS``)."""
    field = Flow.model_fields.get(name)
    if name in fields:
        return f"satisfied_by names '{name}', which the rule itself asks for"
    if field is not None and field.is_required():
        return (
            f"satisfied_by names '{name}', which every flow records: the rule would judge nothing"
        )
    if name == "notification" and "permission" in fields:
        return (
            "satisfied_by: a notification never stands for a permission (being told is no consent)"
        )
    known = field is not None or any(f.alias == name for f in Flow.model_fields.values())
    if known and name not in EVIDENCE_FIELDS:
        # a flag or a descriptive field is no record of the promise kept: `false` or a notice
        # id would keep it (auditor review s6, problem 3); an unknown name is said apart
        return (
            f"satisfied_by names '{name}', which records no evidence of the promise: name "
            f"one of {', '.join(EVIDENCE_FIELDS)}"
        )
    return None


def _too_many_codes(fields: Any, document: ParsedDocument, path: PathKey) -> list[Problem]:
    """A rule's (or an override's ``set``) code tables past ``MAX_CODE_ENTRIES``, located at
    the table: refused before any is compiled or matched."""
    if not isinstance(fields, dict):
        return []
    problems: list[Problem] = []
    for table in CODE_TABLES:
        entries = fields.get(table)
        if isinstance(entries, dict) and len(entries) > MAX_CODE_ENTRIES:
            position = document.position((*path, table))
            problems.append(
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    f"{table} has {len(entries):,} entries, over the limit of "
                    f"{MAX_CODE_ENTRIES} (each finding's code is matched against every pattern)",
                )
            )
    return problems


def _match_refused(
    model: type[RuleBase], raw: Any, document: ParsedDocument, path: PathKey
) -> list[Problem]:
    """A ``match`` on a kind whose check judges the whole map, refused where it is written:
    the check would ignore it, and a rule that looks scoped but is not misleads its reader."""
    if issubclass(model, ScopedRule) or not isinstance(raw, dict) or "match" not in raw:
        return []
    position = document.position((*path, "match"))
    scoped = ", ".join(k for k, m in RULE_MODELS.items() if issubclass(m, ScopedRule))
    return [
        Problem(
            document.file,
            position.line,
            position.column,
            f"rule kind '{kind_of(model)}' takes no "
            f"'match': it always judges {model.judges}; remove 'match' (the kinds that take "
            f"one: {scoped})",
        )
    ]


def shipped_policy_names() -> list[str]:
    folder = resources.files("flowaudit.policies")
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def _unknown_rule(
    rule_id: str,
    rules: dict[str, RuleBase],
    names: list[str],
    user_files: list[str],
    limits: Limits,
) -> str:
    """Why an override's rule is not found, and which policies were loaded: a newcomer who
    copied the docs' example override of a Concero rule read "unknown rule" of a rule the
    docs name, not that its shipped policy is one the map does not select (auditor review
    2026-12-03y, problem 6)."""
    available = shipped_policy_names()
    shipped = [name for name in names if name in available]
    files = [display_path(file) for file in user_files]
    loaded = f"shipped {', '.join(shipped) or 'none'}" + (
        f"; files {', '.join(files)}" if files else ""
    )
    folder = resources.files("flowaudit.policies")
    for name in available:
        if name in shipped:
            continue
        raw = folder.joinpath(f"{name}.yaml").read_bytes().decode("utf-8")
        data = parse_text(raw, f"<flowaudit>/policies/{name}.yaml", limits).data
        entries = data.get("rules", []) if isinstance(data, dict) else []
        if any(isinstance(e, dict) and e.get("id") == rule_id for e in entries):
            return (
                f"override names rule '{rule_id}' of the shipped policy {name}, which is not "
                f"among the policies loaded ({loaded}): select {name} in the map's "
                f"organisation.policies (or --require-policy {name}) if it applies to you, "
                "else remove the override"
            )
    hint = did_you_mean(rule_id, list(rules))
    return f"override names unknown rule '{rule_id}'{hint}: no policy loaded has it ({loaded})"


def _parse_policy(
    document: ParsedDocument,
) -> tuple[PolicyInfo | None, list[RuleBase], list[Problem]]:
    problems: list[Problem] = []
    data = document.data
    if not isinstance(data, dict):
        position = document.position(())
        return (
            None,
            [],
            [
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    "a policy file must be a mapping with 'policy:' and 'rules:'",
                )
            ],
        )
    allowed = list(PolicyFile.model_fields)
    for key in data:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed)
            position = document.position((key,))
            problems.append(
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    f"unknown top-level key '{key}'{hint}",
                )
            )
    info: PolicyInfo | None = None
    if "policy" not in data:
        problems.append(
            Problem(
                document.file,
                1,
                1,
                "no 'policy:' header: a policy file starts with its id and title "
                "(policy: {id: my-policy, title: What it checks})",
            )
        )
    else:
        try:
            info = PolicyInfo.model_validate(data.get("policy"))
        except ValidationError as error:
            problems.extend(validation_problems(error, document, ("policy",), PolicyInfo))
    rules: list[RuleBase] = []
    raw_rules: Any = data.get("rules") or []
    if not isinstance(raw_rules, list):
        position = document.position(("rules",))
        problems.append(
            Problem(document.file, position.line, position.column, "'rules' must be a list")
        )
        raw_rules = []
    for index, raw in enumerate(raw_rules):
        path = ("rules", index)
        kind = raw.get("kind") if isinstance(raw, dict) else None
        model = RULE_MODELS.get(str(kind))
        if model is None:
            position = document.position((*path, "kind") if kind is not None else path)
            hint = did_you_mean(str(kind), list(RULE_MODELS))
            problems.append(
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    f"unknown rule kind '{kind}'{hint}; kinds: {', '.join(sorted(RULE_MODELS))}"
                    if kind is not None
                    else "rule has no 'kind'",
                )
            )
            continue
        too_many = _too_many_codes(raw, document, path)
        if too_many:
            problems.extend(too_many)
            continue
        refused = _match_refused(model, raw, document, path)
        problems.extend(refused)
        fields = {k: v for k, v in raw.items() if k != "match"} if refused else raw
        try:
            rule = model.model_validate(fields)  # a refused match: the rest is reported too
        except ValidationError as error:
            problems.extend(validation_problems(error, document, path, model))
            continue
        problems.extend(_rule_problems(rule, document, path))
        rules.append(rule)
    return info, rules, problems


def _parse_overrides(
    document: ParsedDocument,
) -> tuple[list[tuple[Override, PathKey]], list[Problem]]:
    data = document.data if isinstance(document.data, dict) else {}
    raw = data.get("overrides") or []
    if not isinstance(raw, list):
        position = document.position(("overrides",))
        return [], [
            Problem(document.file, position.line, position.column, "'overrides' must be a list")
        ]
    found: list[tuple[Override, PathKey]] = []
    problems: list[Problem] = []
    for index, item in enumerate(raw):
        path: PathKey = ("overrides", index)
        try:
            found.append((Override.model_validate(item), path))
        except ValidationError as error:
            problems.extend(validation_problems(error, document, path, Override))
    return found, problems


def _policy_files(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The policy files named by ``--policies``; InputError, saying what to do, if any is
    refused."""
    found = discover_all(paths)
    if found.problems:
        raise InputError(
            [
                replace(problem, message=_NOTHING_TO_READ.get(problem.message, problem.message))
                for problem in found.problems
            ]
        )
    return found.files


def load_policies(
    names: Iterable[str] = LAW_POLICIES,
    user_paths: Iterable[str | os.PathLike[str]] = (),
    limits: Limits | None = None,
) -> PolicySet:
    """Shipped policies by name, then the user's policy files or folders."""
    documents: list[tuple[ParsedDocument, bytes]] = []
    problems: list[Problem] = []
    folder = resources.files("flowaudit.policies")
    available = shipped_policy_names()
    wanted = list(names)  # read again to say which were loaded, if an override misses
    for name in wanted:
        if name not in available:
            problems.append(
                Problem(
                    "(policies)",
                    1,
                    1,
                    f"no shipped policy named '{name}'; available: {', '.join(available)}",
                )
            )
            continue
        raw = folder.joinpath(f"{name}.yaml").read_bytes()
        documents.append(
            (parse_text(raw.decode("utf-8"), f"<flowaudit>/policies/{name}.yaml", limits), raw)
        )
    shipped = len(documents)  # the documents after these are the user's
    user_files = _policy_files(user_paths) if user_paths else []
    limits = limits or Limits()
    for file in user_files:
        try:
            raw = read_regular(file, display_path(file), limits.max_file_bytes)
            document = parse_bytes(raw, file, display_path(file), limits)
        except InputError as error:
            problems.extend(error.problems)
            continue
        documents.append((document, raw))
    rules: dict[str, RuleBase] = {}
    origin: dict[str, str] = {}
    where: dict[str, str] = {}
    files: list[InputFile] = []
    pending: list[tuple[Override, PathKey, ParsedDocument]] = []
    max_text = limits.max_text
    for number, (document, raw) in enumerate(documents):
        files.append(InputFile(document.file, hashlib.sha256(raw).hexdigest()))
        long_texts = text_problems(document, max_text)
        if long_texts:
            problems.extend(long_texts)
            continue
        info, parsed, found = _parse_policy(document)
        problems.extend(found)
        if info is not None and number >= shipped and info.id in available:
            # a house policy named as a shipped one would be taken for it: the law's rules'
            # grades are trusted where merged findings are graded (attack review
            # 2026-12-02f, hole 1)
            position = document.position(("policy", "id"))
            problems.append(
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    f"policy id '{info.id}' is a shipped policy's: give the house policy an id "
                    "of its own",
                )
            )
            continue
        overrides, found = _parse_overrides(document)
        problems.extend(found)
        pending.extend((override, path, document) for override, path in overrides)
        for index, rule in enumerate(parsed):
            if rule.id in rules:
                position = document.position(("rules", index, "id"))
                problems.append(
                    Problem(
                        document.file,
                        position.line,
                        position.column,
                        f"duplicate rule id '{rule.id}' (first defined in {where[rule.id]})",
                    )
                )
                continue
            most = type(rule).most_per_audit
            if most is not None and sum(r.kind == rule.kind for r in rules.values()) >= most:
                position = document.position(("rules", index, "kind"))
                problems.append(
                    Problem(
                        document.file,
                        position.line,
                        position.column,
                        f"rule '{rule.id}': the policies define more than {most} rules of kind "
                        f"'{rule.kind}', each a search of the whole map; join them (a rule's "
                        "match and limits can say what several say)",
                    )
                )
                continue
            rules[rule.id] = rule
            origin[rule.id] = info.id if info else "?"
            where[rule.id] = document.file
    applied: list[AppliedOverride] = []
    for override, path, document in pending:
        target = rules.get(override.rule)
        if target is None:
            position = document.position((*path, "rule"))
            problems.append(
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    _unknown_rule(override.rule, rules, wanted, user_files, limits),
                )
            )
            continue
        too_many = _too_many_codes(override.set, document, (*path, "set"))
        if too_many:
            problems.extend(too_many)
            continue
        # regimes: an override could say the law binds no one here, turning it into info
        # moot_beside: an override could make a law rule's finding yield to any fact
        fixed = {
            "id",
            "kind",
            "enabled",
            "severity",
            "regimes",
            "unsaid_elsewhere",
            "moot_beside",
        } & set(override.set)
        if fixed:
            position = document.position((*path, "set"))
            problems.append(
                Problem(
                    document.file,
                    position.line,
                    position.column,
                    f"'set' cannot change {', '.join(sorted(fixed))}",
                )
            )
            continue
        update: dict[str, Any] = {
            **target.model_dump(),
            **override.set,
            "enabled": target.enabled if override.enabled is None else override.enabled,
            "severity": override.severity or target.severity,
        }
        model = RULE_MODELS[target.kind]
        refused = _match_refused(model, override.set, document, (*path, "set"))
        if refused:
            problems.extend(refused)
            continue
        try:
            changed = model.model_validate(update)
        except ValidationError as error:
            problems.extend(validation_problems(error, document, (*path, "set"), model))
            continue
        if isinstance(changed, ConditionRule) and isinstance(target, ConditionRule):
            if "expression" in override.set:  # bounded like any expression, located here
                problems.extend(_rule_problems(changed, document, (*path, "set")))
            elif target.expression_at is not None:
                changed.located_at(*target.expression_at)
        rules[target.id] = changed
        applied.append(
            AppliedOverride(
                target.id,
                changed.enabled,
                changed.severity,
                target.severity,
                override.justification,
                override.owner,
                document.file,
                tuple(sorted((k, repr(v)) for k, v in override.set.items())),
            )
        )
    if problems:
        raise InputError(problems)
    return PolicySet(tuple(rules.values()), tuple(files), origin, tuple(applied))
