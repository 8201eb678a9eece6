"""The top-level API as a downstream project uses it: what screen() accepts, matcher reuse,
write_report, and a script that passes mypy --strict against the package."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pandas as pd
import pytest
from mypy import api as mypy_api

import exportscreen as xs
from exportscreen.cli import main

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "fixtures"


def test_all_is_written_out_and_matches_the_lazy_table() -> None:
    tree = ast.parse((REPO / "src/exportscreen/__init__.py").read_text(encoding="utf-8"))
    literal = next(n for n in tree.body if isinstance(n, ast.Assign)
                   and getattr(n.targets[0], "id", "") == "__all__")
    assert isinstance(literal.value, ast.List)  # not computed: type checkers must see it
    lazy = xs._LAZY  # type: ignore[attr-defined]
    base = {"ExportScreenError", "InputError", "OutputError", "__version__"}
    assert set(xs.__all__) <= set(lazy) | base
    assert 15 <= len(xs.__all__) <= 25  # the small documented top level
    for name in [*xs.__all__, *lazy]:  # every name of earlier releases still imports
        assert getattr(xs, name) is not None


def test_a_downstream_script_passes_mypy_strict(tmp_path: Path) -> None:
    script = tmp_path / "downstream.py"
    script.write_text(f'''
import pandas as pd
import exportscreen as xs

lst: xs.ScreeningList = xs.load_list("default")
matcher = xs.NameMatcher(lst)
best: xs.NameMatch = matcher.match("Huawei Technologies", country="CN", limit=1)[0]
graph = xs.OwnershipGraph.from_csv("{FIX}/ownership/ownership.csv")
result: xs.AffiliatesResult = xs.apply_affiliates_rule(graph, {{"X": "sdn"}}, rule="us-ofac")
frame: pd.DataFrame = result.to_frame()
run: xs.ScreeningRun = xs.screen(["ACME"], list=matcher)
xs.write_report(run, "out.xlsx")
rule: xs.RulePreset = xs.get_rule("us-ofac")
pack: xs.RulePack = xs.load_rule_pack()
verdicts = xs.check_bom("bom.csv")
try:
    xs.load_list("nope")
except (xs.InputError, xs.OutputError) as exc:
    print(exc)
''', encoding="utf-8")
    out, err, status = mypy_api.run(["--strict", "--no-incremental",
                                     "--cache-dir", os.devnull, str(script)])
    assert status == 0, out + err


@pytest.fixture(scope="module")
def small_list() -> xs.ScreeningList:
    lst = xs.load_list("default")
    keep = [e for e in lst.entries if "hikvision" in e.name.lower()]
    return lst.model_copy(update={"entries": tuple(keep)})


def test_screen_takes_a_list_a_series_and_a_frame_alike(small_list: xs.ScreeningList) -> None:
    names = ["Hangzhou Hikvision Digital Technology Co Ltd", "Plain Bakery GmbH"]
    by_list = xs.screen(names, list=small_list).frame
    by_series = xs.screen(pd.Series(names, name="name"), list=small_list).frame
    by_frame = xs.screen(pd.DataFrame({"name": names}), list=small_list).frame
    assert by_list["screen_status"].tolist() == ["hit", "clear"]
    pd.testing.assert_frame_equal(by_list, by_series)
    pd.testing.assert_frame_equal(by_list, by_frame)
    vendor = xs.screen(pd.Series(names, name="Vendor"), list=small_list).frame
    assert "Vendor" in vendor.columns and vendor["screen_status"].tolist() == ["hit", "clear"]


def test_screen_reuses_a_matcher(small_list: xs.ScreeningList) -> None:
    matcher = xs.NameMatcher(small_list)
    run = xs.screen(["Hikvision"], list=matcher)
    assert run.rows[0].status in ("hit", "possible")
    from exportscreen.screening.matching import list_and_matcher

    assert list_and_matcher(matcher, None, None)[1] is matcher
    other = list_and_matcher(matcher, 95, None)[1]
    assert other is not matcher and other.hit_threshold == 95
    # a list given twice builds its matcher once
    first = list_and_matcher(small_list, None, None)[1]
    assert list_and_matcher(small_list, None, None)[1] is first


@pytest.mark.parametrize("bad", [42, {"name": "x"}, [1, 2], b"names.csv"])
def test_screen_names_what_it_accepts(bad: object) -> None:
    with pytest.raises(TypeError, match="suppliers"):
        xs.screen(bad)  # type: ignore[arg-type]


def test_screen_list_argument_names_what_it_accepts() -> None:
    with pytest.raises(TypeError, match="list= takes"):
        xs.screen(["ACME"], list=42)
    bare = xs.NameMatcher(list(xs.load_list("default").entries)[:3])
    with pytest.raises(TypeError, match="NameMatcher built from a ScreeningList"):
        xs.screen(["ACME"], list=bare)


def test_write_report_is_public_and_picks_the_format(
    tmp_path: Path, small_list: xs.ScreeningList
) -> None:
    run = xs.screen(["=HYPERLINK(\"http://x\")", "Hikvision"], list=small_list)
    for name in ("r.csv", "r.tsv", "r.xlsx", "r.json", "r.html"):
        xs.write_report(run, tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0
    assert "'=HYPERLINK" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    with pytest.raises(xs.InputError, match="--out must end in"):
        xs.write_report(run, tmp_path / "r.txt")


# ---- every command's outputs: formulas defused, one row per input row, atomic --out

EVIL = "=HYPERLINK(\"http://evil\")"


def _csv_rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_affiliates_csv_and_xlsx_defuse_and_follow_the_extension(tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text(f"owner_id,owned_id,percent\nL,{EVIL},60\n", encoding="utf-8")
    listed = tmp_path / "listed.csv"
    listed.write_text("id,list\nL,sdn\n", encoding="utf-8")
    out = tmp_path / "aff.csv"
    assert main(["affiliates", "--ownership", str(own), "--listed", str(listed),
                 "--rule", "us-ofac", "--out", str(out)]) == 0
    rows = _csv_rows(out)  # the extension chose CSV although --format defaults to json
    assert rows[0][0] == "id" and rows[1][0] == "'" + EVIL
    xlsx = tmp_path / "aff.xlsx"
    assert main(["affiliates", "--ownership", str(own), "--listed", str(listed),
                 "--rule", "us-ofac", "--out", str(xlsx)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet is not None and sheet.cell(2, 1).value == "'" + EVIL
    assert main(["affiliates", "--ownership", str(own), "--listed", str(listed),
                 "--format", "json", "--out", str(tmp_path / "x.csv")]) == 2
    assert main(["affiliates", "--ownership", str(own), "--listed", str(listed),
                 "--out", str(tmp_path / "x.txt")]) == 2


def test_rare_earth_csv_defuses(tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_text("product_id,line_id,parent_id,category,value,elements,origin\n"
                   f"{EVIL},L1,,magnet,100,Nd:30,CN\n", encoding="utf-8")
    out = tmp_path / "re.csv"
    assert main(["rare-earth", str(bom), "--date", "2026-03-01", "--out", str(out)]) == 0
    rows = _csv_rows(out)
    assert len(rows) == 2 and rows[1][0] == "'" + EVIL


def test_match_input_defuses_and_keeps_one_row_per_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = tmp_path / "names.csv"
    names.write_text(f'name\n"{EVIL.replace(chr(34), chr(34) * 2)}"\n"\rACME Trading"\n+cmd\n',
                     encoding="utf-8")
    assert main(["match", "--input", str(names), "--format", "csv"]) == 0
    import csv
    import io

    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(rows) == 4  # header + 3 names: the CR stays inside its cell
    assert [r[0] for r in rows[1:]] == ["'" + EVIL, "'\rACME Trading", "'+cmd"]


def test_out_keeps_the_previous_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.csv"
    out.write_text("previous results\n", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    code = main(["screen", str(FIX / "suppliers.csv"), "--out", str(out), "--quiet"])
    assert code == 1
    assert f"could not write {out}: No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]
