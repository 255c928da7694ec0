"""report.pdf from the report's HTML, rendered by WeasyPrint.

Why WeasyPrint: it is a maintained Python library that implements CSS paged media (page
margin boxes for page numbers and the running header, named pages for the landscape diagram,
repeated table headers), runs without a browser, and needs only Pango from the system (Debian:
``libpango-1.0-0``, present wherever Graphviz is). It is an optional extra
(``pip install 'flowaudit[pdf]'``): everything else works without it.

WeasyPrint never fetches anything here: the report is self-contained (inline CSS and SVG),
and the URL fetcher refuses every URL, so a hostile map cannot make the renderer read a file
or the network.
"""

from __future__ import annotations

from typing import Any, NoReturn


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
            "PDF output needs WeasyPrint: pip install 'flowaudit[pdf]' (and, on Debian, "
            f"the system package libpango-1.0-0) ({type(error).__name__}: {error})"
        ) from None
    document = HTML(string=html, url_fetcher=_refuse, base_url=None)
    pdf: bytes = document.write_pdf(pdf_identifier=b"flowaudit-report")
    return pdf
