"""Serving the app with gunicorn, a production WSGI server, one searcher per worker process."""

from __future__ import annotations

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
        "worker_class": "gthread",
        "threads": 4,
        "accesslog": "-",
        "timeout": 60,
    }
    SearchServer(options, {"INDEX": str(index_dir), "CORPUS": str(corpus)}).run()
