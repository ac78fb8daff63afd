"""The in-memory search index: a columnar copy of the index tables, built, published and loaded.

The indexer (`matching.indexing`, the Celery refresh every minute) builds a `Snapshot` from
`ReferenceEntry`, `SearchDocument` and the limits job's stored usage, and publishes it as one
`SearchSnapshot` row when it differs from the last one. Every web process loads the newest row
(`matching.loaded`) and searches it with numpy (`matching.engine`); nothing coordinates the
processes or the machines but that row.

Layout, one array per column over the N entries (sorted by contact id):

- scalars: `contact_id`, `account_id`, `document` (row of the account's document), the facet ids,
  `language` (a code into `languages`), `nps` (`NO_NPS` for none), `resting`, `own_cap`
  (`NO_CAP`), `slots_left` (`NO_USAGE`: no usage row, nothing used), `last_activity_on`
  (datetime64[D], NaT for never);
- id lists (products, use cases, competitors, activity types) as CSR: `<name>_offsets` (N + 1)
  and `<name>_values`, so entry i holds values[offsets[i]:offsets[i + 1]];
- the words: `terms` (sorted), `term_offsets`, and per term its postings `post_document` (sorted
  document rows) and `post_raw` (the term's weight in that document, matching/text.py).
"""

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import connection
from django.utils import timezone

from limits.models import ContactUsage
from matching.models import ReferenceEntry, SearchDocument, SearchSnapshot
from matching.text import document_weights

NO_NPS = -1000
NO_CAP = -1
NO_USAGE = -(2**30)
LISTS = ("product_ids", "use_case_ids", "competitor_ids", "activity_type_ids")
SCALARS = ("industry_id", "country_id", "region_id", "size_band_id", "persona_id")
# How many published versions stay in the table (a process may still be loading the one before).
KEEP_VERSIONS = 3


