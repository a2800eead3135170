"""PDF text by page with pypdfium2 (fast, permissive licence, refuses HTML disguised as PDF)."""

from __future__ import annotations

import pypdfium2 as pdfium

from ofsted_atlas.errors import CorruptPdf, EncryptedPdf, NoPages

from .document import Page


def read_pdf_pages(data: bytes, source: str) -> tuple[Page, ...]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise _classify_open_error(error, source) from error
    try:
        if len(pdf) == 0:
            raise NoPages(f"{source}: the PDF has no pages")
        return tuple(_page_text(pdf, index) for index in range(len(pdf)))
    except CorruptPdf as error:
        raise CorruptPdf(f"{source}: {error}") from error
    finally:
        pdf.close()


def _page_text(pdf: pdfium.PdfDocument, index: int) -> Page:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as error:  # the file opens but a page is damaged
        raise CorruptPdf(f"page {index + 1} cannot be read ({error})") from error
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    return Page(number=index + 1, text=text.replace("\r\n", "\n").replace("\r", "\n"))


def _classify_open_error(error: Exception, source: str) -> Exception:
    detail = str(error)
    if "password" in detail.lower():
        return EncryptedPdf(f"{source}: the PDF is password-protected")
    return CorruptPdf(f"{source}: the PDF cannot be opened ({detail})")
