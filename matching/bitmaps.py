"""Packed bitmaps: for each facet value, one bit per reference of a snapshot (matching/snapshot.py).

A filter is the OR of its values' bitmaps, the rows two filters allow are an AND, and a facet's
counts within some rows are the popcounts of each value's bitmap ANDed with theirs: the cost is
the number of values times N / 8 bytes, however many references match. Built once per snapshot
(on load, `matching.engine.prepare`) and kept with it.
"""

from dataclasses import dataclass

import numpy as np

from matching.facets import FacetSpec
from matching.snapshot import Snapshot


def facet_mask(snapshot: Snapshot, spec: FacetSpec, values: tuple) -> np.ndarray:
    """The rows having any of `values` in the facet (packed bits)."""
    bitmaps = bitmaps_of(snapshot, spec)
    chosen = [bitmaps.index[str(v)] for v in values if str(v) in bitmaps.index]
    if not chosen:
        return np.zeros(bitmaps.bits.shape[1], np.uint8)
    return np.bitwise_or.reduce(bitmaps.bits[chosen], axis=0)


@dataclass(frozen=True)
class Bitmaps:
    """One facet's rows per value: a packed bit row (1 bit per entry) for each value, so a filter is
    an OR of a few rows and a count is a popcount of an AND, whatever the number of matches."""

    keys: list[str]  # the values as text (ids, language codes)
    index: dict[str, int]
    bits: np.ndarray  # (values, ceil(entries / 8)) uint8


def bitmaps_of(snapshot: Snapshot, spec: FacetSpec) -> Bitmaps:
    return snapshot.remembered(("bitmaps", spec.key), lambda: _build(snapshot, spec))


def _build(snapshot: Snapshot, spec: FacetSpec) -> Bitmaps:
    if spec.many:
        values, rows = snapshot[f"{spec.column}_values"], snapshot.rows_of[spec.column]
    else:
        values, rows = (
            snapshot["language" if spec.key == "language" else spec.column],
            np.arange(snapshot.size),
        )
    distinct = np.unique(values)
    bits = np.zeros((len(distinct), _width(snapshot)), np.uint8)
    for at, value in enumerate(distinct):  # one value at a time: no values × entries temporary
        mask = np.zeros(snapshot.size, bool)
        mask[rows[values == value]] = True
        bits[at] = np.packbits(mask)
    if spec.key == "language":
        keys = snapshot["languages"][distinct].tolist()
    else:
        keys = [str(v) for v in distinct.tolist()]
    return Bitmaps(keys=keys, index={key: i for i, key in enumerate(keys)}, bits=bits)


def _width(snapshot: Snapshot) -> int:
    return (snapshot.size + 7) // 8


def packed(mask: np.ndarray) -> np.ndarray:
    """A boolean row mask as packed bits."""
    return np.packbits(mask)


def count_of(bits: np.ndarray) -> int:
    """How many rows packed `bits` hold."""
    return int(np.bitwise_count(bits).sum())


def rows_of(snapshot: Snapshot, bits: np.ndarray) -> np.ndarray:
    """The row numbers packed `bits` hold, in order."""
    return np.flatnonzero(np.unpackbits(bits, count=snapshot.size))


def all_of(base: np.ndarray, masks) -> np.ndarray:
    """The rows in `base` and in every one of `masks` (all packed)."""
    result = base.copy()
    for mask in masks:
        result &= mask
    return result


def whole_counts(snapshot: Snapshot, spec: FacetSpec) -> dict[str, int]:
    return snapshot.remembered(
        ("counts", spec.key), lambda: counts_within(snapshot, spec, everyone(snapshot))
    )


def everyone(snapshot: Snapshot) -> np.ndarray:
    return snapshot.remembered("everyone", lambda: packed(np.ones(snapshot.size, bool)))


def counts_within(snapshot: Snapshot, spec: FacetSpec, scope: np.ndarray) -> dict[str, int]:
    """Each value's rows within `scope` (packed bits), the values with none left out."""
    bitmaps = bitmaps_of(snapshot, spec)
    tally = np.bitwise_count(bitmaps.bits & scope).sum(axis=1, dtype=np.int64).tolist()
    return {key: n for key, n in zip(bitmaps.keys, tally, strict=True) if n}
