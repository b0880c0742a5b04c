"""A batch of results crosses the process boundary unchanged."""

from __future__ import annotations

import pickle

from xinchuang.scan.finding import BatchResult, Document, FileStats, Finding, SqlObject


def test_a_batch_pickles_back_to_an_equal_batch() -> None:
    finding = Finding(
        rule="DB101",
        family="database",
        path="a.sql",
        line=3,
        column=8,
        severity="blocker",
        per_target={"tidb": "blocker"},
        effort_minutes=10.0,
        message="ROWNUM",
        detail={"sql_origin": "file"},
        root="src",
    )
    batch = BatchResult(
        findings=[finding],
        objects=[
            SqlObject("a.sql", 1, "TABLE", "LOANS", [], "src"),
            SqlObject("a.sql", 3, "QUERY", None, ["DB101", "DB105"], "src"),
        ],
        documents=[Document("b.docm", True, 2, "src")],
        stats=FileStats(files=2, lines=10, bytes=100, skipped=1),
    )
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(batch, protocol)) == batch
    assert pickle.loads(pickle.dumps(BatchResult())) == BatchResult()
