"""How failures reach people and programs.

The inbound API and the webhook answer every error as JSON with a machine-readable
``code`` and a Vietnamese ``message`` the one-stop system can show (issue 7); the console
answers with a page in Vietnamese, and a missing login with a redirect to the login form.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from postlink.errors import PostlinkError
from postlink.web.security import CsrfFailed, Forbidden, LoginRequired
from postlink.web.templating import page

MACHINE_PREFIXES = ("/api/", "/webhooks/")


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


def _machine(request: Request) -> bool:
    return request.url.path.startswith(MACHINE_PREFIXES)


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    return page(
        request, "error.html", {"title": title, "message": message}, user=None, status_code=status
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(error_body(exc.code, exc.message, **exc.extra), status_code=exc.status)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _machine(request):
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        body = error_body(
            "invalid_request", "Yêu cầu không hợp lệ: thiếu hoặc sai trường dữ liệu.", errors=errors
        )
        return JSONResponse(body, status_code=422)
    return _error_page(
        request, 422, "Biểu mẫu không hợp lệ", "Thiếu hoặc sai thông tin; hãy nhập lại."
    )


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
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


async def _user_error(request: Request, exc: Exception) -> Response:
    if _machine(request):
        return JSONResponse(error_body("rejected", str(exc)), status_code=400)
    return _error_page(request, 400, "Không thực hiện được", str(exc))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(CsrfFailed, _csrf)
    app.add_exception_handler(PostlinkError, _user_error)
