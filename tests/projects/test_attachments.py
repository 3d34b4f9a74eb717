import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n"


def upload(api, pid, name, content, kind="application_plan"):
    return api.post(f"/api/projects/{pid}/attachments/",
                    {"kind": kind, "file": SimpleUploadedFile(name, content)}, format="multipart")


def test_upload_and_download_within_scope_only(api_for, client_for, create_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pid = create_project("shaoxing")["id"]
    response = upload(api_for("street_tashan"), pid, "申报方案.pdf", PDF)
    assert response.status_code == 201, response.json()
    aid = response.json()["id"]
    ok = client_for("district_yuecheng").get(f"/projects/attachments/{aid}/download/")
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF
    assert api_for("city_shaoxing").get(f"/api/attachments/{aid}/download/").status_code == 200
    for outsider in ("street_jianshe", "district_nanhu", "city_jiaxing"):
        assert client_for(outsider).get(f"/projects/attachments/{aid}/download/").status_code == 404
        assert api_for(outsider).get(f"/api/attachments/{aid}/download/").status_code == 404


@pytest.mark.parametrize("name, content, message", [
    ("plan.exe", b"MZ", "文件类型不允许"),
    ("plan.pdf", b"MZ\x90\x00", "不符"),
])
def test_bad_uploads_are_refused_with_a_message(api_for, create_project, settings, tmp_path,
                                                name, content, message):
    settings.MEDIA_ROOT = tmp_path
    pid = create_project("shaoxing")["id"]
    response = upload(api_for("street_tashan"), pid, name, content)
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not list(tmp_path.rglob("*.*"))


def test_oversize_upload_is_refused(api_for, create_project, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 10
    pid = create_project("shaoxing")["id"]
    response = upload(api_for("street_tashan"), pid, "big.pdf", PDF * 10)
    assert response.status_code == 400 and "文件过大" in response.json()["detail"]


def test_reviewer_cannot_upload_to_street_project(api_for, create_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pid = create_project("shaoxing")["id"]
    assert upload(api_for("district_yuecheng"), pid, "a.pdf", PDF).status_code == 403


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\boot.pdf", "a/b.pdf", "x\x00.pdf"])
def test_path_traversal_names_are_refused_by_the_service(users, create_project, name):
    from portal.errors import InvalidInput
    from projects.attachments import add_attachment
    from projects.models import CreationProject

    project = CreationProject.objects.get(pk=create_project("shaoxing")["id"])
    upload = SimpleUploadedFile("placeholder.pdf", PDF)
    upload._name = name  # bypass UploadedFile.name, which strips directories like the multipart parser
    with pytest.raises(InvalidInput, match="文件名不合法"):
        add_attachment(users["street_tashan"], project, "photo", upload)


def test_traversal_name_over_http_is_stored_under_a_random_name(api_for, create_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pid = create_project("shaoxing")["id"]
    response = upload(api_for("street_tashan"), pid, "../../etc/passwd.pdf", PDF)
    assert response.json().get("original_name", "passwd.pdf") == "passwd.pdf"
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(tmp_path / "attachments") and "passwd" not in p.name for p in stored)
