"""Bounded work on hostile input (issue 19, item 7): each shape is built here and gets one clear line.

TOML nested 500 deep, 10,000 duplicate headers, an XLSX zip bomb, a sheet declared to XFD1048576, XLSX
formulas without a saved value, a 2 MB cell, one stray Latin-1 byte in a UTF-8 file, a cp1252 file, and
CSV cells a spreadsheet would run after leading white space.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from icp_tui.engine.core import accounts as accounts_module
from icp_tui.engine.core import headers as headers_module
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.errors import DataFileError, IcpError, ScorecardError
from icp_tui.engine.core.formula_guard import neutralise, safe_cell
from icp_tui.engine.core.tables import read_table
from icp_tui.engine.core.tomlfile import MAX_DEPTH, parse_toml
from icp_tui.engine.scorecard.export import scored_table, write_csv
from icp_tui.engine.scorecard.file import ScorecardFile
from icp_tui.engine.scorecard.scoring import Scorer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
DEEP = "deep = " + "[" * 500 + "]" * 500 + "\n"
TOO_DEEP = (f"nested more than {MAX_DEPTH} levels deep (arrays [ ] and inline tables {{ }} inside each other); "
            "write the value with fewer levels")


# -- TOML nesting ---------------------------------------------------------------------------------


def test_deep_toml_is_refused_before_any_parser_recurses():
    with pytest.raises(ScorecardError) as exc:
        parse_toml("x = 1\n" + DEEP, "s.toml", ScorecardError)
    assert str(exc.value) == f"s.toml:2: deep: {TOO_DEEP}"
    inline = "[t]\nb = " + "{c = " * 40 + "1" + "}" * 40 + "\n"
    with pytest.raises(ScorecardError) as exc:
        parse_toml(inline, "s.toml", ScorecardError)
    assert (exc.value.line, exc.value.key) == (2, "b")
    # brackets inside strings and comments are not nesting; 32 levels are allowed
    ok = 'a = "' + "[" * 100 + '"\nb = \'' + "{" * 100 + "'\n# " + "[" * 100 + "\nc = " + "[" * 32 + "]" * 32 + "\n"
    c = parse_toml(ok, "s.toml", ScorecardError).unwrap()["c"]
    depth = 0
    while isinstance(c, list) and c:
        c, depth = c[0], depth + 1
    assert (c, depth) == ([], MAX_DEPTH - 1)
    assert parse_toml('m = """ [[[ \n""""\nn = [1]\n', "s.toml", ScorecardError)["n"] == [1]


def test_deep_scorecard(tmp_path):
    p = tmp_path / "scorecard.toml"
    p.write_text(DEEP + (SAMPLE / "scorecard.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ScorecardError) as exc:
        ScorecardFile.open(p)
    assert str(exc.value) == f"{p}:1: deep: {TOO_DEEP}"


def test_deep_workshop_toml(tmp_path):
    from icp_tui.engine.workshop.manifest import Workshop

    (tmp_path / "workshop.toml").write_text(DEEP + (SAMPLE / "workshop.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(IcpError) as exc:
        Workshop.load(tmp_path)
    assert str(exc.value) == f"{tmp_path / 'workshop.toml'}:1: deep: {TOO_DEEP}"


def test_deep_roadmap_and_decisions(tmp_path):
    from icp_tui.engine.alignment.tal import DecisionsFile
    from icp_tui.engine.maturity.questionnaire import default_questionnaire
    from icp_tui.engine.maturity.roadmap import load_roadmap

    road = tmp_path / "roadmap.toml"
    road.write_text("# targets\n" + DEEP, encoding="utf-8")
    with pytest.raises(IcpError) as exc:
        load_roadmap(road, default_questionnaire())
    assert str(exc.value) == f"{road}:2: deep: {TOO_DEEP}"
    decisions = tmp_path / "decisions.toml"
    decisions.write_text("[rule]\nmin_votes = 2\nbands = " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    with pytest.raises(IcpError) as exc:
        DecisionsFile.load(decisions)
    assert str(exc.value) == f"{decisions}:3: bands: {TOO_DEEP}"


# -- duplicate headers ------------------------------------------------------------------------------


def _duplicates(tmp_path, n: int) -> Path:
    p = tmp_path / f"dup{n}.csv"
    p.write_text(",".join(["name"] * n) + "\n" + "\n".join(",".join([f"Acme {i}"] * n) for i in range(3)) + "\n",
                 encoding="utf-8")
    return p


@pytest.mark.parametrize("n", [2_000, 10_000])
def test_duplicate_headers_are_read_and_scored_in_linear_work(tmp_path, monkeypatch, n):
    calls = []
    key = headers_module.header_key.__wrapped__  # not cached: every call is counted

    def counted(h: str) -> str:
        calls.append(h)
        return key(h)

    monkeypatch.setattr(headers_module, "header_key", counted)
    monkeypatch.setattr(accounts_module, "header_key", counted)
    sc = ScorecardFile.open(SAMPLE / "scorecard.toml").scorecard
    frame = read_accounts(_duplicates(tmp_path, n), sc.column_map, sc.units)
    names = frame.table.column_names
    assert (len(set(names)), names[:3], names[-1]) == (n, ["name", "name (2)", "name (3)"], f"name ({n})")
    table = scored_table(frame, Scorer(frame).score(sc))
    write_csv(table, tmp_path / "out.csv")
    assert table.column("name").to_pylist() == ["Acme 0", "Acme 1", "Acme 2"]
    assert table.column("band").to_pylist() == ["Poor fit"] * 3
    # each header is keyed a bounded number of times, not once per other header (quadratic: n * n)
    assert len(calls) <= 3 * n + 200


# -- XLSX -------------------------------------------------------------------------------------------


def _workbook(rows, **cells) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    for ref, v in cells.items():
        wb.active[ref] = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_zip_bomb_is_refused_from_its_table_of_contents(tmp_path):
    good = zipfile.ZipFile(io.BytesIO(_workbook([["Company"], ["Acme"]])))
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as out:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # 8 MiB of spaces inside the sheet: ~8 KB compressed
                with out.open(info.filename, "w") as fh:
                    fh.write(data[: -len(b"</worksheet>")])
                    for _ in range(8):
                        fh.write(b" " * 2**20)
                    fh.write(b"</worksheet>")
            else:
                out.writestr(info, data)
    sheet = zipfile.ZipFile(p).getinfo("xl/worksheets/sheet1.xml")
    with pytest.raises(DataFileError) as exc:
        read_table(p)
    assert str(exc.value) == (
        f"{p}: part 'xl/worksheets/sheet1.xml' unpacks from {sheet.compress_size:,} bytes to 8 MB (more than 100 times): "
        "not a workbook a spreadsheet saved; save the sheet as CSV (read in constant memory, any size)")


def test_xlsx_too_big_unpacked_is_refused(tmp_path, monkeypatch):
    from icp_tui.engine.core import xlsx

    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 2**10)  # the 200 MB limit, tried on a small file
    p = tmp_path / "a.xlsx"
    p.write_bytes(_workbook([["Company"], ["Acme"]]))
    total = sum(i.file_size for i in zipfile.ZipFile(p).infolist())
    with pytest.raises(DataFileError) as exc:
        read_table(p)
    assert str(exc.value) == (f"{p}: unpacks to {total / 2**20:,.0f} MB, over the 0 MB an XLSX file may unpack to; "
                              "save the sheet as CSV (read in constant memory, any size)")


def test_xlsx_declaring_xfd1048576_is_refused(tmp_path):
    p = tmp_path / "far.xlsx"
    p.write_bytes(_workbook([["Company"], ["Acme"]], XFD1048576="far"))
    with pytest.raises(DataFileError) as exc:
        read_table(p)
    assert str(exc.value) == (
        f"{p}: declares 1,048,576 rows x 16,384 columns (A1:XFD1048576), over the 10,000,000 cells read from an XLSX "
        "file: delete the rows and columns past the data (one cell far away makes the sheet that big), or save the "
        "sheet as CSV (read in constant memory, any size)")


def test_xlsx_formulas_without_saved_values_are_warned(tmp_path):
    p = tmp_path / "f.xlsx"  # openpyxl writes formulas without a saved value, as a script would
    p.write_bytes(_workbook([["Company", "Employees"], ["Acme", 10], ['=A2&" Ltd"', "=B2*2"], ["Beta", 5],
                             ["=A4", 7], ["=A2", "=B4"]]))
    frame = read_accounts(p)
    # rows 3 and 6 hold only formulas: blank, so left out (and reported below)
    assert frame.table.column("Company").to_pylist() == ["Acme", "Beta", ""]
    assert frame.table.column("Employees").to_pylist() == ["10", "5", "7"]
    assert frame.report_lines()[:2] == [
        "3 cells in column 'Company' are formulas with no saved value, read as blank (open the file in Excel and "
        "save it): rows 3, 5, 6",
        "2 cells in column 'Employees' are formulas with no saved value, read as blank (open the file in Excel and "
        "save it): rows 3, 6",
    ]


def test_xlsx_values_read_as_a_spreadsheet_shows_them(tmp_path):
    p = tmp_path / "v.xlsx"
    p.write_bytes(_workbook([["Company", "Employees", None, "Revenue"], [None, None, None, None],
                             ["Acme", 1200, None, 2500000.5], ["Beta", 12.0, "x", None]]))
    table, info = read_table(p)
    assert table.column_names == ["Company", "Employees", "column 3", "Revenue"]
    assert table.to_pylist() == [
        {"Company": "Acme", "Employees": "1200", "column 3": "", "Revenue": "2500000.5"},
        {"Company": "Beta", "Employees": "12", "column 3": "x", "Revenue": ""},
    ]
    assert info.report_lines() == []


# -- cell size --------------------------------------------------------------------------------------


def test_a_2_mb_cell_is_refused_with_its_row_and_column(tmp_path):
    p = tmp_path / "big.csv"
    p.write_text("Account Name,Notes\nAcme,ok\nBeta," + "x" * (2 * 2**20) + "\nGamma,ok\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        read_table(p)
    assert str(exc.value) == (f"{p}: row 3 has a value of 2,097,152 characters in column 'Notes', longer than the "
                              "1,048,576 (1 MB) one cell may hold: check the export")


def test_a_row_longer_than_a_block_is_refused_with_its_line(tmp_path, monkeypatch):
    from icp_tui.engine.core import tables

    monkeypatch.setattr(tables, "BLOCK_BYTES", 1 << 20)  # pyarrow's "straddling object", on a smaller file
    p = tmp_path / "long.csv"
    p.write_text("Account Name,Notes\nAcme,ok\nBeta," + "x" * 3_000_000 + "\nGamma,ok\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        read_table(p)
    assert str(exc.value) == (f"{p}:3: has a row longer than 1 MB; one cell may hold 1,048,576 characters (1 MB) at most: "
                              "check the export")


# -- encodings --------------------------------------------------------------------------------------


def test_one_latin1_byte_in_a_utf8_file_keeps_it_utf8(tmp_path):
    lines = ["Account Name,Annual Revenue"] + [f"Co {i},€{80 + i}.9m" for i in range(11)]
    p = tmp_path / "mixed.csv"
    p.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + "Café Latin,€1.0m\n".encode("cp1252"))
    frame = read_accounts(p)
    assert frame.info.encoding == "utf-8"
    assert frame.table.column("Annual Revenue").to_pylist()[:2] == ["€80.9m", "€81.9m"]
    assert frame.table.column("Account Name").to_pylist()[-1] == "Caf\ufffd Latin"
    assert frame.numbers("annual_revenue").values[:2].tolist() == [80.9e6, 81.9e6]
    assert frame.numbers("annual_revenue").missing.sum() == 0
    assert frame.report_lines()[0] == (
        "read as UTF-8, but 2 places are not UTF-8 and were replaced with '\ufffd' (line 13): text pasted from another "
        "program, probably; correct it there and save the file as UTF-8")


def test_a_cp1252_file_is_named(tmp_path):
    p = tmp_path / "cp.csv"
    p.write_bytes("Account Name,Industry\nCafé Müller,Retail\nZoë,SaaS\n".encode("cp1252"))
    frame = read_accounts(p)
    assert frame.info.encoding == "cp1252"
    assert frame.table.column("Account Name").to_pylist() == ["Café Müller", "Zoë"]
    assert frame.report_lines()[0] == ("read as cp1252 (Windows Western European), not UTF-8: if letters look wrong "
                                       "(Ã© for é), save the file as CSV UTF-8")


# -- CSV formula guard ------------------------------------------------------------------------------

SHAPES = ["  =cmd()", "\n=1+1", "\t+x", "\r\n@SUM(A1)", " -2+3", "=", "-3%", "-12.5", " -3", "+1,200", "-$5M", "-",
          "plain", "  plain", "a=b", "", "'=x"]
GUARDED = ["'  =cmd()", "'\n=1+1", "'\t+x", "'\r\n@SUM(A1)", "' -2+3", "'=", "-3%", "-12.5", " -3", "+1,200", "-$5M", "-",
           "plain", "  plain", "a=b", "", "'=x"]


def test_one_guard_for_every_csv_writer(tmp_path):
    from icp_tui.engine.alignment.lists import Entry, FunctionList, list_to_csv

    assert [safe_cell(c) for c in SHAPES] == GUARDED
    assert neutralise(pa.array(SHAPES)).to_pylist() == GUARDED  # the scored export's vectorised form, same rule
    fl = FunctionList("Sales", [Entry(c, rank=i + 1) for i, c in enumerate(SHAPES[:8])], tmp_path / "l.csv")
    import csv

    rows = list(csv.reader(io.StringIO(list_to_csv(fl))))
    assert [r[0] for r in rows[1:]] == GUARDED[:8]
