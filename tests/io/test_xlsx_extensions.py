"""A workbook saved by Excel with drop-down lists (a data-validation extension): read without openpyxl's
"extension is not supported" warning reaching the user, cells unchanged (cxtext.io.xlsx)."""

from __future__ import annotations

import io
import warnings
import zipfile

import openpyxl

from cxtext.io.read import read_table

# What Excel writes for a drop-down list whose choices live on another sheet (x14 data validation);
# openpyxl warns and drops it. Seen on a public Arabic app-review workbook (session 18's audit).
_EXTENSION = (
    '<extLst><ext uri="{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="0" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/>'
    '</ext></extLst>'
)


def _workbook_with_extension(path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["review", "rating"])
    sheet.append(["التطبيق ممتاز وسهل الاستخدام", 5])
    sheet.append(["the app crashes when I log in", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", _EXTENSION.encode() + b"</worksheet>")
            target.writestr(item, data)


def test_a_drop_down_extension_is_read_without_a_warning(tmp_path):
    path = tmp_path / "reviews.xlsx"
    _workbook_with_extension(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(openpyxl.load_workbook(path, read_only=True)["Sheet"].iter_rows())
    assert any("extension is not supported" in str(w.message) for w in caught)  # the file does carry one

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_table(path)
    assert not [w for w in caught if "extension" in str(w.message)]
    assert table.frame["review"].tolist() == ["التطبيق ممتاز وسهل الاستخدام", "the app crashes when I log in"]
    assert table.frame["rating"].tolist() == [5, 1]
