"""Serving the app with uvicorn from a thread: for ``postlink demo``, the browser tests and
the web benchmark, which run the web app beside other work in one process.

``postlink serve`` runs uvicorn in the foreground instead (``cli.web_cmd``).
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

from postlink import logs

#: Seconds to wait for uvicorn to bind before giving up.
START_TIMEOUT = 10.0


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class BackgroundServer:
    """uvicorn serving ``app`` on ``host:port`` in a daemon thread until ``stop()``."""

    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", log_config=logs.uvicorn_config()
        )
        self.server = uvicorn.Server(config)
        self.url = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="web")

    def start(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the web app did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=START_TIMEOUT)
