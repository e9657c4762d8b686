"""The inbound API's request and response bodies, as the OpenAPI schema documents them.

Request bodies refuse fields they do not know (422 ``extra_forbidden``: a misspelt field
would otherwise be dropped without a word, and an unknown one may be megabytes) and text
with a NUL character, which PostgreSQL cannot store (issue 14 §3).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class Citizen(BaseModel):
    """The citizen: sender of the dossier, receiver of the result (personal data)."""

    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=255, examples=["Nông Văn Dũng"])
    phone: Text = Field(default="", max_length=32, examples=["0912345678"])
    address: Text = Field(
        min_length=1, max_length=1000, examples=["Tổ 5, phường Tân Giang, tỉnh Cao Bằng"]
    )
    commune_code: Text = Field(default="", max_length=8, examples=["01288"])


class LegRequest(BaseModel):
    """A dossier leg the post must carry: its procedure and the citizen."""

    model_config = ConfigDict(extra="forbid")

    procedure_code: Text = Field(min_length=1, max_length=80, examples=["1.001193"])
    procedure_name: Text = Field(default="", max_length=1000, examples=["Đăng ký khai sinh"])
    citizen: Citizen
    appointment_slip: bool = Field(
        default=False,
        description="pickup only: the dossier leg carries an appointment slip (giấy hẹn), "
        "so its deadline is the second n of TT 17/2017 art. 7",
    )


class Command(BaseModel):
    """The outbox command of one leg: ``pending`` until the worker creates the postal order,
    then ``sent``; ``refused`` when the procedure's leg is excluded from postal handling."""

    dossier_code: str
    leg: str = Field(description="pickup or return")
    reference: str = Field(description="the postal order reference (saleOrderCode)")
    state: str = Field(description="pending, sent, refused or failed")
    refusal_reason: str = ""
    created_at: datetime


class LegStatus(BaseModel):
    leg: str = Field(description="pickup or return")
    reference: str
    item_code: str | None = Field(description="waybill number (UPU S10)")
    status: str = Field(description="normalised postal status, e.g. in_transit, delivered")
    status_label: str = Field(description="the status in Vietnamese")
    status_at: datetime | None
    j_date: date | None = Field(description="J date of TT 17/2017 art. 7")
    deadline: date | None = Field(description="J + n working days")
    overdue: bool
    closed_at: datetime | None
    match_class: str | None = Field(description="eligible, excluded, unknown_procedure, …")


class DossierStatus(BaseModel):
    dossier_code: str
    procedure_code: str | None
    filed_at: datetime | None = Field(
        description="legal filing time: the handover signature (QĐ 45/2016 art. 7 cl. 4)"
    )
    legs: list[LegStatus]
    commands: list[Command]


class ApiErrorBody(BaseModel):
    """Every error: a stable machine-readable code and a Vietnamese message."""

    code: str = Field(examples=["leg_excluded"])
    message: str = Field(examples=["Thủ tục không được trả kết quả qua bưu chính."])


class WebhookAnswer(BaseModel):
    accepted: int = Field(
        description="items the signature covers, looked up at the post's API in the background"
    )
    unsigned_ignored: int = Field(
        description="records the signature does not cover: counted, never used"
    )
