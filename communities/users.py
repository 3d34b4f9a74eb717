"""用户管理 for administrators, outside the Django admin: the users with their office and role,
create a user, disable or enable one, reset a password (Django's validators). The forms clean
what a person may paste (control characters, full-width digits) with a message naming the field."""

import re
import unicodedata

from django import forms
from django.contrib.auth import password_validation

from communities.models import Office, User
from communities.roles import group_for_kind

NEW_PASSWORD = {"class": "form-control", "autocomplete": "new-password"}
PHONE = re.compile(r"^[0-9+\-（）() ]{5,30}$")


def _no_controls(value: str, label: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise forms.ValidationError(f"{label}含有不可见的控制字符，请删除后重新输入")
    return value.strip()


class UserForm(forms.ModelForm):
    """Who the user is and which office they act for; the role follows the office's kind."""

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "phone", "email", "office"]
        labels = {"last_name": "姓", "first_name": "名", "email": "电子邮箱"}
        widgets = {name: forms.TextInput(attrs={"class": "form-control"})
                   for name in ("username", "last_name", "first_name", "phone")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["class"] = "form-control"
        self.fields["office"].widget.attrs["class"] = "form-select"
        self.fields["office"].queryset = Office.objects.select_related("region").order_by("region__path", "kind")
        self.fields["office"].required = True
        if self.instance.pk:
            self.fields["username"].disabled = True

    def clean_username(self):
        return _no_controls(self.cleaned_data["username"], "用户名")

    def clean_last_name(self):
        return _no_controls(self.cleaned_data["last_name"], "姓")

    def clean_first_name(self):
        return _no_controls(self.cleaned_data["first_name"], "名")

    def clean_phone(self):
        phone = unicodedata.normalize("NFKC", _no_controls(self.cleaned_data["phone"], "联系电话"))
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("联系电话只能包含数字、空格、括号、加号和短横线（5至30位）")
        return phone

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            user.groups.set([group_for_kind(user.office.kind)])
            if user.office.kind == Office.Kind.ADMIN:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        return user


class NewUserForm(UserForm):
    password1 = forms.CharField(label="初始密码", strip=False, widget=forms.PasswordInput(attrs=NEW_PASSWORD))
    password2 = forms.CharField(label="确认密码", strip=False, widget=forms.PasswordInput(attrs=NEW_PASSWORD))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致")
        elif first:
            probe = User(username=cleaned.get("username", ""), first_name=cleaned.get("first_name", ""),
                         last_name=cleaned.get("last_name", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
            user.groups.set([group_for_kind(user.office.kind)])
            if user.office.kind == Office.Kind.ADMIN:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        return user
