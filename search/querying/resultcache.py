"""Result pages shared by a server's worker processes: one small SQLite file, keyed by generation.

Each worker remembers the pages it answered (live.LiveSearcher); this file lets the other
workers answer the same request without searching again. It is only ever a shortcut: any
error reading or writing it is the same as a miss.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import threading
import time
from pathlib import Path

MAX_SHARED_RESULTS = 20_000  # result pages kept in the file; the oldest go first
PRUNE_EVERY = 500  # writes between two prunings


class SharedResults:
    """A process-shared map from (generation, request) to a result page."""

    def __init__(self, path: Path, limit: int = MAX_SHARED_RESULTS):
        self.path = Path(path)
        self.limit = limit
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._writes = 0
        self._generation: object = None

    def _connect(self) -> sqlite3.Connection:
        # Opened on first use, so each forked worker has its own connection.
        if self._db is None:
            db = sqlite3.connect(self.path, timeout=1.0, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a lost write is a miss, never a wrong answer
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, generation TEXT, "
                       "added REAL, value BLOB)")
            self._db = db
        return self._db

    @staticmethod
    def _key(key: tuple) -> str:
        return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def get(self, key: tuple):
        """The page stored for this request key, or None."""
        try:
            with self._lock:
                row = self._connect().execute("SELECT value FROM results WHERE key = ?", (self._key(key),)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None

    def put(self, key: tuple, results) -> None:
        """Store a page under its request key (key[0] is the index generation)."""
        try:
            value = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
            with self._lock:
                db = self._connect()
                if key[0] != self._generation:
                    # A new generation: pages of older ones can never be asked for again.
                    self._generation = key[0]
                    db.execute("DELETE FROM results WHERE generation != ?", (repr(key[0]),))
                db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                           (self._key(key), repr(key[0]), time.time(), value))
                self._writes += 1
                if self._writes % PRUNE_EVERY == 0:
                    db.execute("DELETE FROM results WHERE key IN (SELECT key FROM results ORDER BY added DESC "
                               "LIMIT -1 OFFSET ?)", (self.limit,))
        except (sqlite3.Error, pickle.PicklingError):
            return
