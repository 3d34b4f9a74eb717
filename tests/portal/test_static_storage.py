"""portal.static_storage: the manifest storage keeps each asset's URL, and nothing else changes
(hashed names from the manifest, unhashed under DEBUG, an unknown asset refused)."""

import json

import pytest
from django.test import override_settings

from portal.static_storage import ManifestStorage


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps(
        {"paths": {"css/portal.css": "css/portal.0123abcd.css"}, "version": "1.1", "hash": "x"}))
    with override_settings(DEBUG=False, STATIC_URL="/static/"):
        yield ManifestStorage(location=str(tmp_path), base_url="/static/")


def test_an_asset_url_is_the_manifests_and_is_worked_out_once(storage, monkeypatch):
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
    monkeypatch.setattr(storage, "stored_name", lambda name: pytest.fail("looked up again"))
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"


def test_an_unknown_asset_is_refused_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_debug_uses_the_plain_names_and_keeps_nothing(storage):
    with override_settings(DEBUG=True):
        assert storage.url("css/portal.css") == "/static/css/portal.css"
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
