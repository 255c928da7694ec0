"""Fuzz target for the map loader (atheris / libFuzzer).

Each input is treated as the bytes of one map file. The loader must either accept it or
raise InputError (located problems, exit code 2); any other exception is a crash. On top
of that, the fast backend is held to the reference: whenever it vouches for a document, the
reference must accept it too, with the same data and the same positions.

    nox -s fuzz -- 600                         # ten minutes, seeds from the test fixtures
    python fuzz/fuzz_loader.py -max_total_time=60 CORPUS_DIR [SEED_DIR...]
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    from flowaudit.model import fastyaml
    from flowaudit.model.loader import _MapBuilder
    from flowaudit.model.problems import InputError
    from flowaudit.model.yamlsource import (
        Limits,
        ParsedDocument,
        decode_text,
        parse_reference,
        resolve_plain,
    )

LIMITS = Limits(max_file_bytes=1 << 20, max_depth=32, max_alias_expansions=200, max_nodes=50_000)


def check_input(raw: bytes) -> None:
    """Load raw bytes as a map file; raise AssertionError on any divergence or crash."""
    try:
        text = decode_text(raw, "fuzz.yaml")
    except InputError:
        return
    try:
        reference: ParsedDocument | None = parse_reference(text, "fuzz.yaml", LIMITS)
    except InputError:
        reference = None
    fast = fastyaml.parse_fast(text, resolve_plain, LIMITS.max_depth, LIMITS.max_nodes)
    if fast is not None:
        assert reference is not None, "fast path accepted a document the reference rejects"
        data, positions = fast
        assert repr(data) == repr(reference.data), "fast path data differs from reference"
        assert dict(positions.items()) == dict(reference.positions), "positions differ"
    if reference is not None:
        builder = _MapBuilder()
        builder.add_document(reference)
        with contextlib.suppress(InputError):
            builder.finish(())


def main() -> None:
    atheris.Setup(sys.argv, check_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