@dataclass
class Snapshot:
    """The arrays of one version (see the module docstring) and what is derived from them."""

    arrays: dict[str, np.ndarray]
    version: int = 0
    digest: str = ""
    # Entry row of each value of an id list, derived at load (not stored).
    rows_of: dict[str, np.ndarray] = field(default_factory=dict)
    # What many searches share, computed on first use (see matching/engine.py): the whole index's
    # facet counts, and each row's points that depend only on the weights and the program's cap.
    memo: dict = field(default_factory=dict)

    def __post_init__(self):
        size = len(self.arrays["contact_id"])
        for name in LISTS:
            lengths = np.diff(self.arrays[f"{name}_offsets"])
            self.rows_of[name] = np.repeat(np.arange(size, dtype=np.int32), lengths)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    @property
    def size(self) -> int:
        return len(self.arrays["contact_id"])

    @property
    def nbytes(self) -> int:
        """The bytes of its arrays, with what searches derived and kept (bitmaps, points)."""
        kept = [*self.arrays.values(), *self.rows_of.values()]
        for value in list(self.memo.values()):  # a search may add to it meanwhile
            if isinstance(value, tuple):  # the steady points' slot: (key, arrays)
                value = value[1]
            kept += value.values() if isinstance(value, dict) else [getattr(value, "bits", value)]
        return sum(a.nbytes for a in kept if isinstance(a, np.ndarray))

    def remembered(self, key, compute):
        """`compute()`, once per snapshot and `key` (a race computes it twice, harmlessly)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def id_list(self, name: str, row: int) -> list[int]:
        offsets = self.arrays[f"{name}_offsets"]
        return self.arrays[f"{name}_values"][offsets[row] : offsets[row + 1]].tolist()

    def language_code(self, row: int) -> str:
        return str(self.arrays["languages"][self.arrays["language"][row]])

    def last_activity(self, row: int) -> date | None:
        value = self.arrays["last_activity_on"][row]
        return None if np.isnat(value) else value.astype(object)


# --- Building (the indexer) -------------------------------------------------------------------


def build_arrays() -> dict[str, np.ndarray]:
    """Read the index tables and the stored usage into arrays (two queries)."""
    entries, documents = _table(ReferenceEntry), _table(SearchDocument)
    usage = _table(ContactUsage)
    columns = ", ".join(f"e.{c}" for c in SCALARS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT account_id, name, tags, story FROM {documents} ORDER BY account_id")
        document_rows = cursor.fetchall()
        cursor.execute(
            f"SELECT e.contact_id, e.account_id, {columns}, e.language, e.nps, e.resting, e.own_cap, "
            f"e.last_activity_on, {', '.join(f'e.{c}' for c in LISTS)}, u.slots_left "
            f"FROM {entries} e LEFT JOIN {usage} u ON u.contact_id = e.contact_id ORDER BY e.contact_id"
        )
        entry_rows = cursor.fetchall()
    arrays = _document_arrays(document_rows)
    arrays |= _entry_arrays(entry_rows, arrays["document_account"])
    return arrays


def _entry_arrays(rows: list[tuple], document_account: np.ndarray) -> dict[str, np.ndarray]:
    columns = list(zip(*rows, strict=True)) if rows else [()] * (12 + len(SCALARS))
    contact_id, account_id, *rest = columns
    scalars, rest = rest[: len(SCALARS)], rest[len(SCALARS) :]
    language, nps, resting, own_cap, last_activity_on, *lists_and_usage = rest
    lists, slots_left = lists_and_usage[: len(LISTS)], lists_and_usage[len(LISTS)]
    if contact_id and max(contact_id) >= 2**32:  # matching.engine packs them into 32 bits of a key
        raise ValueError("The in-memory search index needs contact ids below 2**32.")
    languages = sorted(set(language))
    code_of = {code: i for i, code in enumerate(languages)}
    arrays = {
        "contact_id": np.array(contact_id, np.int64),
        "account_id": np.array(account_id, np.int64),
        "document": np.searchsorted(document_account, np.array(account_id, np.int64)).astype(np.int32),
        "languages": np.array(languages, dtype=str) if languages else np.zeros(0, "U2"),
        "language": np.array([code_of[code] for code in language], np.int16),
        "nps": np.array([NO_NPS if v is None else v for v in nps], np.int16),
        "resting": np.array(resting, bool),
        "own_cap": np.array([NO_CAP if v is None else v for v in own_cap], np.int32),
        "slots_left": np.array([NO_USAGE if v is None else v for v in slots_left], np.int32),
        "last_activity_on": _days(last_activity_on),
    }
    for name, values in zip(SCALARS, scalars, strict=True):
        arrays[name] = np.array(values, np.int32)
    for name, values in zip(LISTS, lists, strict=True):
        parsed = [_ids(v) for v in values]
        arrays[f"{name}_offsets"] = np.concatenate(([0], np.cumsum([len(v) for v in parsed]))).astype(
            np.int64
        )
        arrays[f"{name}_values"] = np.array([i for ids in parsed for i in ids], np.int32)
    return arrays


def _document_arrays(rows: list[tuple]) -> dict[str, np.ndarray]:
    """Each document's account, and the postings of every term."""
    term_ids: dict[str, int] = {}
    post_term, post_document, post_raw = [], [], []
    for row, (_account, name, tags, story) in enumerate(rows):
        for term, raw in document_weights(name, tags, story).items():
            post_term.append(term_ids.setdefault(term, len(term_ids)))
            post_document.append(row)
            post_raw.append(raw)
    terms = np.array(list(term_ids), dtype=str) if term_ids else np.zeros(0, "U1")
    order_of_terms = np.argsort(terms, kind="stable")
    rank = np.empty(len(terms), np.int64)
    rank[order_of_terms] = np.arange(len(terms))
    term_rank = rank[np.array(post_term, np.int64)] if post_term else np.zeros(0, np.int64)
    documents = np.array(post_document, np.int32)
    order = np.lexsort((documents, term_rank))
    return {
        "document_account": np.array([r[0] for r in rows], np.int64),
        "terms": terms[order_of_terms],
        "term_offsets": np.searchsorted(term_rank[order], np.arange(len(terms) + 1)).astype(np.int64),
        "post_document": documents[order],
        "post_raw": np.array(post_raw, np.int32)[order] if post_raw else np.zeros(0, np.int32),
    }


