"""`lists update` / `lists info` and the cache, against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.lists.cache import lists_dir, load_default, read_pointer
from exportscreen.lists.update import UpdateError, update_list

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
GOOD = (LISTS / "csl_sample.csv").read_bytes()


def _changed() -> bytes:
    lines = GOOD.split(b"\n")
    return b"\n".join([lines[0], *lines[2:]])  # first record removed


ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/good.csv": (200, "text/csv; charset=utf-8", GOOD),
    "/good.json": (200, "application/json", (LISTS / "csl_sample.json").read_bytes()),
    "/changed.csv": (200, "text/csv", _changed()),
    "/corrupt.csv": (200, "text/csv", (LISTS / "bad" / "corrupt_binary.csv").read_bytes()),
    "/unclosed.csv": (200, "text/csv", (LISTS / "bad" / "unclosed_quote.csv").read_bytes()),
    "/not-a-list.csv": (200, "text/csv", (LISTS / "bad" / "not_a_list.csv").read_bytes()),
    "/login.html": (200, "text/html; charset=utf-8", b"<html><body>Sign in</body></html>"),
    "/empty.csv": (200, "text/csv", b""),
    "/binary.csv": (200, "application/octet-stream", bytes(range(256)) * 8),
    "/good.csv.gz": (200, "application/gzip", gzip.compress(GOOD, mtime=0)),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/truncated.csv":  # promises the whole file, sends half, hangs up
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD[: len(GOOD) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        status, kind, body = ROUTES.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _state() -> tuple[bytes | None, list[str]]:
    pointer = lists_dir() / "current.json"
    data = pointer.read_bytes() if pointer.exists() else None
    files = sorted(str(p.relative_to(lists_dir())) for p in lists_dir().rglob("*")) \
        if lists_dir().exists() else []
    return data, files


def test_default_is_the_snapshot_when_nothing_is_cached() -> None:
    lst = xs.load_list("default")
    assert lst.provenance.path == "<embedded>/csl_2022-05.csv.gz"
    assert lst.provenance.retrieved_at is None
    line = xs.describe_list(lst, today=dt.date(2026, 11, 28))
    assert "embedded snapshot" in line and "14160 entries" in line
    assert "as of 2022-05-16 (1657 days old" in line and "lists update" in line


def test_good_update_is_installed_and_used_by_default(server: str) -> None:
    result = update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    assert result.entries == 42 and result.previous_entries == 14160
    assert "added" in result.diff_summary
    assert result.path.read_bytes() == GOOD
    lst = load_default()
    assert len(lst) == 42 and lst.provenance.retrieved_at is not None
    assert lst.provenance.url == f"{server}/good.csv"
    assert lst.entries == xs.load_list(LISTS / "csl_sample.csv").entries
    assert "as of" in xs.describe_list(lst) and "(0 days old" in xs.describe_list(lst)


def test_gzipped_download_is_accepted(server: str) -> None:
    update_list(f"{server}/good.csv.gz", min_ratio=0, progress=False)
    assert load_default().entries == xs.load_list(LISTS / "csl_sample.csv").entries


def test_json_download_is_accepted(server: str) -> None:
    update_list(f"{server}/good.json", min_ratio=0, progress=False)
    pointer = read_pointer()
    assert pointer is not None and pointer["format"] == "csl-json"
    assert len(load_default()) == 42


@pytest.mark.parametrize(
    ("route", "message"),
    [("/truncated.csv", "truncated"),
     ("/corrupt.csv", "not a readable gzip file"),
     ("/binary.csv", "not a text file"),
     ("/unclosed.csv", "malformed CSV"),
     ("/not-a-list.csv", "missing required column"),
     ("/login.html", "content type 'text/html'"),
     ("/missing.csv", "HTTP 404"),
     ("/empty.csv", "empty")],
)
def test_failed_update_keeps_the_previous_list(server: str, route: str, message: str) -> None:
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    before = _state()
    with pytest.raises(UpdateError, match=message):
        update_list(f"{server}{route}", min_ratio=0, progress=False)
    assert _state() == before  # not a byte changed, no temp files left behind
    assert len(load_default()) == 42


def test_failed_first_update_leaves_the_snapshot_in_use(server: str) -> None:
    with pytest.raises(UpdateError):
        update_list(f"{server}/truncated.csv", min_ratio=0, progress=False)
    assert read_pointer() is None
    assert len(load_default()) == 14160


def test_a_list_much_smaller_than_the_current_one_is_refused(server: str) -> None:
    with pytest.raises(UpdateError, match="fewer than 7080"):
        update_list(f"{server}/good.csv", progress=False)
    assert read_pointer() is None


def test_unreachable_server_fails_cleanly() -> None:
    with pytest.raises(UpdateError, match="download failed"):
        update_list("http://127.0.0.1:9/never.csv", min_ratio=0, timeout=2, progress=False)


def test_second_update_keeps_previous_version_and_reports_the_diff(server: str) -> None:
    first = update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    second = update_list(f"{server}/changed.csv", min_ratio=0, progress=False)
    assert second.diff_summary == "0 added, 1 removed, 0 changed, 41 unchanged"
    versions = sorted(p.name for p in lists_dir().iterdir() if p.is_dir())
    assert versions == sorted({first.sha256[:16], second.sha256[:16]})
    third = update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    assert third.diff_summary == "1 added, 0 removed, 0 changed, 41 unchanged"
    assert len(load_default()) == 42


def test_interrupted_pointer_swap_leaves_the_old_list(server: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    before = (lists_dir() / "current.json").read_bytes()

    real_replace = os.replace

    def crash(src: str, dst: str) -> None:  # the version folder moves, the pointer swap fails
        if str(dst).endswith("current.json"):
            raise OSError("disk full")
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", crash)
        with pytest.raises(UpdateError, match=r"cannot install the list .*disk full"):
            update_list(f"{server}/changed.csv", min_ratio=0, progress=False)
    assert (lists_dir() / "current.json").read_bytes() == before
    assert not [p for p in lists_dir().iterdir() if p.name.startswith(".")]
    assert len(load_default()) == 42


def test_a_tampered_cache_is_not_used(server: str) -> None:
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    pointer = read_pointer()
    assert pointer is not None
    blob = lists_dir() / pointer["version"] / "entries.json.gz"
    blob.write_bytes(blob.read_bytes()[:-10])
    lst = load_default()
    assert len(lst) == 14160
    assert any("could not be used" in n for n in lst.provenance.notices)
    assert "could not be used" in xs.describe_list(lst)


def test_cli_update_and_info(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lists", "update", "--url", f"{server}/good.csv", "--min-ratio", "0",
                 "--no-progress"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["entries"] == 42
    assert "installed 42 entries" in out.err
    assert main(["lists", "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert {"source", "entries", "snapshot_date", "sha256", "path"} <= set(info)
    assert info["entries"] == 42 and info["cached"] is True
    assert info["path"].endswith("list.csv") and Path(info["path"]).is_file()


def test_cli_update_failure_exits_non_zero(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lists", "update", "--url", f"{server}/login.html", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "list update failed" in err and "unchanged" in err


def test_cli_info_table_and_json_for_the_snapshot(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lists", "info"]) == 0
    table = capsys.readouterr().out
    assert "entries on entity_list" in table and "2001" in table
    assert main(["lists", "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["entries"] == 14160 and info["snapshot_date"] == "2022-05-16"
    assert info["sha256"] == "80e780b91b7b50e193c0077b17d75ec6f6dbd8223ae0bd54b343d297db5e767f"


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exportscreen.lists.cache import cache_dir

    monkeypatch.setenv("EXPORTSCREEN_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("EXPORTSCREEN_CACHE")
    assert "exportscreen" in str(cache_dir())


def test_cli_in_a_fresh_process(server: str) -> None:
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "exportscreen", "lists", *args],
                              capture_output=True, text=True, env=dict(os.environ), timeout=120)

    info = run("info", "--format", "json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["entries"] == 14160
    failed = run("update", "--url", f"{server}/missing.csv", "--no-progress")
    assert failed.returncode == 1 and "HTTP 404" in failed.stderr
    assert "Traceback" not in failed.stderr
    usage = run("update", "--min-ratio", "2", "--url", f"{server}/good.csv")
    assert usage.returncode == 2 and "min_ratio" in usage.stderr
