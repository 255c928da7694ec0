"""report.pdf from the report's HTML, rendered by WeasyPrint.

Why WeasyPrint: it is a maintained Python library that implements CSS paged media (page
margin boxes for page numbers and the running header, named pages for the landscape diagram,
repeated table headers), runs without a browser, and needs only Pango from the system (Debian:
``libpango-1.0-0``, present wherever Graphviz is). It is optional (the ``pdf`` extra, or
WeasyPrint installed beside flowaudit): everything else works without it. Never hint
``pip install 'flowaudit[pdf]'``: no package index serves flowaudit, so that name installs
whatever a stranger registers under it (review 2026-12-02b, N6).

WeasyPrint never fetches anything here: the report is self-contained (inline CSS and SVG),
and the URL fetcher refuses every URL, so a hostile map cannot make the renderer read a file
or the network.
"""

from __future__ import annotations

from typing import Any, NoReturn

#: WeasyPrint as the ``pdf`` extra of pyproject.toml requires it (a test keeps the two equal).
WEASYPRINT = "weasyprint>=62"

#: What to install, named by a source the user controls: WeasyPrint itself from the index,
#: or flowaudit's extra from the clone or wheel flowaudit came from.
INSTALL_HINT = (
    f"pip install '{WEASYPRINT}' in flowaudit's environment, or reinstall flowaudit with its "
    "pdf extra from the source you installed it from (in a clone: pip install '.[pdf]'); not "
    "'flowaudit[pdf]' from a package index, which does not serve flowaudit"
)


class PdfUnavailable(Exception):
    """WeasyPrint (or the Pango library it needs) is not installed."""


def _refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"flowaudit's PDF renderer fetches nothing (asked for {url[:80]!r})")


def render_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML report, as bytes."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: WeasyPrint present, Pango missing
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint: {INSTALL_HINT} (and, on Debian, the system "
            f"package libpango-1.0-0) ({type(error).__name__}: {error})"
        ) from None
    document = HTML(string=html, url_fetcher=_refuse, base_url=None)
    pdf: bytes = document.write_pdf(pdf_identifier=b"flowaudit-report")
    return pdf
