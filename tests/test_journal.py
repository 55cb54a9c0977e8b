"""The responses journal: resume keys, torn-tail repair, malformed lines, the one-writer lock."""

from __future__ import annotations

import orjson
import pytest

from chukmath.errors import InputError, OutputError
from chukmath.records import Response
from chukmath.teach import Journal, compact_key, final_responses, read_journal


def resp(rid: str, sample: int = 0, *, ok: bool = True, content: str = "x") -> Response:
    return Response(
        request_id=rid, sample=sample, teacher="t", model="m", content=content if ok else None,
        error=None if ok else {"kind": "http_5xx", "message": "HTTP 503"},
    )


RID = "0123456789abcdef" * 2


def test_success_keys_are_done_errors_are_not(tmp_path):
    path = tmp_path / "j.jsonl"
    with Journal(path) as j:
        j.append(resp(RID, 0))
        j.append(resp(RID, 1, ok=False))
        j.append(resp("not-a-hex-id", 0))
    with Journal(path) as j:
        assert j.is_done(RID, 0)
        assert not j.is_done(RID, 1)
        assert j.is_done("not-a-hex-id", 0)
        assert (j.stats.lines, j.stats.successes, j.stats.errors) == (3, 2, 1)
        assert j.stats.errors_by_kind == {"http_5xx": 1}
        assert j.mark(RID, 1) is True
        assert j.mark(RID, 1) is False  # a duplicate in the input is claimed once


def test_compact_keys_distinguish_samples_and_ids():
    assert compact_key(RID, 0) != compact_key(RID, 1)
    assert compact_key(RID, 0) != compact_key("f" * 32, 0)
    assert compact_key("abc", 3) == compact_key("abc", 3)


def test_torn_last_line_is_repaired_on_open(tmp_path):
    path = tmp_path / "j.jsonl"
    with Journal(path) as j:
        j.append(resp(RID, 0))
    whole = path.read_bytes()
    with path.open("ab") as fh:
        fh.write(b'{"request_id": "aaaa", "sam')
    with Journal(path) as j:
        assert j.stats.repaired_bytes == len(b'{"request_id": "aaaa", "sam')
        assert j.stats.lines == 1
    assert path.read_bytes() == whole


def test_malformed_middle_line_names_file_and_line(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_bytes(orjson.dumps(resp(RID).to_dict()) + b"\nnot json\n" + orjson.dumps(resp(RID, 1).to_dict()) + b"\n")
    with pytest.raises(InputError, match=r"j\.jsonl:2"):
        Journal(path)
    # The failed open released its lock: a fixed file opens.
    path.write_bytes(orjson.dumps(resp(RID).to_dict()) + b"\n")
    with Journal(path) as j:
        assert j.is_done(RID, 0)


def test_a_second_writer_is_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    with Journal(path), pytest.raises(OutputError, match="another chukmath run"):
        Journal(path)
    with Journal(path):
        pass


def test_final_responses_last_success_wins(tmp_path):
    path = tmp_path / "j.jsonl"
    with Journal(path) as j:
        j.append(resp(RID, 0, ok=False))
        j.append(resp(RID, 0, content="first"))
        j.append(resp(RID, 0, ok=False))
        j.append(resp(RID, 0, content="second"))
        j.append(resp(RID, 1, ok=False))
    best = final_responses(path)
    assert best[(RID, 0)].content == "second"
    assert not best[(RID, 1)].ok
    assert [n for n, _ in read_journal(path)] == [1, 2, 3, 4, 5]
