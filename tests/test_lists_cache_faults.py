"""The list cache under real faults: concurrent updates in separate processes, kill -9 in
the middle of a download, a truncated pointer, and decompression bombs.

Everything is served from 127.0.0.1; bombs are written to disk block by block (never held
in memory) and small caps keep the test fast.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import types
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.errors import InputError
from exportscreen.lists.cache import (
    STAGING_PREFIX,
    cache_lock,
    lists_dir,
    load_cached,
    load_default,
    read_pointer,
    stale_list_warning,
)
from exportscreen.lists.unpack import UnpackLimitError, UnpackLimits, gunzip, parse_size
from exportscreen.lists.update import UpdateError, list_sources, update_list
from exportscreen.report.html import list_warnings, render_html
from exportscreen.report.summary import format_summary

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
GOOD = (LISTS / "csl_sample.csv").read_bytes()
MIB = 1024 * 1024


def _variant(drop: int) -> bytes:
    """The sample CSL without record *drop*: a distinct list (a distinct cache version)."""
    lines = GOOD.split(b"\n")
    return b"\n".join([lines[0], *lines[1:drop + 1], *lines[drop + 2:]])


VARIANTS = {f"/v{i}.csv": _variant(i) for i in range(4)}
FILES: dict[str, Path] = {}  # bombs and other files served from disk, set by tests


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.csv":  # a trickle: 256 bytes every 50 ms, for up to 60 s
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(GOOD) * 100))
            self.end_headers()
            deadline = time.monotonic() + 60
            try:
                while time.monotonic() < deadline:
                    self.wfile.write(GOOD[:256])
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:  # the client is gone (killed)
                pass
            return
        if self.path in FILES:
            path = FILES[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(path.stat().st_size))
            self.end_headers()
            with path.open("rb") as fh:
                while chunk := fh.read(256 * 1024):
                    self.wfile.write(chunk)
            return
        body = VARIANTS.get(self.path) or (GOOD if self.path == "/good.csv" else None)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
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


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EXPORTSCREEN_CACHE", str(folder))
    return folder


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "exportscreen", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def _assert_pointer_valid(source: str = "csl") -> dict[str, object]:
    pointer = read_pointer(source)
    assert pointer is not None
    folder = lists_dir(source) / str(pointer["version"])
    assert folder.is_dir(), f"current.json names {folder.name}, which does not exist"
    lst, problem = load_cached(source)
    assert problem is None and lst is not None and len(lst) == pointer["entries"]
    return pointer


# ----------------------------------------------------------------------------- concurrency


def test_four_concurrent_updates_ten_rounds_never_leave_a_dangling_pointer(server: str) -> None:
    installed_versions: set[str] = set()
    for round_number in range(10):
        runs = [_cli("lists", "update", "--url", f"{server}/v{(i + round_number) % 4}.csv",
                     "--min-ratio", "0", "--no-progress") for i in range(4)]
        read_failures = []
        while any(run.poll() is None for run in runs):  # read while they install
            _lst, problem = load_cached("csl")
            if problem is not None:
                read_failures.append(problem)
            time.sleep(0.02)  # leave the CPU to the updates
        outputs = [run.communicate(timeout=120) for run in runs]
        for run, (out, err) in zip(runs, outputs, strict=True):
            assert run.returncode == 0, err
            assert json.loads(out)["entries"] == 41
        assert read_failures == [], f"round {round_number}: {read_failures[:3]}"
        pointer = _assert_pointer_valid()
        installed_versions.add(str(pointer["version"]))
        versions = [p for p in lists_dir().iterdir() if p.is_dir()]
        assert not [p for p in versions if p.name.startswith(STAGING_PREFIX)]
        assert len(versions) <= 2  # the installed list and the one it replaced
        assert load_default().provenance.retrieved_at is not None  # never the snapshot
    assert len(installed_versions) > 1


def test_the_install_waits_for_the_lock(server: str) -> None:
    base = lists_dir()
    with cache_lock(base):
        run = _cli("lists", "update", "--url", f"{server}/v1.csv", "--min-ratio", "0",
                   "--no-progress")
        deadline = time.monotonic() + 60
        # the download and validation go ahead; the install waits for the lock
        while not any(p.name.startswith(STAGING_PREFIX) and (p / "version").exists()
                      for p in base.iterdir()):
            assert run.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        assert run.poll() is None and read_pointer() is None
    _out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    _assert_pointer_valid()


# ----------------------------------------------------------------------------- kill -9


def _wait_for_staging(base: Path, exclude: set[str], timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if base.is_dir():
            for p in base.iterdir():
                download = p / "list.csv"
                if p.name.startswith(STAGING_PREFIX) and p.name not in exclude and \
                        download.exists() and download.stat().st_size > 0:
                    return p
        time.sleep(0.05)
    raise AssertionError("no staging folder appeared")


def test_kill_9_during_a_download_leaves_staging_that_the_next_update_removes(
        server: str) -> None:
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    base = lists_dir()
    slow = _cli("lists", "update", "--url", f"{server}/slow.csv", "--no-progress")
    dead = _wait_for_staging(base, set())
    os.kill(slow.pid, signal.SIGKILL)
    slow.communicate(timeout=30)
    assert slow.returncode == -signal.SIGKILL
    assert dead.is_dir()  # what kill -9 leaves behind
    _assert_pointer_valid()  # the installed list is untouched

    ok = _cli("lists", "update", "--url", f"{server}/v1.csv", "--min-ratio", "0",
              "--no-progress")
    _out, err = ok.communicate(timeout=120)
    assert ok.returncode == 0, err
    assert f"removed {dead.name}, left by an interrupted update" in err
    assert not dead.exists()

    # a download that is still running is not "stale": its staging folder stays
    alive = _cli("lists", "update", "--url", f"{server}/slow.csv", "--no-progress")
    try:
        live = _wait_for_staging(base, set())
        result = update_list(f"{server}/v2.csv", min_ratio=0, progress=False)
        assert result.removed_staging == () and live.is_dir()
    finally:
        os.kill(alive.pid, signal.SIGKILL)
        alive.communicate(timeout=30)
    result = update_list(f"{server}/v3.csv", min_ratio=0, progress=False)
    assert live.name in result.removed_staging and not live.exists()
    _assert_pointer_valid()


def test_even_a_failed_update_cleans_stale_staging(server: str) -> None:
    base = lists_dir()
    base.mkdir(parents=True)
    orphan = base / f"{STAGING_PREFIX}orphan"  # its owner died: nobody holds its lock
    orphan.mkdir()
    (orphan / ".owner.lock").touch()
    (orphan / "list.csv").write_bytes(GOOD[:100])
    old = base / f"{STAGING_PREFIX}old-unlocked"  # killed before it could lock, long ago
    old.mkdir()
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    fresh = base / f"{STAGING_PREFIX}fresh-unlocked"  # being created right now: kept
    fresh.mkdir()
    (base / ".current.json.abc.tmp").write_bytes(b"{")  # a pointer write cut short
    with pytest.raises(UpdateError, match="HTTP 404"):
        update_list(f"{server}/missing.csv", min_ratio=0, progress=False)
    assert not orphan.exists() and not old.exists() and fresh.is_dir()
    assert not (base / ".current.json.abc.tmp").exists()


# ----------------------------------------------------------------------------- damaged pointer


def test_a_truncated_pointer_falls_back_to_the_snapshot_with_a_notice(
        server: str, capsys: pytest.CaptureFixture[str]) -> None:
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    pointer = lists_dir() / "current.json"
    data = pointer.read_bytes()
    pointer.write_bytes(data[: len(data) // 2])
    lst = load_default()
    assert len(lst) == 14160 and lst.provenance.path.startswith("<embedded>")
    notices = [n for n in lst.provenance.notices if "could not be used" in n]
    assert notices and "current.json" in notices[0] and "embedded snapshot" in notices[0]
    assert "notice: the cache pointer could not be used" in xs.describe_list(lst)

    assert main(["lists", "info", "--format", "json"]) == 0
    out = capsys.readouterr()
    info = json.loads(out.out)
    assert info["entries"] == 14160 and any("could not be used" in n for n in info["notices"])
    assert info["installed"]["csl"]["usable"] is False

    # every report carries it: the list provenance, the HTML warnings, the summary
    run = types.SimpleNamespace(provenance={"list": lst.provenance.model_dump(mode="json")})
    assert any("could not be used" in w for w in list_warnings(run))  # type: ignore[arg-type]

    # the next update repairs the cache
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    _assert_pointer_valid()


@pytest.mark.parametrize("damage", [b"", b"\xff\xfe\x00junk", b"[1, 2]", b'{"version": "x"'])
def test_any_damaged_pointer_is_reported(server: str, damage: bytes) -> None:
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    (lists_dir() / "current.json").write_bytes(damage)
    lst, problem = load_cached("csl")
    assert lst is None and problem is not None and "current.json" in problem
    assert read_pointer() is None


def test_damaged_pointer_notice_on_stderr_of_a_command(server: str) -> None:
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    pointer = lists_dir() / "current.json"
    pointer.write_bytes(pointer.read_bytes()[:40])
    run = _cli("lists", "info")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert "notice: the cache pointer could not be used" in err
    assert "could not be used" in out


# ----------------------------------------------------------------------------- bombs


def _deflate_segments(parts: list[tuple[bytes, int]]) -> Iterator[tuple[bytes, bytes]]:
    """(raw piece, deflate bytes) per repetition. A full flush after each piece makes its
    deflate bytes independent of what came before, so one compressed block is written
    again and again: a gigabyte costs a megabyte of disk and no compression time."""
    for index, (piece, times) in enumerate(parts):
        last = index == len(parts) - 1
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH)
        for _ in range(times - (1 if last else 0)):
            yield piece, block
        if last:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            yield piece, packer.compress(piece) + packer.flush(zlib.Z_FINISH)


def _write_deflate(fh: object, parts: list[tuple[bytes, int]]) -> tuple[int, int, int]:
    crc = size = packed = 0
    for piece, block in _deflate_segments(parts):
        crc = zlib.crc32(piece, crc)
        size += len(piece)
        packed += len(block)
        fh.write(block)  # type: ignore[attr-defined]
    return crc, size, packed


def write_zip_bomb(path: Path, member: str, parts: list[tuple[bytes, int]]) -> int:
    """A valid zip (zip64 sizes) of one member made of *parts*; returns the unpacked size."""
    name = member.encode()
    zip64_local = struct.pack("<HHQQ", 1, 16, 0, 0)
    with path.open("wb") as fh:
        fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, 0, 0xFFFFFFFF,
                             0xFFFFFFFF, len(name), len(zip64_local)) + name + zip64_local)
        crc, size, packed = _write_deflate(fh, parts)
        central_at = fh.tell()
        # patch the local header: crc and the zip64 sizes
        fh.seek(14)
        fh.write(struct.pack("<I", crc))
        fh.seek(30 + len(name) + 4)
        fh.write(struct.pack("<QQ", size, packed))
        fh.seek(central_at)
        extra = struct.pack("<HHQQ", 1, 16, size, packed)
        central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc,
                              0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, 0)
        fh.write(central + name + extra)
        central_size = fh.tell() - central_at
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, central_size, central_at, 0))
    return size


def write_gzip_bomb(path: Path, parts: list[tuple[bytes, int]]) -> int:
    with path.open("wb") as fh:
        fh.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
        crc, size, _packed = _write_deflate(fh, parts)
        fh.write(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return size


XML_HEAD = (b'<?xml version="1.0" encoding="utf-8"?>\n<sanctionsData xmlns="https://'
            b'sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML">')
SPACES = b" " * MIB  # whitespace text: an XML tree builder would keep all of it in memory


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    made = {
        "1g.zip": write_zip_bomb(folder / "1g.zip", "SDN_ENHANCED.XML",
                                 [(XML_HEAD, 1), (SPACES, 1024), (b"</sanctionsData>", 1)]),
        "4g.zip": write_zip_bomb(folder / "4g.zip", "SDN_ENHANCED.XML",
                                 [(XML_HEAD, 1), (SPACES, 4096), (b"</sanctionsData>", 1)]),
        "2g.csv.gz": write_gzip_bomb(folder / "2g.csv.gz",
                                     [(b"_id,source,name\n", 1), (SPACES, 2048)]),
    }
    assert made["1g.zip"] > 1024 * MIB and made["4g.zip"] > 4096 * MIB
    assert made["2g.csv.gz"] > 2048 * MIB
    sizes = {name: (folder / name).stat().st_size for name in made}
    assert sizes["1g.zip"] < 1.1 * MIB and sizes["4g.zip"] < 4.2 * MIB
    assert sizes["2g.csv.gz"] < 2.1 * MIB
    return {name: folder / name for name in made}


def test_the_bombs_are_genuine(bombs: dict[str, Path]) -> None:
    import zipfile

    with zipfile.ZipFile(bombs["4g.zip"]) as archive:
        info = archive.getinfo("SDN_ENHANCED.XML")
        assert info.file_size > 4096 * MIB
        with archive.open(info) as stream:
            assert stream.read(len(XML_HEAD)) == XML_HEAD
    with gzip.open(bombs["2g.csv.gz"]) as stream:
        assert stream.read(16) == b"_id,source,name\n" and stream.read(MIB) == SPACES


@pytest.mark.parametrize("name", ["1g.zip", "4g.zip", "2g.csv.gz"])
def test_a_bomb_given_with_list_exits_2_naming_the_file(bombs: dict[str, Path],
                                                        name: str) -> None:
    # the peak from /proc (VmHWM starts at the exec): getrusage's ru_maxrss in the child of
    # a large parent (pytest with pandas and pyarrow) can report the parent's peak
    code = ("import sys\nfrom exportscreen.cli import main\n"
            "code = main(sys.argv[1:])\n"
            "hwm = [x.split()[1] for x in open('/proc/self/status') if x.startswith('VmHWM')]\n"
            "print('maxrss_kib', hwm[0], file=sys.stderr)\nsys.exit(code)\n")
    run = subprocess.run(
        [sys.executable, "-c", code, "match", "Acme", "--list", str(bombs[name])],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "EXPORTSCREEN_MAX_UNPACKED_BYTES": "32M"})
    assert run.returncode == 2, run.stderr
    assert str(bombs[name]) in run.stderr and "decompression bomb" in run.stderr
    assert "Traceback" not in run.stderr
    peak_mib = int(run.stderr.rsplit("maxrss_kib", 1)[1].split()[0]) / 1024
    assert peak_mib < 600, f"peak memory {peak_mib:.0f} MiB"  # was 2.1 GB, then MemoryError


def test_the_default_caps_refuse_a_1_gb_zip_and_a_2_gb_gzip(bombs: dict[str, Path],
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.delenv("EXPORTSCREEN_MAX_UNPACKED_BYTES", raising=False)
    monkeypatch.delenv("EXPORTSCREEN_MAX_UNPACK_RATIO", raising=False)
    with pytest.raises(UnpackLimitError, match="more than 536,870,912 bytes") as caught:
        xs.load_list(bombs["1g.zip"])
    assert caught.value.file is not None and caught.value.file.endswith("SDN_ENHANCED.XML")
    # the gzip is refused by the ratio (100x of 2 MB) long before 512 MiB
    with pytest.raises(UnpackLimitError, match="more than 100 times its compressed size"):
        gunzip(bombs["2g.csv.gz"].read_bytes(), "2g.csv.gz")


def test_ratio_cap_is_configurable(bombs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
                                   ) -> None:
    monkeypatch.setenv("EXPORTSCREEN_MAX_UNPACK_RATIO", "20")
    with pytest.raises(UnpackLimitError, match="more than 20 times") as caught:
        xs.load_list(bombs["2g.csv.gz"])
    assert caught.value.file == str(bombs["2g.csv.gz"])
    monkeypatch.setenv("EXPORTSCREEN_MAX_UNPACK_RATIO", "0.5")
    with pytest.raises(InputError, match="EXPORTSCREEN_MAX_UNPACK_RATIO"):
        xs.load_list(bombs["2g.csv.gz"])


def test_a_genuine_compressed_list_is_within_the_caps(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTSCREEN_MAX_UNPACKED_BYTES", "1M")
    packed = tmp_path / "csl.csv.gz"
    packed.write_bytes(gzip.compress(GOOD))
    assert xs.load_list(packed).entries == xs.load_list(LISTS / "csl_sample.csv").entries
    assert len(xs.load_list(LISTS / "cons_enhanced_sample.zip")) > 0
    monkeypatch.setenv("EXPORTSCREEN_MAX_UNPACKED_BYTES", "4K")
    with pytest.raises(UnpackLimitError, match="more than 4,096 bytes"):
        xs.load_list(packed)


def test_sizes_parse() -> None:
    assert parse_size("512M") == 512 * MIB and parse_size("2G") == 2048 * MIB
    assert parse_size("1000") == 1000 and parse_size("1.5k") == 1536
    assert parse_size("64MiB") == 64 * MIB
    for bad in ("", "-1", "lots", "0"):
        with pytest.raises(ValueError):
            parse_size(bad)
    assert UnpackLimits().max_bytes == 512 * MIB


@pytest.mark.parametrize(("bomb", "source"), [("2g.csv.gz", "csl"), ("1g.zip", "ofac-sdn")])
def test_a_downloaded_bomb_fails_the_update_and_keeps_the_list(
        server: str, bombs: dict[str, Path], bomb: str, source: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTSCREEN_MAX_UNPACKED_BYTES", "32M")
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    before = (lists_dir() / "current.json").read_bytes()
    FILES[f"/{bomb}"] = bombs[bomb]
    run = _cli("lists", "update", "--source", source, "--url", f"{server}/{bomb}",
               "--no-progress", env={"EXPORTSCREEN_MAX_UNPACKED_BYTES": "32M"})
    _out, err = run.communicate(timeout=300)
    assert run.returncode == 1, err
    assert "list update failed" in err and "decompression bomb" in err and "unchanged" in err
    assert (lists_dir() / "current.json").read_bytes() == before
    assert read_pointer(source) is None or source == "csl"
    assert not [p for p in lists_dir(source).iterdir() if p.name.startswith(STAGING_PREFIX)] \
        if lists_dir(source).exists() else True
    with pytest.raises(UpdateError, match="decompression bomb"):
        update_list(f"{server}/{bomb}", source=source, min_ratio=0, progress=False)


# ----------------------------------------------------------------------------- sources


def test_every_source_has_an_official_https_address_and_page() -> None:
    sources = list_sources()
    assert set(sources) == {"csl", "ofac-sdn", "ofac-cons", "un", "eu", "uk"}
    for spec in sources.values():
        assert spec.url.startswith("https://") and spec.page.startswith("https://")
        assert spec.formats and spec.checked


def test_a_source_without_a_reader_fails_clearly_and_keeps_the_list(
        server: str, capsys: pytest.CaptureFixture[str]) -> None:
    from exportscreen.lists.loader import FORMATS

    missing = [s for s, spec in list_sources().items() if not set(spec.formats) & set(FORMATS)]
    if not missing:
        pytest.skip("every source has a reader in this version")
    update_list(f"{server}/good.csv", min_ratio=0, progress=False)
    before = (lists_dir() / "current.json").read_bytes()
    for source in missing:
        code = main(["lists", "update", "--source", source, "--url", f"{server}/good.csv",
                     "--no-progress"])
        err = capsys.readouterr().err
        assert code == 1 and "no reader for the" in err and "unchanged" in err
        assert read_pointer(source) is None
    assert (lists_dir() / "current.json").read_bytes() == before


def test_a_source_gets_its_own_cache_entry(server: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    FILES["/cons.zip"] = LISTS / "cons_enhanced_sample.zip"
    assert main(["lists", "update", "--source", "ofac-cons", "--url", f"{server}/cons.zip",
                 "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"] == "ofac-cons" and out["format"] == "ofac-xml"
    pointer = _assert_pointer_valid("ofac-cons")
    assert read_pointer("csl") is None and len(load_default()) == 14160  # default untouched
    expected = xs.load_list(LISTS / "cons_enhanced_sample.zip")
    cached, _ = load_cached("ofac-cons")
    assert cached is not None and cached.entries == expected.entries
    assert pointer["snapshot_date"] == expected.provenance.snapshot_date.isoformat()  # type: ignore[union-attr]
    # a CSL where an OFAC XML is expected is refused
    with pytest.raises(UpdateError, match="is a csl-csv list, not the ofac-xml"):
        update_list(f"{server}/good.csv", source="ofac-sdn", min_ratio=0, progress=False)
    assert main(["lists", "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["installed"]["ofac-cons"]["usable"] is True
    assert info["installed"]["ofac-cons"]["entries"] == len(expected)
    assert info["installed"]["ofac-cons"]["age_days"] == 0


def test_lists_info_shows_every_list_in_use_with_its_age(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    sample = str(LISTS / "csl_sample.csv")
    assert main(["lists", "info", "--format", "json", "--list", "default",
                 "--list", sample]) == 0
    info = json.loads(capsys.readouterr().out)
    assert len(info["lists"]) == 2 and info["entries"] == 14160
    snapshot, own = info["lists"]
    for item in info["lists"]:
        assert {"source", "entries", "snapshot_date", "sha256", "path", "age_days"} <= set(item)
    today = dt.datetime.now(dt.UTC).date()
    assert snapshot["age_days"] == (today - dt.date(2022, 5, 16)).days and snapshot["stale"]
    assert own["entries"] == 42 and own["path"].endswith("csl_sample.csv")
    assert main(["lists", "info", "--list", sample]) == 0
    table = capsys.readouterr().out
    assert "age_days" in table and "csl_sample.csv" in table


# ----------------------------------------------------------------------------- stale lists


def _run_against(lst: xs.ScreeningList) -> object:
    import pandas as pd

    from exportscreen.screening import screen

    return screen(pd.DataFrame({"name": ["Acme Widgets"]}), list=lst)


def test_the_html_report_warns_about_an_old_list(monkeypatch: pytest.MonkeyPatch) -> None:
    lst = xs.load_list(LISTS / "csl_sample.csv")
    run = _run_against(lst)
    date = lst.provenance.snapshot_date
    assert date is not None
    later = date + dt.timedelta(days=8)
    page = render_html(run, today=later)  # type: ignore[arg-type]
    assert '<div class="stale" role="alert">' in page and "8 days ago" in page
    assert page.index('class="stale"') < page.index('<table class="meta">')  # at the top
    assert "7-day limit" in page  # the default: a week (issue 14)
    assert 'class="stale"' not in render_html(run, today=date + dt.timedelta(days=7))  # type: ignore[arg-type]
    assert 'class="stale"' not in render_html(run, today=later, max_list_age_days=90)  # type: ignore[arg-type]
    monkeypatch.setenv("EXPORTSCREEN_MAX_LIST_AGE_DAYS", "30")
    assert "30-day limit" in render_html(run, today=date + dt.timedelta(days=31))  # type: ignore[arg-type]
    monkeypatch.setenv("EXPORTSCREEN_MAX_LIST_AGE_DAYS", "7")
    summary = format_summary(run)  # type: ignore[arg-type]
    assert "WARNING: The list" in summary and "7-day limit" in summary


def test_an_undated_list_warns_and_the_snapshot_always_warns() -> None:
    undated = xs.load_list(LISTS / "ofac_sdn")
    assert undated.provenance.snapshot_date is None
    warning = stale_list_warning(undated.provenance)
    assert warning is not None and "no date" in warning
    snapshot = load_default()
    assert stale_list_warning(snapshot.provenance) is not None


def test_an_xml_element_flood_is_refused_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cap on XML elements (EXPORTSCREEN_MAX_XML_ELEMENTS): a file past it is exit 2
    naming the file, in the shared XML reader (UN, EU, ...) and the OFAC enhanced reader."""
    un = tmp_path / "flood_un.xml"
    un.write_text('<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS>'
                  + "<X/>" * 5000 + "</INDIVIDUALS></CONSOLIDATED_LIST>", encoding="utf-8")
    ofac = tmp_path / "flood_ofac.xml"
    ofac.write_text("<sanctionsData>" + "<x/>" * 5000 + "</sanctionsData>", encoding="utf-8")
    monkeypatch.setenv("EXPORTSCREEN_MAX_XML_ELEMENTS", "1000")
    for path in (un, ofac):
        with pytest.raises(InputError, match="more than 1,000 XML elements") as info:
            xs.load_list(path)
        assert str(path) in str(info.value)
    monkeypatch.setenv("EXPORTSCREEN_MAX_XML_ELEMENTS", "none")
    with pytest.raises(InputError, match="EXPORTSCREEN_MAX_XML_ELEMENTS"):
        xs.load_list(un)
    monkeypatch.delenv("EXPORTSCREEN_MAX_XML_ELEMENTS")
    for path in (un, ofac):  # under the generous default these read as (empty) lists
        try:
            xs.load_list(path)
        except InputError as exc:
            assert "XML elements" not in str(exc)
