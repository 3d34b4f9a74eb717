"""The public site (公示与居民参与): no login, phone-first, only what residents.public allows."""

import secrets

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from portal.errors import ProjectError
from residents import notices, public, services
from residents.client import address_key
from residents.models import Survey

DEVICE_COOKIE, DEVICE_SALT = "rsd_device", "residents.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def index(request):
    on = notices.today()
    region = public.region_or_404(request.GET.get("region"))
    return render(request, "residents/public/index.html", {
        "cities": public.public_regions(), "region": region, "rows": public.project_rows(region, on),
        "notices": public.public_notices(on), "planned_basis": public.PLANNED_BASIS, "today": on})


def project(request, pk):
    on = notices.today()
    item = public.public_project_or_404(pk)
    shown = public.disclosure(item)
    return render(request, "residents/public/project.html", {
        "project": item, "status": public.public_status(item.status), "planned": public.planned_progress(item, on),
        "reports": item.monthly_reports.order_by("-month").values("month", "progress_percent")[:24],
        "notices": public.public_notices(on, item), "surveys": public.open_surveys(item, on),
        "show_investment": bool(shown and shown.show_investment),
        "attachments": list(shown.attachments.all()) if shown else [], "planned_basis": public.PLANNED_BASIS})


def attachment(request, pk):
    """A project attachment the street marked public — and no other."""
    from django.http import FileResponse, Http404

    from projects.models import Attachment

    found = Attachment.objects.filter(pk=pk, project__public_disclosure__attachments__pk=pk,
                                      project__status__in=public.PUBLIC_STATUSES).first() \
        if str(pk).isdigit() else None
    if found is None:
        raise Http404("文件不存在或未公开")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name,
                        content_type=found.content_type)


def notice(request, pk):
    item = public.public_notice_or_404(pk)
    return _notice_page(request, item, {})


def _notice_page(request, item, form, errors=None, status=200):
    on = notices.today()
    return render(request, "residents/public/notice.html", {
        "notice": item, "active": notices.is_active(item, on), "days_left": public.days_left(item, on),
        "projects": item.projects.select_related("community"), "form": form, "errors": errors or {},
        "filed": request.GET.get("filed") == "1"}, status=status)


@require_http_methods(["POST"])
def objection(request, pk):
    item = public.public_notice_or_404(pk)
    data = {k: request.POST.get(k, "") for k in ("name", "phone", "text")}
    try:
        notices.file_objection(item, data, address_key=address_key(request))
    except ProjectError as exc:
        return _notice_page(request, item, data, exc.fields or {"__all__": exc.message}, status=exc.status_code)
    return redirect(f"{request.path.rsplit('objection/', 1)[0]}?filed=1")


def _device(request) -> tuple[str, bool]:
    device = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    if device and len(device) <= 40:
        return device, False
    return secrets.token_hex(16), True


def _with_device(response, device, new):
    if new:
        response.set_signed_cookie(DEVICE_COOKIE, device, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE,
                                   httponly=True, samesite="Lax", secure=_secure())
    return response


def _secure():
    from django.conf import settings

    return settings.SESSION_COOKIE_SECURE


@require_http_methods(["GET", "POST"])
def survey(request, token):
    item = get_object_or_404(Survey.objects.select_related("project__community", "community"),
                             token=token, source=Survey.Source.QR)
    device, new = _device(request)
    context = {"survey": item, "open": services.is_open(item, notices.today()), "errors": {}, "data": {},
               "retention_days": services.retention_days(), "done": False}
    status = 200
    if request.method == "POST":
        context["data"] = request.POST
        try:
            services.submit_answer(item, request.POST, device=device, address_key=address_key(request))
            context["done"] = True
        except services.AlreadyAnswered as exc:
            context.update(done=True, already=exc.message)
            status = 409
        except ProjectError as exc:
            context["errors"] = exc.fields or {"__all__": exc.message}
            context["message"] = exc.message
            status = exc.status_code
    elif item.responses.filter(device=device).exists():
        context.update(done=True, already="本设备已提交过该调研，感谢参与")
    return _with_device(render(request, "residents/public/survey.html", context, status=status), device, new)
