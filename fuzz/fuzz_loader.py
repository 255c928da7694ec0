"""Fuzz target for the map loader (atheris / libFuzzer).

One job: never a crash, always a located error. Each input is the bytes of one map file,
read as YAML and, when it starts like JSON, as JSON too. The reader must either accept it or
raise InputError whose problems all lie inside the file; any other exception, or a problem
outside the file, is a crash. What is accepted then goes through the map builder.

    nox -s fuzz -- 600                         # ten minutes, seeds from the test fixtures
    python fuzz/fuzz_loader.py -max_total_time=60 CORPUS_DIR [SEED_DIR...]
"""

from __future__ import annotations

import contextlib
import sys

try:
    import atheris
except ImportError:  # the test suite replays the harness without the fuzzer
    atheris = None

with atheris.instrument_imports() if atheris is not None else contextlib.nullcontext():
    from flowaudit.model.loader import _MapBuilder
    from flowaudit.model.problems import InputError
    from flowaudit.model.yamlsource import (
        Limits,
        ParsedDocument,
        decode_text,
        parse_json,
        parse_text,
    )

LIMITS = Limits(max_file_bytes=1 << 20, max_depth=32, max_alias_expansions=200, max_nodes=50_000)


def located(error: InputError, text: str) -> None:
    """Every problem names the file and a line and column inside it."""
    lines = max(len(text.splitlines()), 1) + 1
    assert error.problems, "an InputError without problems"
    for problem in error.problems:
        assert problem.file == "fuzz.yaml", problem
        assert 1 <= problem.line <= lines and problem.column >= 1, problem


def check_input(raw: bytes) -> None:
    """Load raw bytes as a map file; raise AssertionError on a crash or an unlocated error."""
    try:
        text = decode_text(raw, "fuzz.yaml")
    except InputError as error:
        located(error, raw.decode("utf-8", "replace"))
        return
    readers = [parse_text]
    if text.lstrip()[:1] in ("{", "["):
        readers.append(parse_json)
    for reader in readers:
        try:
            document: ParsedDocument = reader(text, "fuzz.yaml", LIMITS)
        except InputError as error:
            located(error, text)
            continue
        builder = _MapBuilder()
        builder.add_document(document)
        with contextlib.suppress(InputError):
            builder.finish((), [])
        for problem in builder.problems:
            assert problem.line >= 1 and problem.column >= 1, problem


def main() -> None:
    atheris.Setup(sys.argv, check_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
