"""Attachment upload rules: type by extension and content, size, and a safe file name."""

import io
import zipfile

from django.conf import settings

from portal.errors import Forbidden, InvalidInput
from projects import permissions
from projects.models import FINAL_STATUSES, Attachment

SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword", "xls": "application/vnd.ms-excel",
}


def _refuse(message):
    raise InvalidInput(message, {"file": message})


def clean_file_name(name: str) -> str:
    if not name or any(part in name for part in ("/", "\\", "..", "\x00")) or len(name) > 200:
        _refuse("文件名不合法：不能包含路径（/ \\ ..），长度不超过200个字符")
    if any(ord(ch) < 32 for ch in name):
        _refuse("文件名不合法：含有控制字符")
    return name


def check_upload(upload) -> tuple[str, str]:
    """(clean name, content type) or InvalidInput with a message naming the problem."""
    name = clean_file_name(getattr(upload, "name", ""))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        _refuse("文件类型不允许：仅限 PDF、Word、Excel、JPG、PNG")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        _refuse(f"文件过大：上限为 {settings.UPLOAD_MAX_MB} MB")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[extension]):
        _refuse(f"文件内容与扩展名 .{extension} 不符")
    if extension in ("docx", "xlsx"):
        data = upload.read()
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                expanded = sum(i.file_size for i in archive.infolist())
        except zipfile.BadZipFile:
            _refuse(f"文件内容与扩展名 .{extension} 不符")
        if expanded > 10 * settings.UPLOAD_MAX_BYTES:
            _refuse("文件解压后体积异常（疑似压缩炸弹），已拒绝")
    return name, CONTENT_TYPES[extension]


def add_attachment(user, project, kind: str, upload) -> Attachment:
    allowed, reason = permissions.can_upload_attachment(user, project)
    if not allowed:
        raise Forbidden(reason)
    if project.status in FINAL_STATUSES:
        raise InvalidInput("项目已结束，不能再上传附件", {"file": "项目已结束"})
    if kind not in Attachment.Kind.values:
        raise InvalidInput("附件类型不正确", {"kind": "附件类型不正确"})
    name, content_type = check_upload(upload)
    attachment = Attachment(project=project, kind=kind, original_name=name,
                            content_type=content_type, size=upload.size, uploaded_by=user)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


