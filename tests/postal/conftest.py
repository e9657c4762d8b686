"""Postal test fixtures live in fixtures.py so that other test packages can import them."""

from tests.postal.fixtures import sandbox_factory, sandbox_server, webhook_receiver

__all__ = ["sandbox_factory", "sandbox_server", "webhook_receiver"]
