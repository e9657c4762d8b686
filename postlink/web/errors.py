"""How failures reach people and programs.

The inbound API and the webhook answer every error as JSON with a machine-readable
``code`` and a Vietnamese ``message`` the one-stop system can show (issue 7); the console
answers with a page in Vietnamese that keeps the navigation for a logged-in user (issue 14
§1), and a missing login with a redirect to the login form. A service's refusal is worded
from the message catalogue (``postlink.words``) by its code; one still raised with written
text never reaches a page: the page says a general sentence and the text goes to the log.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from postlink.errors import PostlinkError
from postlink.web.inputs import BadInput, machine
from postlink.web.limits import FIELD_MAX_BYTES, part_too_large
from postlink.web.security import CsrfFailed, Forbidden, LoginRequired, current_user
from postlink.web.templating import page, vietnamese_part
from postlink.words import log_line, say

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer of the API or the webhook other than success."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


_HTTP_CODES = {
    401: ("unauthorized", "Chưa xác thực."),
    403: ("forbidden", "Không có quyền thực hiện."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    413: ("too_large", "Nội dung gửi lên quá lớn."),
}


#: What the API says of each kind of field problem pydantic reports (its ``type``).
_PROBLEMS = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được hỗ trợ",
    "string_too_long": "quá dài",
    "string_too_short": "quá ngắn hoặc để trống",
    "string_type": "phải là chuỗi ký tự",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
    "value_error": "giá trị không hợp lệ",
}


def _machine(request: Request) -> bool:
    return machine(request.url.path)


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    """The error in the console's frame: a logged-in user keeps the navigation."""
    user = current_user(request) if "session" in request.scope else None
    return page(
        request, "error.html", {"title": title, "message": message}, user=user, status_code=status
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(error_body(exc.code, exc.message, **exc.extra), status_code=exc.status)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _machine(request):
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ())),
                "type": e.get("type", ""),
                "problem": _PROBLEMS.get(e.get("type", ""), "giá trị không hợp lệ"),
            }
            for e in exc.errors()
        ]
        body = error_body("invalid_request", say("input.invalid_api"), errors=errors)
        return JSONResponse(body, status_code=422)
    if all(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
        # An id beyond any row's (or below 1) names nothing: the page does not exist.
        return _error_page(request, 404, _HTTP_CODES[404][1], "")
    return _error_page(request, 422, "Biểu mẫu không hợp lệ", say("input.invalid"))


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if part_too_large(exc):
        limit = f"{FIELD_MAX_BYTES:,}".replace(",", ".")
        if _machine(request):
            body = error_body(_HTTP_CODES[413][0], say("input.too_large", limit=limit))
            return JSONResponse(body, status_code=413)
        return _error_page(request, 413, _HTTP_CODES[413][1], say("input.too_large", limit=limit))
    code, message = _HTTP_CODES.get(exc.status_code, ("error", "Yêu cầu không thực hiện được."))
    if _machine(request):
        return JSONResponse(
            error_body(code, message), status_code=exc.status_code, headers=exc.headers
        )
    return _error_page(request, exc.status_code, message, "")


async def _login_required(request: Request, exc: Exception) -> Response:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return _error_page(
        request, 403, "Không có quyền truy cập", "Trang này chỉ dành cho quản trị viên."
    )


async def _csrf(request: Request, exc: Exception) -> Response:
    return _error_page(
        request,
        403,
        "Biểu mẫu không hợp lệ",
        "Biểu mẫu đã hết hạn hoặc không được gửi từ postlink. Hãy tải lại trang và thử lại.",
    )


async def _bad_input(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadInput)
    if _machine(request):
        return JSONResponse(error_body("invalid_request", exc.message), status_code=400)
    return _error_page(request, 400, "Dữ liệu không hợp lệ", exc.message)


def worded(exc: PostlinkError) -> str:
    """A service's refusal in the console's words: its code's shared sentence when it has
    one (never the CLI's ``cli.*`` wording), a Vietnamese message (or the Vietnamese half
    of one written in both languages) that names no command-line flag, else a general sentence;
    the service's own words go to the log for whoever investigates."""
    if isinstance(exc, BadInput):
        return exc.message
    if exc.code is not None:
        return say(exc.code, **exc.params)
    vietnamese = vietnamese_part(str(exc))
    if not vietnamese.isascii() and "--" not in vietnamese:
        return vietnamese
    log.info(log_line("log.web.refused", error=exc))
    return say("service.refused")


async def _user_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PostlinkError)
    if _machine(request):
        return JSONResponse(error_body("rejected", worded(exc)), status_code=400)
    return _error_page(request, 400, "Không thực hiện được", worded(exc))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(CsrfFailed, _csrf)
    app.add_exception_handler(PostlinkError, _user_error)
    app.add_exception_handler(BadInput, _bad_input)
