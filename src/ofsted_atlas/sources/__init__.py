"""Stage 1: where report bytes come from (a folder today; the Ofsted website later)."""

from .folder import SUPPORTED_SUFFIXES, discover_files, sha256_file

__all__ = ["SUPPORTED_SUFFIXES", "discover_files", "sha256_file"]
