"""A bounded, streaming XML parser for the parts of an uploaded .xlsx or .docx.

A spreadsheet library parses a workbook's shared strings, styles and sheet list whole when
it opens it, before a caller can count anything (issue 14 §3: a 10 MB upload of 55 MB of
shared strings held a worker for minutes inside ``openpyxl.load_workbook``). Here every
part is fed to expat in fixed chunks; each chunk's elements are charged to the file's
``ReadBudget`` (elements and seconds) before the next is read, so any part is refused
within one chunk of its limit. Office never writes a DTD, so a part declaring one is
refused before its entities can expand.
"""

from __future__ import annotations

import pyexpat
import zipfile
from collections.abc import Iterator
from typing import Any, Protocol

from postlink.catalog.problems import Reason

#: Bytes of a part fed to the parser at once.
CHUNK_BYTES = 64 * 1024


class Budget(Protocol):
    def charge_elements(self, count: int) -> None: ...


class XmlRefused(Exception):
    """The part is not well-formed XML, or declares a DTD; ``reason`` says which."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.en)
        self.reason = reason


class Handler:
    """What a part's reader does with its elements, by local name (a prefix such as
    ``x:`` dropped; Excel writes the transitional and the strict namespaces, and some
    writers add prefixes). Attributes keep their names as written (``r``, ``r:id``)."""

    count = 0

    def on_start(self, tag: str, attrs: dict[str, str]) -> None:
        self.count += 1
        self.start(_LOCAL.get(tag) or _local(tag), attrs)

    def on_end(self, tag: str) -> None:
        self.end(_LOCAL.get(tag) or _local(tag))

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """An element opens."""

    def end(self, name: str) -> None:
        """An element closes."""

    def text(self, data: str) -> None:
        """Character data inside the current element."""


#: Local names of the tags met so far (a handful in any real part), kept bounded.
_LOCAL: dict[str, str] = {}


def _local(tag: str) -> str:
    name = tag.rpartition(":")[2]
    if len(_LOCAL) < 1_000:
        _LOCAL[tag] = name
    return name


def attribute(attrs: dict[str, str], name: str) -> str:
    """An attribute by local name, whatever its prefix (``r:id``, ``rel:id``)."""
    if name in attrs:
        return attrs[name]
    suffix = ":" + name
    return next((value for key, value in attrs.items() if key.endswith(suffix)), "")


def _refuse_dtd(*_: Any) -> None:
    raise XmlRefused(
        Reason(
            "the file declares a DTD, which Office never writes",
            "tệp có khai báo DTD, điều mà Excel và Word không bao giờ ghi",
        )
    )


def parse(package: zipfile.ZipFile, name: str, handler: Handler, budget: Budget) -> Iterator[None]:
    """Parse part ``name`` into ``handler``, yielding after each chunk (so that a reader
    hands on the rows parsed so far); each chunk's elements are charged to ``budget``."""
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = handler.on_start
    parser.EndElementHandler = handler.on_end
    parser.CharacterDataHandler = handler.text
    try:
        with package.open(name) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                _feed(parser, chunk, final=False)
                budget.charge_elements(handler.count)
                handler.count = 0
                yield
        _feed(parser, b"", final=True)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise XmlRefused(Reason(f"{name}: {exc}", f"{name} bị hỏng")) from exc
    budget.charge_elements(handler.count)
    handler.count = 0
    yield


def _feed(parser: Any, chunk: bytes, *, final: bool) -> None:
    try:
        parser.Parse(chunk, final)
    except pyexpat.ExpatError as exc:
        raise XmlRefused(
            Reason(
                f"the XML is malformed ({pyexpat.errors.messages[exc.code]}, line {exc.lineno})",
                f"nội dung XML không hợp lệ (dòng {exc.lineno})",
            )
        ) from exc


def parse_all(package: zipfile.ZipFile, name: str, handler: Handler, budget: Budget) -> None:
    """Parse a whole part (the workbook, its relationships, its styles, its strings)."""
    for _ in parse(package, name, handler, budget):
        pass
