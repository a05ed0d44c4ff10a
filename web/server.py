"""Serving the app with gunicorn, a production WSGI server, one searcher per worker process."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.app.base import BaseApplication

from . import create_app


class SearchServer(BaseApplication):
    """Gunicorn configured in code: each worker builds its own app (and its own searcher)."""

    def __init__(self, options: dict, app_config: dict):
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.app_config)


def run_server(index_dir: Path, corpus: Path, host: str, port: int, workers: int) -> None:
    """Serve until interrupted, never in debug mode."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        # gthread keeps idle and keep-alive connections off the worker; one request thread a
        # worker, because a search is pure-Python CPU work: under the GIL more threads only
        # interleave requests (each answer comes later) and each would need its own searcher
        # (Whoosh searchers are not thread-safe), mapping the index once more per thread.
        "worker_class": "gthread",
        "threads": 1,
        "worker_connections": 200,
        "keepalive": 5,
        "accesslog": "-",
        "timeout": 60,
        # The heartbeat file in memory, not on a disk that a reindex may be keeping busy.
        "worker_tmp_dir": "/dev/shm" if Path("/dev/shm").is_dir() else None,
    }
    # The workers share result pages through a file in a private folder of this server's own.
    scratch, master = Path(tempfile.mkdtemp(prefix="search-serve-")), os.getpid()
    try:
        SearchServer(options, {"INDEX": str(index_dir), "CORPUS": str(corpus),
                               "RESULTS_CACHE": str(scratch / "results.sqlite")}).run()
    finally:
        # Workers leave through here too (gunicorn forks them inside run()): only the master cleans up.
        if os.getpid() == master:
            shutil.rmtree(scratch, ignore_errors=True)
