"""Review mode (`ofsted-atlas serve --review`): users correct the theme coding from report pages.

Off by default: without it no route here exists and the app writes nothing. With it:
- a reviewer signs in once at /review with the token given when the server started
  (`--review-token` or OFSTED_ATLAS_REVIEW_TOKEN); the server answers with a signed, HttpOnly,
  SameSite=Strict cookie (stateless, so several server processes agree on it);
- every write is a POST that must carry that cookie, come from this site (Sec-Fetch-Site says
  same-origin, or, from clients that do not send it, the Origin or Referer names this host) and
  carry the form's CSRF token, an HMAC of the session and
  the report keyed by the review token;
- corrections go to `coding_reviews` (see coding/review.py), never to the model's codings.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ofsted_atlas.coding import review as corrections
from ofsted_atlas.coding.codebook import POLARITIES
from ofsted_atlas.store import connect

COOKIE = "atlas_review"
SESSION_SECONDS = 12 * 3600
TOKEN_ENV = "OFSTED_ATLAS_REVIEW_TOKEN"
MODE_ENV = "OFSTED_ATLAS_REVIEW"
MIN_TOKEN_LENGTH = 12


@dataclass(frozen=True)
class ReviewSettings:
    token: str

    def __post_init__(self) -> None:
        if len(self.token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the review token must be at least {MIN_TOKEN_LENGTH} characters")

    @classmethod
    def from_env(cls) -> ReviewSettings | None:
        """Review settings when `serve --review` started this process, else None."""
        if os.environ.get(MODE_ENV) != "1" or not os.environ.get(TOKEN_ENV):
            return None
        return cls(os.environ[TOKEN_ENV])


class Signer:
    """Sessions and CSRF tokens, signed with the review token."""

    def __init__(self, token: str) -> None:
        self._key = hashlib.sha256(b"ofsted-atlas review:" + token.encode()).digest()
        self._token = token

    def _mac(self, message: str) -> str:
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self._token.encode())

    def new_session(self, now: float | None = None) -> str:
        issued = f"{int(now or time.time())}.{secrets.token_hex(8)}"
        return f"{issued}.{self._mac('session:' + issued)}"

    def session_valid(self, value: str | None, now: float | None = None) -> bool:
        if not value or value.count(".") != 2:
            return False
        issued, nonce, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac(f"session:{issued}.{nonce}")):
            return False
        return issued.isdigit() and (now or time.time()) - int(issued) < SESSION_SECONDS

    def csrf(self, session: str, report_id: int) -> str:
        return self._mac(f"csrf:{session}:{report_id}")


def install(
    app: FastAPI, templates: Jinja2Templates, cache: Any, db: Path, settings: ReviewSettings
) -> None:
    """Add the review routes and the report pages' review controls to the app. Report pages then
    carry each reviewer's own forms, so they are no longer served from the page cache."""
    cache.CACHED_PREFIXES = tuple(p for p in cache.CACHED_PREFIXES if p != "/reports/")
    signer = Signer(settings.token)
    local = threading.local()

    def writable() -> Any:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = connect(db)  # migrates: adds coding_reviews to an older database
        return conn

    writable()

    class Controls:
        """What report.html sees in review mode: whether the reader is signed in, the forms'
        CSRF tokens, and the corrections already made on the report."""

        def __init__(self, request: Request) -> None:
            session = request.cookies.get(COOKIE)
            self.signed_in = signer.session_valid(session)
            self._session = session or ""

        def csrf(self, report_id: int) -> str:
            return signer.csrf(self._session, report_id) if self.signed_in else ""

        def state(self, report_id: int) -> dict[tuple[int, int, int], dict[str, Any]]:
            """Corrections already made on the report, by sentence then theme."""
            return corrections.report_state(writable(), report_id)

    templates.env.globals["review_controls"] = Controls
    templates.env.globals["polarities"] = POLARITIES
    router = APIRouter(prefix="/review", include_in_schema=False)

    def same_site(request: Request) -> None:
        """Browsers say where a request comes from in Sec-Fetch-Site (which pages cannot set);
        without it, the Origin (or Referer) must name this host. The site's no-referrer policy
        makes browsers send 'Origin: null' on form posts, which counts as not this site."""
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site is not None:
            ours = fetch_site == "same-origin"
        else:
            origin = request.headers.get("origin") or request.headers.get("referer") or ""
            ours = bool(origin) and urlsplit(origin).netloc == request.headers.get("host", "")
        if not ours:
            raise HTTPException(403, "Corrections are accepted only from this site's own pages")

    @router.get("", response_class=HTMLResponse)
    def sign_in_page(request: Request, failed: bool = False) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "review.html",
            {"signed_in": signer.session_valid(request.cookies.get(COOKIE)), "failed": failed},
        )

    @router.post("/sign-in")
    def sign_in(request: Request, token: Annotated[str, Form(max_length=400)]) -> Response:
        same_site(request)
        if not signer.token_matches(token):
            return RedirectResponse("/review?failed=true", status_code=303)
        response = RedirectResponse("/review", status_code=303)
        response.set_cookie(
            COOKIE,
            signer.new_session(),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @router.post("/codings")
    def correct(
        request: Request,
        report_id: Annotated[int, Form()],
        paragraph_id: Annotated[int, Form()],
        start: Annotated[int, Form(ge=0)],
        end: Annotated[int, Form(ge=0)],
        theme: Annotated[str, Form(max_length=40)],
        action: Annotated[str, Form(max_length=10)],
        csrf: Annotated[str, Form(max_length=128)],
        polarity: Annotated[str | None, Form(max_length=10)] = None,
    ) -> Response:
        same_site(request)
        session = request.cookies.get(COOKIE)
        if not signer.session_valid(session):
            raise HTTPException(403, "Sign in with the review token first (at /review)")
        assert session is not None
        if not hmac.compare_digest(csrf, signer.csrf(session, report_id)):
            raise HTTPException(403, "This form has expired: reload the report page")
        try:
            corrections.record(
                writable(),
                corrections.SentenceRef(report_id, paragraph_id, start, end),
                theme,
                action,
                polarity or None,
            )
        except corrections.ReviewError as error:
            raise HTTPException(400, str(error)) from error
        return RedirectResponse(f"/reports/{report_id}#p{paragraph_id}", status_code=303)

    app.include_router(router)
