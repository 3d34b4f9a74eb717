"""Backup and restore drill (docs/OPERATIONS.md): pg_dump -Fc + media tar → drop → restore
→ every row and every attachment is back, byte for byte."""

import hashlib
import os
import subprocess
import tarfile

import pytest

from tests.reliability.helpers import app_env, manage, pg_env, require_postgres

pytestmark = [pytest.mark.integration]

MAKE_ATTACHMENTS = """
from django.core.files.uploadedfile import SimpleUploadedFile
from communities.models import User
from projects.attachments import add_attachment
from projects.models import CreationProject
user = User.objects.get(username="street_tashan")
projects = CreationProject.objects.filter(street=user.office.region, status__in=["draft", "submitted", "listed"])
for n, project in enumerate(projects.order_by("pk")[:3]):
    upload = SimpleUploadedFile(f"plan{n}.pdf", b"%PDF-1.4 " + bytes([n]) * 999)
    add_attachment(user, project, "application_plan", upload)
"""


def table_counts(env, dbname):
    sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema='public' "
           "AND table_type='BASE TABLE' ORDER BY 1")
    tables = subprocess.run(["psql", "-At", "-d", dbname, "-c", sql], env=env, check=True,
                            capture_output=True, text=True).stdout.split()
    counts = {}
    for table in tables:
        out = subprocess.run(["psql", "-At", "-d", dbname, "-c", f'SELECT count(*) FROM "{table}"'],
                             env=env, check=True, capture_output=True, text=True).stdout
        counts[table] = int(out)
    return counts


def checksums(root):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_dump_drop_restore_finds_every_row_and_attachment(tmp_path):
    pg = require_postgres()
    env = pg_env(pg)
    dbname = f"portal_backup_{os.getpid()}"
    media = tmp_path / "media"
    subprocess.run(["dropdb", "--if-exists", dbname], env=env, check=True)
    subprocess.run(["createdb", dbname], env=env, check=True)
    try:
        app = app_env(pg, dbname, MEDIA_ROOT=str(media))
        manage(app, "migrate", "--noinput")
        manage(app, "seed_demo", "--scale", "demo")
        seeded_files = len(checksums(media))  # the demo's required materials (DOMAIN §9)
        manage(app, "shell", "-c", MAKE_ATTACHMENTS)
        before_rows = table_counts(env, dbname)
        before_files = checksums(media)
        assert before_rows["projects_creationproject"] > 30 and before_rows["projects_transition"] > 100
        assert len(before_files) == seeded_files + 3

        dump = tmp_path / "portal.dump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), dbname], env=env, check=True)
        with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
            archive.add(media, arcname="media")

        subprocess.run(["dropdb", dbname], env=env, check=True)
        subprocess.run(["rm", "-rf", str(media)], check=True)
        subprocess.run(["createdb", dbname], env=env, check=True)
        subprocess.run(["pg_restore", "--no-owner", "-d", dbname, str(dump)], env=env, check=True)
        with tarfile.open(tmp_path / "media.tar.gz") as archive:
            archive.extractall(tmp_path, filter="data")

        assert table_counts(env, dbname) == before_rows
        assert checksums(media) == before_files
        # the restored database still refuses history edits (the trigger came back too)
        refused = subprocess.run(["psql", "-d", dbname, "-c", "UPDATE projects_transition SET comment='x'"],
                                 env=env, capture_output=True, text=True)
        assert refused.returncode != 0 and "append-only" in refused.stderr
        manage(app, "check")
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", dbname], env=env, check=False)