def _ids(value) -> list[int]:
    """An id list as stored (a list on PostgreSQL, JSON text on SQLite); its order does not matter."""
    if value is None or value == "":
        return []
    return json.loads(value) if isinstance(value, str) else value


def _days(values) -> np.ndarray:
    """Dates (date objects on PostgreSQL, ISO text on SQLite; None for never) as datetime64[D]."""
    return np.array(
        [None if v is None else (v if isinstance(v, date) else str(v)[:10]) for v in values], "datetime64[D]"
    )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# What a process serves before any version is published: every array, no rows.
EMPTY = Snapshot(arrays=_document_arrays([]) | _entry_arrays([], np.zeros(0, np.int64)))


# --- Publishing and loading -------------------------------------------------------------------


def serialize(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def deserialize(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def digest_of(arrays: dict[str, np.ndarray]) -> str:
    """A fingerprint of the content (not of the compressed bytes, which may vary)."""
    hasher = hashlib.sha256()
    for name in sorted(arrays):
        hasher.update(name.encode())
        hasher.update(np.ascontiguousarray(arrays[name]).tobytes())
    return hasher.hexdigest()


def usage_fingerprint() -> str:
    """What identifies the stored usage the ranking reads (each contact's free slots), cheaply."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(slots_left), 0), "
            "COALESCE(SUM(CAST(slots_left AS BIGINT) * contact_id), 0), "
            f"COALESCE(SUM(CAST(slots_left AS BIGINT) * (contact_id % 9973)), 0) FROM {_table(ContactUsage)}"
        )
        return ":".join(str(int(v)) for v in cursor.fetchone())


def usage_changed_since_published() -> bool:
    latest = SearchSnapshot.objects.order_by("-pk").values_list("usage_fingerprint", flat=True).first()
    return latest is None or latest != usage_fingerprint()


def publish_snapshot() -> SearchSnapshot | None:
    """Build the snapshot and store it as the newest version, unless it equals the newest one.

    Runs inside the index writer's transaction where there is one, so a version is never seen
    before the index rows it was built from are committed.
    """
    # Fingerprinted before the build: usage changed in between shows as a change next time.
    fingerprint = usage_fingerprint()
    arrays = build_arrays()
    digest = digest_of(arrays)
    latest = SearchSnapshot.objects.order_by("-pk").only("pk", "digest", "usage_fingerprint").first()
    if latest is not None and latest.digest == digest:
        if latest.usage_fingerprint != fingerprint:
            SearchSnapshot.objects.filter(pk=latest.pk).update(usage_fingerprint=fingerprint)
        return None
    snapshot = SearchSnapshot.objects.create(
        digest=digest,
        usage_fingerprint=fingerprint,
        data=serialize(arrays),
        entries=len(arrays["contact_id"]),
        documents=len(arrays["document_account"]),
        created_at=timezone.now(),
    )
    _drop_old_versions(
        keep=SearchSnapshot.objects.order_by("-pk").values_list("pk", flat=True)[:KEEP_VERSIONS]
    )
    return snapshot


def _drop_old_versions(keep: Iterable[int]) -> None:
    SearchSnapshot.objects.exclude(pk__in=list(keep)).delete()


def load_version(version: int) -> Snapshot | None:
    """The published snapshot `version`, or None if it is gone (a newer one replaced it)."""
    row = SearchSnapshot.objects.filter(pk=version).values_list("data", "digest").first()
    if row is None:
        return None
    data, digest = row
    return Snapshot(arrays=deserialize(bytes(data)), version=version, digest=digest)
