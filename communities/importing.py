"""Excel import of community dossiers: template, validation, all-or-nothing write.

A workbook is refused before openpyxl parses it when it is not a zip of the xlsx shape,
larger than UPLOAD_MAX_BYTES, or expands beyond MAX_EXPANDED_BYTES (zip bomb).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from communities.models import Community, Region
from portal import generation
from portal.validators import ascii_int

DECIMAL_TEXT = re.compile(r"[0-9]{1,12}(\.[0-9]+)?")  # ASCII digits: no ², no 1e30

MAX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ROWS = 5000
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text | int | decimal | bool | choice | street
    required: bool = False
    choices: tuple = ()


COLUMNS = [
    Column("社区名称", "name", required=True),
    Column("社区代码（12位）", "code"),
    Column("所属街道（9位代码或名称）", "street", kind="street", required=True),
    Column("户数", "households", kind="int"),
    Column("人口", "population", kind="int"),
    Column("面积（公顷）", "area_ha", kind="decimal"),
    Column("建成年代", "built_period", kind="choice",
           choices=tuple(Community.BuiltPeriod.choices)),
    Column("存在多孔预制楼板", "hollow_precast_slabs", kind="bool"),
    Column("其他安全隐患", "other_safety_hazards"),
    Column("单元内含别墅、排屋、洋房", "has_villas", kind="bool"),
    Column("被铁路、干道或河流分割", "split_by", kind="choice",
           choices=tuple(Community.Barrier.choices)),
    Column("涉及行政社区数", "admin_community_count", kind="int"),
    Column("已建邻里中心", "has_neighbourhood_centre", kind="bool"),
    Column("备注", "notes"),
]
EXAMPLE_ROW = ["示例社区（导入前请删除本行）", "330602001001", "330602001", 1200, 3500, "18.50",
               "1970—1990年代", YES, "", NO, "无", 1, NO, ""]


def build_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "社区导入"
    ws.append([c.header + ("*" if c.required else "") for c in COLUMNS])
    ws.append(EXAMPLE_ROW)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        ws.column_dimensions[letter].width = max(12, len(column.header) * 2 + 2)
        options = None
        if column.kind == "bool":
            options = [YES, NO]
        elif column.kind == "choice":
            options = [label for _, label in column.choices]
        if options:
            dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                allow_blank=not column.required, showErrorMessage=True,
                                errorTitle="取值无效", error="请从下拉列表中选择")
            dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class ImportRefused(Exception):
    """The file as a whole cannot be read (type, size, zip bomb, shape)."""


@dataclass
class RowError:
    row: int
    field: str
    message: str


def check_workbook_file(upload) -> bytes:
    """Refuse anything that is not a sane .xlsx before any XML is parsed."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise ImportRefused("文件类型不正确：请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）。")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ImportRefused(f"文件过大：上限为 {settings.UPLOAD_MAX_MB} MB。")
    data = upload.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            expanded = sum(info.file_size for info in infos)
            names = {info.filename for info in infos}
    except zipfile.BadZipFile:
        raise ImportRefused("文件无法读取：不是有效的 .xlsx 文件。") from None
    if "xl/workbook.xml" not in names:
        raise ImportRefused("文件无法读取：不是有效的 .xlsx 文件。")
    if len(infos) > 500 or expanded > MAX_EXPANDED_BYTES or (
        data and expanded / len(data) > MAX_COMPRESSION_RATIO and expanded > 5 * 1024 * 1024
    ):
        raise ImportRefused("文件解压后体积异常（疑似压缩炸弹），已拒绝。")
    return data


