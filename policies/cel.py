"""Bounds on CEL expressions, checked before the CEL library ever sees one.

The CEL runtime (the ``common-expression-language`` package, Rust) has no limits of its
own: 15,000 chained terms overflow its parser's stack (a segfault, exit 139), and nested
comprehensions cost the product of their ranges (six levels over ten items, 300 bytes, take
seconds per flow). So an expression is scanned first, cheaply and without parsing, for its
length, its bracket nesting, its number of terms and how deeply its comprehension macros
(``all``, ``exists``, ``exists_one``, ``map``, ``filter``) nest; past a limit it is an input
error at its line. What a scan cannot bound (a comprehension over a long list) is bounded
at run time by an evaluation budget (checks/condition.py).
"""

from __future__ import annotations

import re
from typing import Any

from flowaudit.model.problems import did_you_mean
from flowaudit.model.schema import Flow, Organisation

MAX_EXPRESSION_CHARS = 2_000
MAX_TERMS = 500
MAX_NESTING = 16
MAX_COMPREHENSION_NESTING = 2
MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})

_TOKENS = re.compile(
    r"""(?P<string>[rRbB]{0,2}(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))"""
    r"""|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"""
    r"""|(?P<number>\d[0-9A-Za-z_.]*)"""
    r"""|(?P<open>[(\[{])|(?P<close>[)\]}])"""
    r"""|(?P<space>\s+)|(?P<other>.)""",
)


def expression_problem(expression: str) -> str | None:
    """Why an expression is refused before compiling, or None if it is within bounds."""
    if len(expression) > MAX_EXPRESSION_CHARS:
        return (
            f"expression is {len(expression):,} characters long, over the limit of "
            f"{MAX_EXPRESSION_CHARS:,}"
        )
    terms = 0
    stack: list[bool] = []  # one entry per open bracket: does it open a comprehension?
    comprehensions = 0
    previous: list[str] = []  # the last two significant tokens
    for match in _TOKENS.finditer(expression):
        kind = match.lastgroup
        token = match.group()
        if kind == "space":
            continue
        if kind in ("string", "name", "number"):
            terms += 1
            if terms > MAX_TERMS:
                return f"expression has more than {MAX_TERMS} terms"
        elif kind == "open":
            macro = token == "(" and previous[-2:-1] == ["."] and previous[-1:][0] in MACROS
            stack.append(macro)
            if len(stack) > MAX_NESTING:
                return f"expression nests brackets more than {MAX_NESTING} deep"
            if macro:
                comprehensions += 1
                if comprehensions > MAX_COMPREHENSION_NESTING:
                    return (
                        f"expression nests comprehensions (all, exists, map, filter...) more "
                        f"than {MAX_COMPREHENSION_NESTING} deep: its cost would multiply"
                    )
        elif kind == "close" and stack and stack.pop():
            comprehensions -= 1
        previous = [*previous[-1:], token]
    return None


def selected_fields(expression: str, roots: frozenset[str]) -> list[tuple[str, str]]:
    """Each ``root.field`` an expression selects directly on one of ``roots``, in order
    (strings skipped; ``x.flow.id`` is not a selection on ``flow``): what the expression
    expects the variables it is given to hold."""
    selected: list[tuple[str, str]] = []
    previous = ["", "", ""]  # the last three significant tokens
    for match in _TOKENS.finditer(expression):
        kind = match.lastgroup
        if kind == "space":
            continue
        token = match.group() if kind != "string" else '""'
        before, root, dot = previous
        if kind == "name" and dot == "." and root in roots and before != ".":
            selected.append((root, token))
        previous = [root, dot, token]
    return selected


#: What an expression reads on ``source`` and ``recipient`` (checks/condition.py builds them).
NODE_FIELDS = (
    "id",
    "name",
    "kind",
    "country",
    "is_system",
    "placeholder",
    "role",
    "approved_supplier",
    "listed_under",
)


def variable_fields() -> dict[str, frozenset[str]]:
    """The fields each variable of an expression holds: a selection of any other field is a
    typo in the policy, never a property of the map."""
    node = frozenset(NODE_FIELDS)
    return {
        "flow": frozenset(info.alias or name for name, info in Flow.model_fields.items()),
        "organisation": frozenset(Organisation.model_fields),
        "source": node,
        "recipient": node,
    }


def unknown_fields(expression: str) -> list[str]:
    """One reason per field the expression selects that its variable does not hold: an
    input error at the expression, not a finding on every flow the rule matches. And one per
    presence test ``has(flow.permission)`` on a field the variable holds: every field is
    there, null where the map leaves it out, so the test is true on every flow and the rule
    never fires (newcomer review s20: a house rule asking for the DPO's sign-off in
    ``permission`` passed every flow, none of which recorded one)."""
    known = variable_fields()
    reasons = [
        f"unknown field '{field}' of {root}{did_you_mean(field, known[root])}; {root} has "
        + ", ".join(sorted(known[root]))
        for root, field in dict.fromkeys(selected_fields(expression, frozenset(known)))
        if field not in known[root]
    ]
    for root, field in dict.fromkeys(presence_tests(expression, frozenset(known))):
        if field in known[root]:
            reasons.append(
                f"has({root}.{field}) is true whatever the map says: {root} always holds "
                f"{field}, null where the map leaves it out; to ask whether it is recorded, "
                f"write {root}.{field} != null"
            )
    return reasons


def presence_tests(expression: str, roots: frozenset[str]) -> list[tuple[str, str]]:
    """Each ``has(root.field)`` of an expression on one of ``roots`` (strings skipped)."""
    tokens = [
        (match.lastgroup, match.group())
        for match in _TOKENS.finditer(expression)
        if match.lastgroup != "space"
    ]
    found = []
    for at in range(len(tokens) - 5):
        has, opened, root, dot, field, closed = tokens[at : at + 6]
        if (
            has == ("name", "has")
            and opened == ("open", "(")
            and root[0] == "name"
            and root[1] in roots
            and dot == ("other", ".")
            and field[0] == "name"
            and closed == ("close", ")")
            and (at == 0 or tokens[at - 1] != ("other", "."))
        ):
            found.append((root[1], field[1]))
    return found


def compile_expression(expression: str) -> Any:
    """A compiled CEL program; ValueError (with the reason) for a refused or invalid one.

    The bounds are checked first; a panic of the Rust library (a BaseException) becomes a
    ValueError too, so no expression can end the process."""
    problem = expression_problem(expression)
    if problem is not None:
        raise ValueError(problem)
    import cel  # imported on first use: its package pulls in a REPL (prompt_toolkit), 0.1 s

    try:
        return cel.compile(expression)
    except ValueError:
        raise
    except Exception as error:
        raise ValueError(str(error)) from None
    except BaseException as error:  # pyo3's PanicException derives from BaseException
        if type(error).__name__ != "PanicException":
            raise
        raise ValueError(f"the CEL library failed on it ({error})") from None
