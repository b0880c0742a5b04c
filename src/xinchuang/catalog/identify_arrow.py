"""The identification kernel over Arrow record batches (the only module that imports pyarrow).

A batch holds string columns named like the :class:`~xinchuang.models.asset.AssetRecord`
hint fields (any subset; a missing column is a missing hint). The batch's
distinct hint tuples are found with Arrow's dictionary encoding and NumPy,
each is identified once through the :class:`Identifier` (and its cache), and
the results are spread back with one ``take``: Python runs per distinct tuple,
not per row. The same function runs inside Spark::

    identifier = Identifier.from_catalog(catalog)          # broadcast it
    df.mapInArrow(lambda batches: identify_batches(identifier, batches),
                  with_identification(df_arrow_schema))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from xinchuang.catalog.identify import KEY_FIELDS, Identifier, Match

OUTPUT_FIELDS: tuple[tuple[str, Any], ...] = (
    ("product_id", pa.string()),
    ("confidence", pa.float64()),
    ("reason", pa.string()),
    ("match_level", pa.string()),
    ("origin", pa.string()),
    ("layer", pa.string()),
)
_OUTPUT_NAMES = frozenset(name for name, _type in OUTPUT_FIELDS)
_CODE_LIMIT = 1 << 62


def with_identification(schema: pa.Schema) -> pa.Schema:
    """``schema`` with the result columns appended (replacing any of the same name)."""
    kept = [field for field in schema if field.name not in _OUTPUT_NAMES]
    return pa.schema([*kept, *(pa.field(name, type_) for name, type_ in OUTPUT_FIELDS)])


def _encoded(column: pa.Array) -> tuple[np.ndarray[Any, Any], list[Any]]:
    """Per-row codes (nulls → the last code) and the values they stand for (None last)."""
    if not pa.types.is_dictionary(column.type):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            column = pc.cast(column, pa.string())
        column = column.dictionary_encode()
    dictionary = column.dictionary
    values: list[Any] = [*dictionary.to_pylist(), None]
    codes = pc.fill_null(column.indices, len(dictionary)).to_numpy(zero_copy_only=False)
    return codes.astype(np.int64, copy=False), values


def identify_batch(identifier: Identifier, batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` with the result columns appended: product, confidence, reason, level, origin
    and layer (see :class:`~xinchuang.catalog.identify.Match`)."""
    rows = batch.num_rows
    names = batch.schema.names
    present = [name for name in KEY_FIELDS if name in names]
    hint_columns = list(present)
    if "version" in names:
        hint_columns.append("version")

    combined = np.zeros(rows, dtype=np.int64)
    span = 1
    decoded: list[tuple[str, np.ndarray[Any, Any], list[Any]]] = []
    os_rows: np.ndarray[Any, Any] | None = None
    if "kind" in names:
        os_rows = np.asarray(
            pc.fill_null(pc.equal(batch.column("kind").cast(pa.string()), "os"), False)
        )
    for name in hint_columns:
        codes, values = _encoded(batch.column(name))
        if name == "version" and os_rows is not None:
            # A version decides only os records: elsewhere it must not split the groups.
            codes = np.where(os_rows, codes, len(values) - 1)
        cardinality = len(values)
        if span * cardinality >= _CODE_LIMIT:
            _unique, combined = np.unique(combined, return_inverse=True)
            combined = combined.astype(np.int64, copy=False)
            span = int(combined.max(initial=0)) + 1
        combined = combined * cardinality + codes
        span *= cardinality
        decoded.append((name, codes, values))

    _unique, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    distinct: list[dict[str, Any]] = [{} for _ in range(len(first))]
    for name, codes, values in decoded:
        for row, code in zip(distinct, codes[first].tolist(), strict=True):
            row[name] = values[code]
    matches: list[Match] = identifier.identify_many(distinct)

    take = pa.array(inverse.reshape(-1).astype(np.int64, copy=False))
    product_ids = pa.array([m.product_id for m in matches], pa.string()).take(take)
    confidences = pa.array([m.confidence for m in matches], pa.float64()).take(take)
    reasons = pa.array([m.reason for m in matches], pa.string()).take(take)
    levels = pa.array([m.level for m in matches], pa.string()).take(take)
    origins = pa.array([m.origin for m in matches], pa.string()).take(take)
    layers = pa.array([m.layer for m in matches], pa.string()).take(take)

    kept = [i for i, name in enumerate(names) if name not in _OUTPUT_NAMES]
    return pa.RecordBatch.from_arrays(
        [
            *(batch.column(i) for i in kept),
            product_ids,
            confidences,
            reasons,
            levels,
            origins,
            layers,
        ],
        schema=with_identification(batch.schema),
    )


def identify_batches(
    identifier: Identifier, batches: Iterable[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Identify a stream of batches lazily (the shape Spark's ``mapInArrow`` wants)."""
    for batch in batches:
        yield identify_batch(identifier, batch)
