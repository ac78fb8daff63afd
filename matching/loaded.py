"""The search snapshot this process serves, and the swap to a newer one.

Each page's first query (matching.catalogue.load_catalogue) also reads the newest published
version's id and digest. When it differs from the one held here, a background thread loads the
new version while requests go on with the old one; the swap is one assignment, so a request,
which takes the snapshot once at its start, never sees a mix of two versions. A process that
cannot load a version keeps serving the one it has, and `/readyz` says so (`readiness_problem`).

With `SEARCH_INDEX_SWAP = "inline"` (the tests' setting) the request that notices a new
version loads it itself, on its own connection: tests write and search in one transaction that no
other connection can see. A process that holds nothing yet always loads inline (or waits for the
load started when it booted, `warm_in_background`).
"""

import logging
import os
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from matching.engine import prepare
from matching.models import ReferenceEntry, SearchSnapshot
from matching.snapshot import EMPTY, Snapshot, load_version

log = logging.getLogger(__name__)

# A version that failed to load is tried again after this long.
RETRY_SECONDS = 30

Version = tuple[int, str]  # (id, digest); (0, "") when nothing is published


@dataclass
class _State:
    snapshot: Snapshot = field(default_factory=lambda: EMPTY)
    loaded_at: float = 0.0
    load_seconds: float = 0.0
    loading: Version | None = None
    failed: Version | None = None
    failed_at: float = 0.0
    error: str = ""


_state = _State()
# `_bookkeeping` guards `loading` and `failed` for a moment; `_load_lock` lets one load run at a
# time. A request never waits on a background load: it only ever takes `_bookkeeping`.
_bookkeeping = threading.Lock()
_load_lock = threading.Lock()


def _new_locks_after_fork() -> None:
    """A process forked while a load ran (gunicorn --preload) starts with free locks."""
    global _bookkeeping, _load_lock
    _bookkeeping, _load_lock = threading.Lock(), threading.Lock()
    _state.loading = None


os.register_at_fork(after_in_child=_new_locks_after_fork)


def snapshot_for(newest: Version) -> Snapshot:
    """The snapshot to search for a request that saw `newest` published (see the module doc)."""
    current = _state.snapshot
    if newest == (current.version, current.digest):
        return current
    if newest[0] == 0:
        return EMPTY
    if _failed_lately(newest):
        return current  # tried and failed: again after RETRY_SECONDS, not on every request
    if current is EMPTY or getattr(settings, "SEARCH_INDEX_SWAP", "background") == "inline":
        return _load(newest) or current
    _start_background_load(newest)
    return current


def _failed_lately(version: Version) -> bool:
    return _state.failed == version and time.monotonic() - _state.failed_at < RETRY_SECONDS


def status() -> dict:
    """What this process serves, for /readyz and the benchmarks."""
    snapshot = _state.snapshot
    return {
        "version": snapshot.version,
        "digest": snapshot.digest,
        "entries": snapshot.size,
        "bytes": snapshot.nbytes,
        "load_seconds": round(_state.load_seconds, 3),
        "loaded_seconds_ago": round(time.monotonic() - _state.loaded_at, 1) if _state.loaded_at else None,
        "error": _state.error,
    }


def readiness_problem() -> str | None:
    """Why this process's search is not current, or None: a newer version was published more than
    SEARCH_INDEX_STALE_SECONDS ago and is not loaded (its load failed, or has not finished)."""
    try:
        newest = SearchSnapshot.objects.order_by("-pk").values_list("pk", "digest", "created_at").first()
        if newest is None:
            # An index with entries but no snapshot (just migrated, before the first refresh).
            return "search index not published yet" if ReferenceEntry.objects.exists() else None
    except DatabaseError:  # the database's own probe names that
        return None
    version, digest, created_at = newest
    current = _state.snapshot
    if (version, digest) == (current.version, current.digest):
        return None
    snapshot_for((version, digest))  # starts the load if none is running
    age = (timezone.now() - created_at).total_seconds()
    if age <= getattr(settings, "SEARCH_INDEX_STALE_SECONDS", 120) and not _state.error:
        return None
    why = f": {_state.error}" if _state.error else ""
    return f"search index stale: serving version {current.version}, newest {version} ({age:.0f} s old){why}"


def warm_in_background() -> None:
    """Load the newest version when a web process starts, before its first search asks."""
    threading.Thread(target=_warm, name="search-index-warm", daemon=True).start()


def _warm() -> None:
    try:
        newest = SearchSnapshot.objects.order_by("-pk").values_list("pk", "digest").first()
        if newest is not None:
            _load(newest)
    except Exception:  # the first search loads inline instead
        log.exception("Could not load the search index at start")
    finally:
        connections.close_all()


def _start_background_load(newest: Version) -> None:
    with _bookkeeping:
        if _state.loading is not None:
            return
        _state.loading = newest
    threading.Thread(target=_background_load, args=(newest,), name="search-index-load", daemon=True).start()


def _background_load(newest: Version) -> None:
    try:
        _load(newest)
    finally:
        _state.loading = None
        connections.close_all()


def _load(newest: Version) -> Snapshot | None:
    """Load `newest` and serve it from now on; None if it failed or is gone."""
    with _load_lock:
        current = _state.snapshot
        if newest == (current.version, current.digest):
            return current
        if _failed_lately(newest):
            return None
        started = time.monotonic()
        try:
            snapshot = load_version(newest[0])
            if snapshot is not None:
                prepare(snapshot)
        except Exception as exc:  # keep serving what we have; /readyz reports it
            log.exception("Could not load search index version %s", newest[0])
            _state.failed, _state.failed_at = newest, time.monotonic()
            _state.error = f"{exc.__class__.__name__}: {exc}"[:200]
            return None
        if snapshot is None or snapshot.digest != newest[1]:
            return None  # replaced meanwhile: the next request sees the newer one
        _state.snapshot = snapshot
        _state.loaded_at = time.monotonic()
        _state.load_seconds = _state.loaded_at - started
        _state.failed, _state.error = None, ""
        return snapshot
