"""The words the operation log (communities.audit_words) writes for the project routes: the
workflow move by its label (提交申报, 退回修改 …) and the project by its display name."""

from communities.audit_words import register
from projects import workflow
from projects.models import CreationProject


def project_name(request, kwargs) -> str:
    project = (CreationProject.objects.select_related("community").filter(pk=kwargs.get("pk")).first())
    return project.display_name if project else f"项目#{kwargs.get('pk')}"


def attachment_project(request, kwargs) -> str:
    from projects.models import Attachment

    attachment = Attachment.objects.select_related("project__community").filter(pk=kwargs.get("pk")).first()
    return f"{attachment.project.display_name}（附件：{attachment}）" if attachment else f"附件#{kwargs.get('pk')}"


def move_label(request) -> str:
    action = request.POST.get("action", "")
    return workflow.ACTIONS[action][0] if action in workflow.ACTIONS else "项目流转"


def connect() -> None:
    register("projects:act", move_label, project_name)
    register("projects:create", "新建申报", lambda request, kwargs: request.POST.get("name", ""))
    register("projects:edit", "修改申报", project_name)
    register("projects:prechecks", "申报预审")
    register("projects:what_if", "政策模拟")
    register("projects:report_new", "填报月报", project_name)
    register("projects:report_edit", "修改月报", project_name)
    register("projects:spending_add", "录入支出", project_name)
    register("projects:spending_finalise", "确认支出决算", project_name)
    register("projects:attachment_upload", "上传附件", project_name)
    register("projects:attachment_download", "下载附件", attachment_project)
