"""Typed errors: every way an input can be refused, each with a message and a hint.

A rejection is a normal outcome of a batch, not a crash: the CLI summary, the store's
`rejection_code` / `rejection_reason` columns and the JSON export all render these the same way.
"""

from __future__ import annotations


class AtlasError(Exception):
    """Base class: `code` is stable (stored, exported), `hint` tells the user what to do."""

    code = "error"
    hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class Rejected(AtlasError):
    """The input was read and judged not ingestible; the batch goes on."""

    code = "rejected"


class UnsupportedFileType(Rejected):
    code = "unsupported_type"
    hint = "Inspection Atlas reads PDF, plain text, Markdown and HTML reports."


class FileTooLarge(Rejected):
    code = "too_large"
    hint = "Raise the limit with --max-size-mb if this really is a report."


class EmptyFile(Rejected):
    code = "empty"
    hint = "The file has no content: download it again."


class CorruptPdf(Rejected):
    code = "corrupt_pdf"
    hint = "The PDF is damaged or truncated: download it again from the Ofsted website."


class EncryptedPdf(Rejected):
    code = "encrypted_pdf"
    hint = "Remove the password (e.g. `qpdf --decrypt`) and ingest the copy."


class NoPages(Rejected):
    code = "no_pages"
    hint = "The PDF opens but has no pages: download it again."


class ImageOnlyPdf(Rejected):
    code = "image_only"
    hint = "The PDF is a scan with no text layer: run OCR on it first (e.g. `ocrmypdf`)."


class NotAReport(Rejected):
    code = "not_a_report"
    hint = "Only Ofsted inspections of local authority children's services are ingested."


class ReportNotFoundPage(NotAReport):
    code = "report_not_found_page"
    hint = "The download returned Ofsted's 'report not found' web page: fetch the report again."


class Duplicate(Rejected):
    code = "duplicate"
    hint = "The same bytes were already ingested under another name; nothing was added."


class StoreError(AtlasError):
    """The database could not be opened or written: this does stop the batch."""

    code = "store_error"
    hint = "Check the --db path is writable and not on a network share."
