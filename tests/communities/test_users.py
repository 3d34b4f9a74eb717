"""用户管理 (administrators, outside the Django admin) and 修改密码 (every user)."""

import pytest

from communities.models import Office, User

pytestmark = pytest.mark.django_db
STRONG = "Fuyang#Street2026"


def new_user(**fields):
    office = Office.objects.get(kind="street", region__code="330602001")
    return {"username": "zhang_san", "last_name": "张", "first_name": "三", "phone": "0575-85123456",
            "email": "zs@example.com", "office": office.pk, "password1": STRONG, "password2": STRONG, **fields}


def test_user_list_shows_office_role_name_and_phone(client_for, users):
    User.objects.filter(username="street_tashan").update(phone="0575-88001122")
    html = client_for("admin").get("/users/", {"q": "street_tashan"}).content.decode()
    row = html.split('data-testid="user-row"', 1)[1].split("</tr>", 1)[0]
    assert "street_tashan" in row and "0575-88001122" in row
    assert users["street_tashan"].office.name in row and "街道办事处 / 镇人民政府" in row


@pytest.mark.parametrize("role", ["street_tashan", "district_yuecheng", "city_jiaxing", "finance_fuyang"])
def test_user_management_is_for_administrators_only(client_for, users, role):
    client = client_for(role)
    target = users["street_fuchun"]
    assert client.get("/users/").status_code == 403
    assert client.post("/users/new/", new_user()).status_code == 403
    assert client.post(f"/users/{target.pk}/active/", {"active": "0"}).status_code == 403
    assert client.post(f"/users/{target.pk}/password/", {"new_password1": STRONG,
                                                          "new_password2": STRONG}).status_code == 403
    assert not User.objects.filter(username="zhang_san").exists()
    assert User.objects.get(pk=target.pk).is_active


def test_administrator_creates_a_user_with_the_role_of_the_office(client_for):
    response = client_for("admin").post("/users/new/", new_user())
    assert response.status_code == 302
    created = User.objects.get(username="zhang_san")
    assert (created.get_full_name(), created.phone, created.office.kind) == ("三 张", "0575-85123456", "street")
    assert [g.name for g in created.groups.all()] == ["街道"]
    assert created.check_password(STRONG)


@pytest.mark.parametrize(("fields", "message"), [
    ({"password1": "12345678", "password2": "12345678"}, "这个密码太常见了"),
    ({"password1": "Ab#1", "password2": "Ab#1"}, "密码长度太短，至少需要8个字符"),
    ({"password2": "Other#Pass2026"}, "两次输入的密码不一致"),
    ({"phone": "电话\x00"}, "联系电话"),
    ({"phone": "12\x07345"}, "联系电话含有不可见的控制字符"),
    ({"username": ""}, "用户名"),
])
def test_bad_input_names_the_field_and_creates_nothing(client_for, fields, message):
    response = client_for("admin").post("/users/new/", new_user(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="zhang_san").exists()


def test_full_width_digits_in_a_phone_are_read_as_digits(client_for):
    client_for("admin").post("/users/new/", new_user(phone="０５７５-８５１２３４５６"))
    assert User.objects.get(username="zhang_san").phone == "0575-85123456"


def test_a_disabled_user_cannot_sign_in_and_can_be_enabled_again(client_for, client, users):
    target = users["street_fuchun"]
    admin = client_for("admin")
    admin.post(f"/users/{target.pk}/active/", {"active": "0"})
    assert not User.objects.get(pk=target.pk).is_active
    admin.logout()
    assert client.post("/accounts/login/", {"username": "street_fuchun", "password": "Demo@2026"}).status_code == 200
    client_for("admin").post(f"/users/{target.pk}/active/", {"active": "1"})
    assert User.objects.get(pk=target.pk).is_active


def test_an_administrator_cannot_disable_themself(client_for, users):
    client_for("admin").post(f"/users/{users['admin'].pk}/active/", {"active": "0"})
    assert User.objects.get(username="admin").is_active


def test_reset_password_checks_the_validators(client_for, users):
    target = users["street_fuchun"]
    client = client_for("admin")
    weak = client.post(f"/users/{target.pk}/password/", {"new_password1": "password", "new_password2": "password"})
    assert "这个密码太常见了" in weak.content.decode()
    assert User.objects.get(pk=target.pk).check_password("Demo@2026")
    client.post(f"/users/{target.pk}/password/", {"new_password1": STRONG, "new_password2": STRONG})
    assert User.objects.get(pk=target.pk).check_password(STRONG)


def test_every_user_changes_their_own_password_in_chinese(client_for, users):
    client = client_for("street_tashan")
    page = client.get("/accounts/password/").content.decode()
    assert "修改密码" in page and "旧密码" in page
    wrong = client.post("/accounts/password/", {"old_password": "nope", "new_password1": STRONG,
                                                "new_password2": STRONG}).content.decode()
    assert "你的旧密码不正确" in wrong or "您的旧密码不正确" in wrong
    response = client.post("/accounts/password/", {"old_password": "Demo@2026", "new_password1": STRONG,
                                                   "new_password2": STRONG})
    assert response.status_code == 302
    assert User.objects.get(username="street_tashan").check_password(STRONG)
