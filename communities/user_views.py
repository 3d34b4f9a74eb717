"""用户管理 pages (administrators): list with office and role, create, edit, disable/enable,
reset password; the lockout (django-axes) is linked to where it is lifted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities.models import Office, User
from communities.permissions import can_manage_users
from communities.users import NewUserForm, UserForm
from portal.permissions import require_page


def _users(params):
    rows = User.objects.select_related("office__region").order_by("office__region__path", "office__kind", "username")
    keyword = params.get("q", "").strip()[:50]
    if keyword:
        rows = rows.filter(Q(username__icontains=keyword) | Q(first_name__icontains=keyword)
                           | Q(last_name__icontains=keyword) | Q(office__name__icontains=keyword)
                           | Q(phone__icontains=keyword))
    kind = params.get("kind", "")
    if kind in Office.Kind.values:
        rows = rows.filter(office__kind=kind)
    return rows, {"q": keyword, "kind": kind if kind in Office.Kind.values else ""}


@login_required
def user_list(request):
    require_page(can_manage_users(request.user))
    rows, filters = _users(request.GET)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "communities/user_list.html", {
        "page": page, "filters": filters, "kinds": Office.Kind.choices})


@login_required
def user_edit(request, pk=None):
    require_page(can_manage_users(request.user))
    user = get_object_or_404(User, pk=pk) if pk else None
    form_class = UserForm if user else NewUserForm
    form = form_class(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"用户“{saved.username}”已{'保存' if user else '创建'}")
        return redirect("user_list")
    return render(request, "communities/user_form.html", {"form": form, "subject": user})


@login_required
@require_POST
def user_toggle(request, pk):
    """停用 / 启用: a disabled user cannot sign in; their history stays."""
    require_page(can_manage_users(request.user))
    user = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    if user.pk == request.user.pk and not active:
        messages.error(request, "不能停用自己的账号")
    else:
        User.objects.filter(pk=user.pk).update(is_active=active)
        messages.success(request, f"用户“{user.username}”已{'启用' if active else '停用'}")
    return redirect("user_list")


@login_required
def user_password(request, pk):
    """重置密码: the administrator sets a new password, checked by Django's validators."""
    require_page(can_manage_users(request.user))
    user = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"用户“{user.username}”的密码已重置，请通知本人登录后修改")
        return redirect("user_list")
    return render(request, "communities/user_password.html", {"form": form, "subject": user})
