"""The login form: Django's, with the username's length checked before anything is asked of
the database. Django sets AuthenticationForm's max_length after the field is built, so no
length validator runs and a 5,000-character name reached authenticate() — and django-axes'
varchar(255) attempt row, a 500 on PostgreSQL."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

PASSWORD_MAX_LENGTH = 4096


class LoginForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        limit = self.fields["username"].max_length or 150
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, message=f"用户名不能超过{limit}个字符"))
        self.fields["password"].validators.append(
            MaxLengthValidator(PASSWORD_MAX_LENGTH, message=f"密码不能超过{PASSWORD_MAX_LENGTH}个字符"))
