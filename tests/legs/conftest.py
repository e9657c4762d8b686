"""The sync fixtures (sandbox over HTTP, published sample list, sync context) for the legs'
tests that go through the ingest."""

from __future__ import annotations

from tests.postal.fixtures import sandbox_factory, sandbox_server
from tests.sync.conftest import make_context, published_list

__all__ = ["make_context", "published_list", "sandbox_factory", "sandbox_server"]
