"""Reading the published open-data files in tests, with readers independent of the code that wrote them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from odf import opendocument
from odf.table import Table, TableCell, TableRow
from odf.text import P


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def sheet_rows(path: Path, name: str) -> list[list[str]]:
    """The cells of one sheet of an ODS file, as odfpy reads them; a cell's paragraphs joined by line breaks."""
    document = opendocument.load(str(path))
    sheet = next(t for t in document.spreadsheet.getElementsByType(Table) if t.getAttribute("name") == name)
    return [
        ["\n".join(str(p) for p in cell.getElementsByType(P)) for cell in row.getElementsByType(TableCell)]
        for row in sheet.getElementsByType(TableRow)
    ]
