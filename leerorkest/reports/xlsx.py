"""A funder pack as an .xlsx workbook: one sheet per table, with its title, header and note."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORBIDDEN = set("[]:*?/\\")


def sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(c for c in title if c not in FORBIDDEN)[:28] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        name = f"{base[:26]} {number}"
        number += 1
    taken.add(name.lower())
    return name


def pack_workbook(title: str, scope_line: str, tables: list[dict]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_title(table["title"], taken))
        sheet.append([table["title"]])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{title} · {scope_line}"])
        sheet.append([])
        sheet.append(table["header"])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append(row)
        if table["note"]:
            sheet.append([])
            sheet.append([table["note"]])
        sheet.freeze_panes = "A5"
        for index, name in enumerate(table["header"], start=1):
            width = max([len(str(name))] + [len(str(r[index - 1])) for r in table["rows"][:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(8, width + 2), 50)
    if not book.sheetnames:  # a workbook needs a sheet, even for a pack with nothing in it
        book.create_sheet(sheet_title(title, taken)).append([title, scope_line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
