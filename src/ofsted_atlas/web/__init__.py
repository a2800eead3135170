"""Stage 8: the web app (`ofsted-atlas serve`)."""

from .app import create_app

__all__ = ["create_app"]
