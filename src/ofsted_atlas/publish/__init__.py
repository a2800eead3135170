"""Stage 7: what users read. Exports today (JSON, CSV, Excel, Parquet)."""

from .exports import EXPORT_FORMATS, judgement_rows, report_records, write_export

__all__ = ["EXPORT_FORMATS", "judgement_rows", "report_records", "write_export"]
