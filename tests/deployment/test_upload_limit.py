"""Issue #20 item 17: one upload limit (settings.UPLOAD_MAX_MB), read by the attachment and
import checks, the API's 413, the proxy configuration and the operations guide."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def proxy_limit_mb() -> int:
    return settings.UPLOAD_MAX_MB + settings.DATA_UPLOAD_MAX_MEMORY_SIZE // MB


def test_the_figure_is_twenty_megabytes_stated_once():
    assert settings.UPLOAD_MAX_MB == 20 and settings.UPLOAD_MAX_BYTES == 20 * MB
    code = [path for path in ROOT.glob("*/**/*.py") if ".venv" not in path.parts and "tests" not in path.parts
            and re.search(r"\b(10|12|20) \* 1024 \* 1024", path.read_text(encoding="utf-8"))]
    assert code == [], f"an upload size written outside config/settings.py: {code}"


def test_the_proxy_config_and_the_guide_give_the_same_figure():
    nginx = (ROOT / "config/deploy/nginx.conf").read_text(encoding="utf-8")
    guide = (ROOT / "docs/OPERATIONS.md").read_text(encoding="utf-8")
    assert re.findall(r"client_max_body_size (\d+)m;", nginx) == [str(proxy_limit_mb())]
    assert re.findall(r"client_max_body_size (\d+)m;", guide) == [str(proxy_limit_mb())]
    assert f"**{settings.UPLOAD_MAX_MB} MB**" in guide
    assert not re.search(r"\b(10|12) MB\b", guide.split("## 3.")[0]), "a second upload figure in the guide"


@pytest.mark.django_db
def test_attachments_and_the_import_read_the_same_setting(settings, api_for, client_for, create_project, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_MB = 64, 1
    pid = create_project("shaoxing")["id"]
    big_pdf = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"x" * 64)
    response = api_for("street_tashan").post(f"/api/projects/{pid}/attachments/",
                                             {"kind": "application_plan", "file": big_pdf}, format="multipart")
    assert response.status_code == 400 and "上限为 1 MB" in response.json()["detail"]
    big_xlsx = SimpleUploadedFile("c.xlsx", b"PK\x03\x04" + b"x" * 64)
    page = client_for("street_tashan").post("/communities/import/", {"file": big_xlsx})
    assert "上限为 1 MB" in page.context["refused"]


@pytest.mark.django_db
def test_the_api_refuses_a_body_past_the_proxy_figure_with_a_json_413(api_for, create_project):
    pid = create_project("shaoxing")["id"]
    too_big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"x" * (proxy_limit_mb() * MB))
    response = api_for("street_tashan").post(f"/api/projects/{pid}/attachments/",
                                             {"kind": "application_plan", "file": too_big}, format="multipart")
    assert response.status_code == 413 and f"{proxy_limit_mb()} MB" in response.json()["detail"]
