"""The Arrow adapter gives exactly what identify_many gives, row for row."""

from __future__ import annotations

import pickle
from typing import Any

import pyarrow as pa
import pytest

from xinchuang.catalog.identify import HINT_FIELDS, Identifier
from xinchuang.catalog.identify_arrow import identify_batch, identify_batches, with_identification

ROWS: list[dict[str, Any]] = [
    {
        "kind": "component",
        "name": "DmJdbcDriver18",
        "purl": "pkg:maven/com.dameng/DmJdbcDriver18@8",
    },
    {"kind": "software", "name": "mysql-server", "package_type": "deb", "version": "8.0.35"},
    {"kind": "software", "name": "mysql-server", "package_type": "deb", "version": "8.0.36"},
    {"kind": "software", "name": "Microsoft Office Professional Plus 2016", "package_type": "msi"},
    {"kind": "software", "name": "Oracle Databse"},
    {"kind": "software", "name": "柜面业务系统 V3.2"},
    {"kind": "cpu", "name": "", "cpu_vendor_id": "HygonGenuine"},
    {"kind": "cpu", "arm_implementer": "0x48", "arm_part": "0xd01"},
    {"kind": "os", "os_id": "kylin", "name": "Kylin Linux Advanced Server", "version": "V10"},
    {"kind": "os", "os_id": "kylin", "name": "Kylin Linux Advanced Server", "version": "V7"},
    {"kind": "machine", "dmi_vendor": "Huawei", "dmi_product": "TaiShan 200"},
    {"kind": None, "name": None},
    {"kind": "toaster", "name": "MySQL"},
]
SCHEMA = pa.schema([pa.field(name, pa.string()) for name in HINT_FIELDS])


def _batch(rows: list[dict[str, Any]], schema: pa.Schema = SCHEMA) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist(rows, schema=schema)


def test_arrow_adapter_equals_identify_many(identifier: Identifier) -> None:
    rows = ROWS * 3
    out = identify_batch(identifier, _batch(rows))
    expected = identifier.identify_many(rows)
    assert out.column("product_id").to_pylist() == [m.product_id for m in expected]
    assert out.column("confidence").to_pylist() == [m.confidence for m in expected]
    assert out.column("reason").to_pylist() == [m.reason for m in expected]
    assert out.schema == with_identification(SCHEMA)
    assert out.column("name").to_pylist() == [row.get("name") for row in rows]


def test_missing_columns_are_missing_hints(identifier: Identifier) -> None:
    schema = pa.schema([("name", pa.string()), ("package_type", pa.string())])
    rows = [
        {"name": "mysql-server", "package_type": "deb"},
        {"name": "鲲鹏920", "package_type": None},
    ]
    out = identify_batch(identifier, _batch(rows, schema))
    assert out.column("product_id").to_pylist() == ["mysql", "kunpeng-920"]


def test_dictionary_and_large_string_columns(identifier: Identifier) -> None:
    names = pa.array(["MySQL", "达梦数据库", "MySQL", None]).dictionary_encode()
    kinds = pa.array(["software"] * 4, pa.large_string())
    batch = pa.RecordBatch.from_arrays([kinds, names], names=["kind", "name"])
    out = identify_batch(identifier, batch)
    assert out.column("product_id").to_pylist() == ["mysql", "dm8", "mysql", None]


def test_result_columns_are_replaced_not_duplicated(identifier: Identifier) -> None:
    first = identify_batch(identifier, _batch(ROWS))
    again = identify_batch(identifier, first)
    assert again.schema.names == first.schema.names
    assert again.column("product_id") == first.column("product_id")


def test_empty_batch(identifier: Identifier) -> None:
    out = identify_batch(identifier, _batch([]))
    assert out.num_rows == 0
    assert out.schema == with_identification(SCHEMA)


@pytest.mark.parametrize("cache_size", [0, 2])
def test_a_stream_of_batches_through_a_shipped_identifier(
    identifier: Identifier, cache_size: int
) -> None:
    # What a Spark executor does: unpickle the broadcast matcher, map the batches.
    shipped = pickle.loads(pickle.dumps(identifier.with_cache_size(cache_size)))
    batches = [_batch(ROWS[:5]), _batch(ROWS[5:])]
    outs = list(identify_batches(shipped, batches))
    got = [pid for out in outs for pid in out.column("product_id").to_pylist()]
    assert got == [m.product_id for m in identifier.identify_many(ROWS)]