def _parse_cell(column: Column, value, streets: dict):
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if column.required:
            raise ValidationError("必填")
        return {"int": None, "decimal": None, "bool": False, "street": None}.get(column.kind, "")
    if isinstance(value, str):
        value = value.strip()
    if column.kind == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        number = None if isinstance(value, bool) else ascii_int(value if isinstance(value, int) else str(value))
        if number is None or number < 0:
            raise ValidationError("应为非负整数（阿拉伯数字）")
        return number
    if column.kind == "decimal":
        text = format(value, "f") if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
        if not DECIMAL_TEXT.fullmatch(text):
            raise ValidationError("应为非负数字（阿拉伯数字，最多两位小数，不超过12位整数）")
        return Decimal(text).quantize(Decimal("0.01"))
    if column.kind == "bool":
        if value in (YES, NO):
            return value == YES
        raise ValidationError("应填“是”或“否”")
    if column.kind == "choice":
        for key, label in column.choices:
            if value == label:
                return key
        raise ValidationError("应从下拉列表中选择：" + "、".join(label for _, label in column.choices))
    if column.kind == "street":
        street = streets.get(str(value))
        if street is None:
            raise ValidationError(f"“{value}”不是您权限范围内的街道（乡镇）")
        if street == "ambiguous":
            raise ValidationError(f"“{value}”对应多个街道，请填写9位代码")
        return street
    text = str(value)
    if column.field == "code" and isinstance(value, (int, float)):
        text = str(int(value))
    return text


def _streets_in_scope(user) -> dict:
    streets = Region.objects.filter(level=Region.Level.STREET, is_active=True)
    if not user.is_portal_admin:
        streets = streets.filter(path__startswith=user.scope_region.path)
    lookup: dict = {}
    for street in streets:
        if street.code:
            lookup[street.code] = street
        lookup[street.name] = "ambiguous" if street.name in lookup else street
    return lookup


def import_communities(upload, user) -> tuple[int, list[RowError]]:
    """Validate every row; write all of them, or nothing when any row has an error."""
    data = check_workbook_file(upload)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportRefused("文件无法读取：不是有效的 .xlsx 文件。") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    expected = [c.header for c in COLUMNS]
    if [str(h or "").rstrip("*") for h in header[: len(COLUMNS)]] != expected:
        raise ImportRefused("表头与导入模板不一致：请下载最新模板后填写。")
    streets = _streets_in_scope(user)
    errors: list[RowError] = []
    candidates: list[Community] = []
    seen_names, seen_codes = set(), set()
    for row_number, values in enumerate(rows, start=2):
        if row_number > MAX_ROWS + 1:
            raise ImportRefused(f"行数过多：一次最多导入 {MAX_ROWS} 行。")
        values = tuple(values[: len(COLUMNS)]) + (None,) * (len(COLUMNS) - len(values))
        if all(v is None or str(v).strip() == "" for v in values) or values[0] == EXAMPLE_ROW[0]:
            continue
        parsed, row_errors = {}, []
        for column, value in zip(COLUMNS, values, strict=True):
            try:
                parsed[column.field] = _parse_cell(column, value, streets)
            except ValidationError as exc:
                row_errors.append(RowError(row_number, column.header, exc.messages[0]))
        if not row_errors:
            community = Community(**{**parsed, "code": parsed["code"] or None})
            try:
                community.full_clean(validate_unique=False)
            except ValidationError as exc:
                labels = {c.field: c.header for c in COLUMNS}
                for field, messages in exc.message_dict.items():
                    row_errors.append(RowError(row_number, labels.get(field, field), messages[0]))
            key = (community.street_id, community.name)
            if key in seen_names or Community.objects.filter(street=community.street,
                                                             name=community.name).exists():
                row_errors.append(RowError(row_number, "社区名称", "该街道已有同名社区"))
            if community.code and (community.code in seen_codes or
                                   Community.objects.filter(code=community.code).exists()):
                row_errors.append(RowError(row_number, "社区代码（12位）", "社区代码已存在"))
            seen_names.add(key)
            if community.code:
                seen_codes.add(community.code)
            candidates.append(community)
        errors.extend(row_errors)
    if errors:
        return 0, errors
    if not candidates:
        raise ImportRefused("文件中没有数据行。")
    try:
        with transaction.atomic():
            Community.objects.bulk_create(candidates)
            generation.changed()
    except IntegrityError:  # the same rows imported at the same moment by someone else
        raise ImportRefused("导入未完成：文件中的社区名称或代码刚刚已被另一次导入创建，本次未写入任何数据。"
                            "请刷新社区列表核对后再导入。") from None
    return len(candidates), []
