"""Reading accounts files: header mapping, encodings, delimiters, unreadable values, broken files.

Every file is written to ``tmp_path`` as bytes so that the encoding and line endings are exact.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.encodings import detect_encoding, non_ascii_sample
from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.core.tables import read_table


def write(tmp_path, name: str, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def error_of(path) -> DataFileError:
    with pytest.raises(DataFileError) as exc:
        read_accounts(path)
    return exc.value


# ---------------------------------------------------------------------------------------------
# header mapping


def test_salesforce_headers(tmp_path):
    p = write(tmp_path, "sf.csv",
              b"Account Name,Website,Industry,Employees,Annual Revenue,Billing Country\n"
              b'Acme,acme.com,SaaS,"1,200",$5M,United States\n'
              b"Beta,beta.io,Retail,80,12%,Germany\n")
    frame = read_accounts(p)
    assert frame.mapping == {
        "name": "Account Name", "domain": "Website", "industry": "Industry", "employees": "Employees",
        "annual_revenue": "Annual Revenue", "country": "Billing Country",
    }
    assert len(frame) == 2
    assert frame.numbers("employees").values.tolist() == [1200.0, 80.0]
    assert frame.numbers("annual_revenue").values.tolist() == [5e6, 0.12]
    assert frame.raw("country").to_pylist() == ["United States", "Germany"]
    assert frame.report_lines() == []


def test_hubspot_headers(tmp_path):
    p = write(tmp_path, "hs.csv",
              b"Company name,Company Domain Name,Number of Employees,Annual Revenue,Country/Region,Industry\n"
              b"Acme,acme.com,120,5000000,Germany,FinTech\n")
    frame = read_accounts(p)
    assert frame.mapping == {
        "name": "Company name", "domain": "Company Domain Name", "employees": "Number of Employees",
        "annual_revenue": "Annual Revenue", "country": "Country/Region", "industry": "Industry",
    }
    assert frame.numbers("employees").values.tolist() == [120.0]
    assert frame.numbers("annual_revenue").values.tolist() == [5e6]


def test_column_map_override_wins_over_alias(tmp_path):
    p = write(tmp_path, "ov.csv", b"Company,Org Size,Employees\nAcme,300,5\n")
    frame = read_accounts(p, column_map={"Org Size": "employees"})
    assert frame.mapping == {"name": "Company", "employees": "Org Size"}
    assert frame.numbers("employees").values.tolist() == [300.0]


def test_column_map_matches_headers_loosely(tmp_path):
    p = write(tmp_path, "loose.csv", b"Company,ORG-SIZE\nAcme,300\n")
    frame = read_accounts(p, column_map={"org size": "employees"})
    assert frame.mapping == {"name": "Company", "employees": "ORG-SIZE"}


def test_units_per_field(tmp_path):
    p = write(tmp_path, "units.csv", b"Name,Revenue\nAcme,12.5\nBeta,$5M\nGamma,n/a\n")
    frame = read_accounts(p, units={"annual_revenue": 1e6})
    values = frame.numbers("annual_revenue").values
    assert values[:2].tolist() == [12.5e6, 5e6]
    assert math.isnan(values[2])


def test_duplicate_and_blank_headers(tmp_path):
    table, _ = read_table(write(tmp_path, "dup.csv", b"Name,Name,,x\n1,2,3,4\n"))
    assert table.column_names == ["Name", "Name (2)", "column 3", "x"]


# ---------------------------------------------------------------------------------------------
# encodings and delimiters


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path):
    p = write(tmp_path, "bom.csv", b"\xef\xbb\xbfName,Employees\nAcme,10\n")
    frame = read_accounts(p)
    assert frame.table.column_names == ["Name", "Employees"]
    assert frame.mapping == {"name": "Name", "employees": "Employees"}
    assert frame.info.encoding == "utf-8"


def test_cp1252_file(tmp_path):
    data = "Name,City,Revenue\nAcme,Zürich,€3.4m\n".encode("cp1252")
    assert b"Z\xfcrich" in data and b"\x80" in data  # really cp1252 bytes, not UTF-8
    frame = read_accounts(write(tmp_path, "cp.csv", data))
    assert frame.info.encoding == "cp1252"
    assert frame.table.column("City").to_pylist() == ["Zürich"]
    assert frame.table.column("Revenue").to_pylist() == ["€3.4m"]
    assert frame.numbers("annual_revenue").values.tolist() == [3.4e6]


def test_cp1252_bytes_after_the_sniffed_head(tmp_path):
    # 64 KiB of plain ASCII, then one cp1252 byte: the reader has to fall back after the sniff
    rows = [b"Name,City"] + [b"A%d,Paris" % i for i in range(8000)] + ["Z,Zürich".encode("cp1252")]
    data = b"\n".join(rows) + b"\n"
    assert len(data) == 94909
    table, info = read_table(write(tmp_path, "late.csv", data))
    assert info.encoding == "cp1252"
    assert table.num_rows == 8001
    assert table.column("City")[8000].as_py() == "Zürich"


def test_cp1250_file_reads_back_exactly(tmp_path):
    data = "Account Name\nŁódź Sp. z o.o.\nŽilina a.s.\n".encode("cp1250")
    assert data == b"Account Name\n\xa3\xf3d\x9f Sp. z o.o.\n\x8eilina a.s.\n"  # read as cp1252 this is "£ódŸ"
    table, info = read_table(write(tmp_path, "pl.csv", data))
    assert info.encoding == "cp1250"
    assert table.column("Account Name").to_pylist() == ["Łódź Sp. z o.o.", "Žilina a.s."]


def test_cp1252_names_still_read_as_cp1252(tmp_path):
    data = "Account Name\nMüller GmbH\nSociété Générale\n".encode("cp1252")
    table, info = read_table(write(tmp_path, "de.csv", data))
    assert info.encoding == "cp1252"
    assert table.column("Account Name").to_pylist() == ["Müller GmbH", "Société Générale"]


def test_cp1250_bytes_after_the_sniffed_head(tmp_path):
    rows = [b"Name,City"] + [b"A%d,Paris" % i for i in range(8000)] + ["Z,Łódź".encode("cp1250")]
    table, info = read_table(write(tmp_path, "late.csv", b"\n".join(rows) + b"\n"))
    assert info.encoding == "cp1250"
    assert table.column("City")[8000].as_py() == "Łódź"


def test_utf8_bom_then_cp1252_bytes_after_the_head(tmp_path):
    rows = [b"\xef\xbb\xbfName,City"] + [b"A%d,Paris" % i for i in range(8000)] + ["Z,Zürich".encode("cp1252")]
    table, info = read_table(write(tmp_path, "late-bom.csv", b"\n".join(rows) + b"\n"))
    assert (info.encoding, table.column_names) == ("cp1252", ["Name", "City"])
    assert table.column("City")[8000].as_py() == "Zürich"


def test_cp1251_file(tmp_path):
    data = "Account Name;Billing City\nОАО Газпром;Москва\nСбербанк;Москва\n".encode("cp1251")
    table, info = read_table(write(tmp_path, "ru.csv", data))
    assert (info.encoding, info.delimiter) == ("cp1251", ";")
    assert table.column("Account Name").to_pylist() == ["ОАО Газпром", "Сбербанк"]


def test_salesforce_european_export_cp1252_semicolons_decimal_commas(tmp_path):
    data = ("Account Name;Billing City;Employees;Annual Revenue\r\n"
            "Müller GmbH;Köln;1.200;1.234.567,89\r\n"
            "Société Générale;Paris;85;12.500,5\r\n"
            "Crème SARL;Besançon;12.000;980\r\n").encode("cp1252")
    frame = read_accounts(write(tmp_path, "sf-eu.csv", data))
    assert (frame.info.encoding, frame.info.delimiter) == ("cp1252", ";")
    assert frame.table.column("Billing City").to_pylist() == ["Köln", "Paris", "Besançon"]
    revenue = frame.numbers("annual_revenue")
    assert revenue.values.tolist() == [1234567.89, 12500.5, 980.0]
    assert revenue.decimal == "comma"
    # employees alone show nothing ("1.200" is 1.2 or 1200): read as before, and said to be ambiguous
    employees = frame.numbers("employees")
    assert employees.values.tolist() == [1.2, 85.0, 12.0]
    assert (employees.decimal, employees.ambiguous.tolist()) == (None, [True, False, True])
    assert frame.report_lines() == ["read as cp1252 (Windows Western European), not UTF-8: if letters look wrong (Ã© for é), "
                                    "save the file as CSV UTF-8"]


def _utf16_le(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def test_utf16_le_tab_separated_as_excel_unicode_text_writes_it(tmp_path):
    data = _utf16_le("Company name\tCountry/Region\tNumber of Employees\tAnnual Revenue\r\n"
                     "Łódź Sp. z o.o.\tPoland\t1,200\t$5M\r\n"
                     "Müller GmbH\tGermany\t85\t12.5\r\n")
    assert b"\x00" in data  # every ASCII character has a NUL byte: not refused as binary
    frame = read_accounts(write(tmp_path, "unicode.txt", data))
    assert (frame.info.encoding, frame.info.delimiter) == ("utf-16-le", "\t")
    assert frame.table.column_names == ["Company name", "Country/Region", "Number of Employees", "Annual Revenue"]
    assert frame.raw("name").to_pylist() == ["Łódź Sp. z o.o.", "Müller GmbH"]
    assert frame.numbers("employees").values.tolist() == [1200.0, 85.0]
    assert frame.numbers("annual_revenue").values.tolist() == [5e6, 12.5]


@pytest.mark.parametrize("codec, bom", [("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00"),
                                        ("utf-32-be", b"\x00\x00\xfe\xff")])
def test_other_unicode_files_with_a_bom(tmp_path, codec, bom):
    table, info = read_table(write(tmp_path, "u.csv", bom + "Name,City\nŽabka,Kraków\n".encode(codec)))
    assert info.encoding == codec
    assert table.to_pylist() == [{"Name": "Žabka", "City": "Kraków"}]


def test_utf16_file_with_a_nul_character_is_refused_at_its_byte(tmp_path):
    p = write(tmp_path, "nul16.csv", _utf16_le("Name,Employees\nAcme,1\x000\n"))
    # BOM (2 bytes) + 21 characters before the NUL, 2 bytes each
    assert str(error_of(p)) == f"{p}:2: is not a text file (binary data at byte 44); export it as CSV (UTF-8) or XLSX"


def test_cut_utf16_file_is_refused(tmp_path):
    p = write(tmp_path, "cut16.csv", _utf16_le("Name,City\nA,B\n") + b"A")
    assert str(error_of(p)) == f"{p}:3: is not valid UTF-16-LE text (at byte 30); export it again as CSV or XLSX"


def test_utf16_without_a_bom_is_still_refused_as_binary(tmp_path):
    p = write(tmp_path, "nobom16.csv", "Name,City\nA,B\n".encode("utf-16-le"))
    assert str(error_of(p)) == f"{p}:1: is not a text file (binary data at byte 1); export it as CSV (UTF-8) or XLSX"


def test_utf16_bom_alone_is_empty(tmp_path):
    p = write(tmp_path, "bom16.csv", b"\xff\xfe")
    assert str(error_of(p)) == f"{p}: is empty"


def test_semicolon_delimited(tmp_path):
    p = write(tmp_path, "semi.csv", b'Name;Employees;Revenue\nAcme;"1,200";5M\nBeta;3;4k\n')
    frame = read_accounts(p)
    assert frame.info.delimiter == ";"
    assert frame.table.column_names == ["Name", "Employees", "Revenue"]
    assert frame.numbers("employees").values.tolist() == [1200.0, 3.0]
    assert frame.numbers("annual_revenue").values.tolist() == [5e6, 4e3]


def test_tab_delimited(tmp_path):
    p = write(tmp_path, "tab.tsv", b"Name\tEmployees\nAcme\t10\nBeta\t20\n")
    frame = read_accounts(p)
    assert frame.info.delimiter == "\t"
    assert frame.numbers("employees").values.tolist() == [10.0, 20.0]


def test_crlf_line_endings(tmp_path):
    frame = read_accounts(write(tmp_path, "crlf.csv", b"Name,Employees\r\nAcme,10\r\nBeta,20\r\n"))
    assert frame.table.column("Name").to_pylist() == ["Acme", "Beta"]
    assert frame.table.column("Employees").to_pylist() == ["10", "20"]


def test_quoted_comma_and_newline(tmp_path):
    p = write(tmp_path, "quote.csv", b'Name,Notes,Employees\n"Acme, Inc.","line1\nline2",10\nBeta,x,20\n')
    frame = read_accounts(p)
    assert frame.info.delimiter == ","
    assert frame.table.column("Name").to_pylist() == ["Acme, Inc.", "Beta"]
    assert frame.table.column("Notes").to_pylist() == ["line1\nline2", "x"]
    assert frame.numbers("employees").values.tolist() == [10.0, 20.0]


# ---------------------------------------------------------------------------------------------
# unreadable values: reported per column, never fatal


def test_unreadable_values_reported_per_column(tmp_path):
    p = write(tmp_path, "bad.csv",
              b"Name,Employees,Revenue\n"
              b"A,approx 300,5\n"    # row 2
              b"B,10,tbd\n"          # row 3
              b"C,lots,7\n"          # row 4
              b"D,12,8\n")           # row 5
    frame = read_accounts(p)
    assert len(frame) == 4
    emp = frame.issues["employees:a number"]
    assert (emp.column, emp.field, emp.expected, emp.count, emp.rows, emp.examples) == (
        "Employees", "employees", "a number", 2, [2, 4], ["approx 300", "lots"])
    # the order of the lines follows a frozenset of field names, so compare them sorted
    assert sorted(frame.report_lines()) == [
        "column 'Employees': 2 values not read as a number (rows 2, 4; e.g. 'approx 300', 'lots'); treated as unknown",
        "column 'Revenue': 1 value not read as a number (rows 3; e.g. 'tbd'); treated as unknown",
    ]
    values = frame.numbers("employees").values
    assert np.isnan(values[[0, 2]]).all()
    assert values[[1, 3]].tolist() == [10.0, 12.0]


def test_issue_lists_first_five_rows_and_three_distinct_examples(tmp_path):
    cells = ["x", "x", "y", "5", "z", "w", "x", "v"]  # bad at rows 2, 3, 4, 6, 7, 8, 9
    data = b"Name,Employees\n" + b"".join(b"N%d,%s\n" % (i, c.encode()) for i, c in enumerate(cells))
    frame = read_accounts(write(tmp_path, "many.csv", data))
    assert frame.report_lines() == [
        "column 'Employees': 7 values not read as a number (rows 2, 3, 4, 6, 7, …; e.g. 'x', 'y', 'z'); treated as unknown",
    ]


def test_booleans_issue_is_noted_on_first_use(tmp_path):
    frame = read_accounts(write(tmp_path, "b.csv", b"Name,Customer\nA,yes\nB,maybe\nC,\n"))
    assert frame.report_lines() == []  # only numeric fields are parsed on import
    assert frame.booleans("Customer").values.tolist() == [True, False, False]
    assert frame.report_lines() == [
        "column 'Customer': 1 value not read as yes/no (rows 3; e.g. 'maybe'); treated as unknown",
    ]


# ---------------------------------------------------------------------------------------------
# broken files


def test_empty_file(tmp_path):
    p = write(tmp_path, "empty.csv", b"")
    e = error_of(p)
    assert str(e) == f"{p}: is empty"
    assert e.line is None


def test_whitespace_only_file(tmp_path):
    p = write(tmp_path, "ws.csv", b"  \n\n \t\r\n")
    assert str(error_of(p)) == f"{p}: is empty"


def test_header_only_single_column(tmp_path):
    p = write(tmp_path, "hdr1.csv", b"Name\n")
    e = error_of(p)
    assert str(e) == f"{p}:1: has a header but no data rows"
    assert (e.file, e.line) == (str(p), 1)


@pytest.mark.parametrize("data", [b"Name,Employees\n", b"Name;Employees\r\n\r\n"])
def test_header_only(tmp_path, data):
    p = write(tmp_path, "hdr.csv", data)
    e = error_of(p)
    assert str(e) == f"{p}:1: has a header but no data rows"


def test_pipe_delimited(tmp_path):
    p = write(tmp_path, "pipe.csv", b"Name|Employees|Revenue\nA|1|2\n")
    assert str(error_of(p)) == (
        f"{p}:1: values seem to be separated by a pipe '|'; save the file with commas, semicolons or tabs between values"
    )


def test_binary_junk(tmp_path):
    p = write(tmp_path, "bin.csv", b"abc\x00\x01\x02def")
    assert str(error_of(p)) == f"{p}:1: is not a text file (binary data at byte 3); export it as CSV (UTF-8) or XLSX"


def test_missing_file(tmp_path):
    p = tmp_path / "nope.csv"
    assert str(error_of(p)) == f"{p}: file not found"


def test_directory(tmp_path):
    d = tmp_path / "folder.csv"
    d.mkdir()
    assert str(error_of(d)) == f"{d}: is a directory, not a file"


def test_line_with_too_many_values_is_skipped_and_reported(tmp_path):
    p = write(tmp_path, "toomany.csv", b"Name,Employees\nA,1\nB,2,3\nC,3\n")
    frame = read_accounts(p)
    assert frame.table.column("Name").to_pylist() == ["A", "C"]
    assert (frame.info.skipped_count, frame.info.skipped_lines) == (1, [3])
    assert frame.report_lines() == ["1 line with the wrong number of values skipped (lines 3)"]


def test_line_with_too_few_values_is_skipped(tmp_path):
    frame = read_accounts(write(tmp_path, "toofew.csv", b"Name,Employees,Rev\nA,1,2\nB\nC,3,4\n"))
    assert frame.table.column("Name").to_pylist() == ["A", "C"]
    assert frame.report_lines() == ["1 line with the wrong number of values skipped (lines 3)"]


def test_skipped_line_number_counts_lines_of_a_multiline_value(tmp_path):
    # line 1 header, lines 2-3 one record with a quoted line break, line 4 has 4 values
    data = b'Name,Notes,Employees\n"Acme, Inc.","line1\nline2",10\nB,x,20,5\nC,y,30\n'
    frame = read_accounts(write(tmp_path, "multi.csv", data))
    assert frame.table.column("Name").to_pylist() == ["Acme, Inc.", "C"]
    assert frame.table.column("Notes").to_pylist() == ["line1\nline2", "y"]
    assert frame.report_lines() == ["1 line with the wrong number of values skipped (lines 4)"]


def test_lines_with_wrong_counts_far_down_the_file(tmp_path):
    lines = ["Name,Employees"] + [f"A{i},{i}" for i in range(2, 61)]  # line n holds A{n}
    lines[54] = "X55,1,2"       # line 55: 3 values
    lines[57] = "X58,1,2,3"     # line 58: 4 values
    frame = read_accounts(write(tmp_path, "long.csv", ("\n".join(lines) + "\n").encode()))
    assert len(frame) == 57
    assert frame.table.column("Name").to_pylist()[-7:] == ["A52", "A53", "A54", "A56", "A57", "A59", "A60"]
    assert frame.info.skipped_lines == [55, 58]
    assert frame.report_lines() == ["2 lines with the wrong number of values skipped (lines 55, 58)"]


def test_most_lines_disagreeing_with_the_header_is_an_error(tmp_path):
    p = write(tmp_path, "mostly.csv", b"Name,Employees\nA;1\nB;2\nC,3\n")
    assert str(error_of(p)) == (f"{p}:1: most lines do not have the 2 values the header has (separator comma); "
                                "check the separator and the quoting")


# ---------------------------------------------------------------------------------------------
# XLSX


def test_xlsx(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Account Name", "Employees", "Annual Revenue", "Industry"])
    ws.append(["Acme", 1200, "$5M", "SaaS"])
    ws.append(["Beta", "n/a", 2500000.5, None])
    ws.append(["Gamma", "approx 300", None, "Retail"])
    p = tmp_path / "accounts.xlsx"
    wb.save(p)

    frame = read_accounts(p)
    assert frame.mapping == {"name": "Account Name", "employees": "Employees",
                             "annual_revenue": "Annual Revenue", "industry": "Industry"}
    assert frame.info.encoding == "xlsx"
    assert frame.table.column("Account Name").to_pylist() == ["Acme", "Beta", "Gamma"]
    emp = frame.numbers("employees")
    assert emp.values[0] == 1200.0
    assert emp.missing.tolist() == [False, True, False]
    assert emp.bad.tolist() == [False, False, True]
    rev = frame.numbers("annual_revenue")
    assert rev.values[:2].tolist() == [5e6, 2500000.5]
    assert rev.missing.tolist() == [False, False, True]
    assert frame.report_lines() == [
        "column 'Employees': 1 value not read as a number (rows 4; e.g. 'approx 300'); treated as unknown",
    ]


def test_xlsx_header_only(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Employees"])
    p = tmp_path / "hdr.xlsx"
    wb.save(p)
    assert str(error_of(p)) == f"{p}:1: has a header but no data rows"


def test_broken_xlsx(tmp_path):
    p = write(tmp_path, "broken.xlsx", b"PK\x03\x04garbage")
    assert str(error_of(p)) == f"{p}: cannot be read as an Excel workbook (BadZipFile: File is not a zip file)"


def test_nul_byte_far_into_a_big_file_is_refused_with_its_line(tmp_path):
    p = tmp_path / "big.csv"
    rows = "".join(f"Acme {i},{i}\n" for i in range(20_000))  # well past the 64 KiB head
    p.write_bytes(("Account Name,Employees\n" + rows).encode() + b"Ope\x00npoint,5\n")
    e = error_of(p)
    assert (e.line, e.message) == (20_002, f"is not a text file (binary data at byte {p.stat().st_size - 10:,}); "
                                           "export it as CSV (UTF-8) or XLSX")


@pytest.mark.parametrize(
    "text, codec",
    [
        ("Name,City\nCrème Brûlée SARL,Orléans\nBœuf & Cie,Besançon\n", "cp1252"),
        ("Name,City\nÅhléns AB,Göteborg\nØrsted A/S,Fredericia\n", "cp1252"),
        ("Name,City\nL’Oréal,Paris\n“Quoted” Ltd,London\n", "cp1252"),
        ("Name,City\nDvořák s.r.o.,Brno\nČeská spořitelna,Praha\n", "cp1250"),
        ("Name,City\nKraków Sp. z o.o.,Kraków\nZakłady Azotowe,Tarnów\nGdańsk Stocznia,Gdańsk\n", "cp1250"),
        ("Name,City\nTürk Telekom,İstanbul\nKoç Holding,İstanbul\n", "cp1254"),
        ("Name,City\nΟΤΕ Α.Ε.,Αθήνα\nΤράπεζα Πειραιώς,Πειραιάς\n", "cp1253"),
        ("Name\nАЛРОСА\nЛукойл\n", "cp1251"),
        ("Name,City\n株式会社トヨタ,東京\nソニー,大阪\n", "cp932"),
    ],
)
def test_code_pages_of_a_few_names_are_told_apart(tmp_path, text, codec):
    table, info = read_table(write(tmp_path, "names.csv", text.encode(codec)))
    assert info.encoding == codec
    assert table.column(0).to_pylist() == [line.split(",")[0] for line in text.splitlines()[1:]]


def test_a_long_line_gives_a_short_sample():
    data = ("x," * 5000 + "Łódź," + "y," * 5000).encode("cp1250")
    sample = non_ascii_sample(data)
    # "Ł" is byte 10,000; 2,048 bytes each side, cut after the first comma (7,953) and before the last (12,046)
    assert len(sample) == 12_046 - 7_954 and sample.startswith(b"x,") and sample.endswith(b",y") and b"\xa3\xf3d\x9f," in sample
    assert detect_encoding(sample) == "cp1250"
