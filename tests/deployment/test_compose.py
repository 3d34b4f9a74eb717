"""docker-compose.yml, the Dockerfile and .env.example refer only to things that exist.

Docker does not run here, so these tests read the files and check every name they use
against the repository: scripts and config files, the settings module, the Celery app,
management commands, environment variables, COPY sources, volumes and health checks.
"""

import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
# Read by the postgres image or by docker compose itself, not by our code.
COMPOSE_ONLY_VARIABLES = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "WEB_PORT"}
CODE_READ_PATTERNS = [
    re.compile(r"""env_(?:str|bool|int|list|planner_cost)\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""os\.environ\.(?:get|setdefault|pop)\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""),
    re.compile(r"""os\.getenv\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
]
SHELL_VARIABLE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")
INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def services() -> dict:
    return compose()["services"]


def argv(value) -> list[str]:
    """A compose command or healthcheck test as a list of words."""
    if value is None:
        return []
    if isinstance(value, str):
        return shlex.split(value)
    if value and value[0] in ("CMD", "CMD-SHELL"):
        return shlex.split(value[1]) if value[0] == "CMD-SHELL" else list(value[1:])
    return list(value)


def source_files():
    """Our Python modules (not tests, migrations or the virtualenv) and the deploy scripts."""
    skip = {"tests", "migrations", "node_modules", "staticfiles", "media", "__pycache__"}
    for directory, subdirs, files in os.walk(ROOT):
        subdirs[:] = [d for d in subdirs if d not in skip and not d.startswith(".")]
        for name in files:
            path = Path(directory) / name
            if path.suffix == ".py" or (path.suffix == ".sh" and path.parent.name == "deploy"):
                yield path


def variables_read_by_code() -> set[str]:
    names = set()
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".sh":
            names.update(SHELL_VARIABLE.findall(text))
        for pattern in CODE_READ_PATTERNS:
            names.update(pattern.findall(text))
    return names


def env_example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def manage_py_commands(words: list[str]) -> list[str]:
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word.endswith("manage.py")]


def check_command(words: list[str], where: str) -> None:
    """Every file, module, Celery app and management command named in `words` exists."""
    assert words, f"{where}: no command"
    commands = get_commands()
    for i, word in enumerate(words):
        if word.startswith(("config/deploy/", "./config/deploy/", "/app/config/deploy/")):
            path = ROOT / word.removeprefix("/app/").removeprefix("./")
            assert path.is_file(), f"{where}: {word} does not exist"
            if i == 0:
                assert path.stat().st_mode & stat.S_IXUSR, f"{where}: {word} is not executable"
    program = Path(words[0]).name
    if program == "celery":
        assert words[1:3] == ["-A", "config"], f"{where}: expected `celery -A config …`"
        from celery.app.utils import find_app

        assert find_app("config").main == "config"
    if program == "gunicorn":
        conf = words[words.index("-c") + 1]
        assert (ROOT / conf).is_file(), f"{where}: {conf} does not exist"
    for name in manage_py_commands(words):
        assert name in commands, f"{where}: manage.py {name} is not a management command"


def test_compose_file_has_the_five_services():
    assert set(services()) == {"db", "redis", *APP_SERVICES}


@pytest.mark.parametrize("name", ["db", "redis", *APP_SERVICES])
def test_every_service_has_a_healthcheck(name):
    healthcheck = services()[name].get("healthcheck")
    assert healthcheck and not healthcheck.get("disable"), f"{name} has no healthcheck"
    words = argv(healthcheck["test"])
    assert words, f"{name}: empty healthcheck"
    if name in APP_SERVICES:
        check_command(words, f"{name} healthcheck")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_application_commands_refer_to_what_exists(name):
    service = services()[name]
    words = argv(service.get("entrypoint")) + argv(service.get("command"))
    check_command(words, name)


def test_web_migrates_and_loads_reference_data_then_runs_gunicorn_with_the_config():
    words = argv(services()["web"]["command"])
    assert words[0] == "config/deploy/entrypoint.sh" and words[1:3] == ["gunicorn", "-c"]
    assert words[3] == "config/deploy/gunicorn.conf.py"
    script = (ROOT / "config/deploy/entrypoint.sh").read_text(encoding="utf-8")
    run = [line.split() for line in script.splitlines() if "manage.py" in line and not line.lstrip().startswith("#")]
    assert ["python", "manage.py", "migrate", "--noinput"] in run
    assert ["python", "manage.py", "load_reference_data"] in run
    assert 'exec "$@"' in script
    for line in run:
        check_command(line, "config/deploy/entrypoint.sh")
    syntax = subprocess.run(["sh", "-n", str(ROOT / "config/deploy/entrypoint.sh")], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr


def test_gunicorn_config_serves_the_projects_wsgi_application():
    import runpy

    conf = runpy.run_path(str(ROOT / "config/deploy/gunicorn.conf.py"))
    module_name, attribute = conf["wsgi_app"].split(":")
    assert module_name == settings.WSGI_APPLICATION.rsplit(".", 1)[0]
    import importlib

    assert callable(getattr(importlib.import_module(module_name), attribute))
    assert conf["workers"] >= 1 and conf["accesslog"] == "-"


def test_worker_consumes_the_default_queue_and_every_routed_queue():
    words = argv(services()["worker"]["command"])
    queues = set(words[words.index("--queues") + 1].split(","))
    routes = getattr(settings, "CELERY_TASK_ROUTES", None) or {}
    routed = {route["queue"] for route in routes.values() if isinstance(route, dict) and "queue" in route}
    assert "celery" in queues
    assert routed <= queues, f"queues routed in settings but consumed by no worker: {routed - queues}"


def test_beat_keeps_its_schedule_on_a_volume_and_answers_pings():
    beat = services()["beat"]
    words = argv(beat["command"])
    schedule = words[(words.index("--schedule") if "--schedule" in words else words.index("-s")) + 1]
    mounts = [volume.split(":")[1] for volume in beat["volumes"]]
    assert any(schedule.startswith(mount + "/") for mount in mounts), (schedule, mounts)
    assert "--enable-remote-control" in words  # what its healthcheck pings


def test_web_and_worker_share_the_media_volume_at_media_root():
    spec = services()
    for name in ("web", "worker"):
        mounts = dict(volume.split(":")[:2] for volume in spec[name]["volumes"])
        media_root = spec[name]["environment"]["MEDIA_ROOT"]
        assert mounts.get("media") == media_root, f"{name}: media volume not at MEDIA_ROOT"


def test_named_volumes_are_declared_and_data_services_persist():
    spec = compose()
    declared = set(spec["volumes"])
    for name, service in spec["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name}: volume {source} not declared"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in spec["services"]["db"]["volumes"])
    assert any(v.endswith(":/data") for v in spec["services"]["redis"]["volumes"])
    assert "--appendonly" in argv(spec["services"]["redis"]["command"])


def test_dependencies_wait_for_healthy_services():
    spec = services()
    for name, service in spec.items():
        depends = service.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on needs conditions"
        for target, condition in depends.items():
            assert target in spec, f"{name} depends on unknown service {target}"
            assert condition.get("condition") == "service_healthy", f"{name} → {target}"
    for name in APP_SERVICES:
        assert {"db", "redis"} <= set(spec[name]["depends_on"])


def test_compose_variables_are_documented_and_read_by_the_code():
    documented = env_example_variables()
    read = variables_read_by_code()
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    interpolated = set(INTERPOLATION.findall(text))
    assert interpolated <= documented, f"not in .env.example: {interpolated - documented}"
    for name, service in services().items():
        names = set(service.get("environment") or {})
        assert names <= documented, f"{name}: not in .env.example: {names - documented}"
        if name in APP_SERVICES:
            assert names <= read, f"{name}: set but never read by the code: {names - read}"
    assert interpolated - read <= COMPOSE_ONLY_VARIABLES


def test_env_example_lists_every_variable_the_code_reads_and_nothing_else():
    documented = env_example_variables()
    read = variables_read_by_code()
    assert read <= documented, f"read by the code but missing from .env.example: {sorted(read - documented)}"
    assert documented - read <= COMPOSE_ONLY_VARIABLES, (
        f"in .env.example but read by nothing: {sorted(documented - read - COMPOSE_ONLY_VARIABLES)}")
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "EMAIL_URL",
            "MEDIA_ROOT"} <= documented  # CONTRACTS §2


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def copy_sources() -> list[str]:
    sources = []
    for keyword, rest in dockerfile_instructions():
        if keyword == "COPY":
            words = [w for w in shlex.split(rest) if not w.startswith("--")]
            sources += words[:-1]
    return sources


def test_dockerfile_copy_sources_exist_and_are_not_ignored():
    ignored = {p.rstrip("/") for p in dockerignore_patterns() if not p.startswith("!")}
    sources = copy_sources()
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
        assert source.rstrip("/") not in ignored, f"COPY {source}: excluded by .dockerignore"


def test_dockerfile_copies_every_app_and_data_directory_the_code_needs():
    copied = {source.rstrip("/") for source in copy_sources()}
    needed = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "benchmarks"}
    needed |= {Path(d).name for d in settings.STATICFILES_DIRS}
    needed |= {Path(d).name for t in settings.TEMPLATES for d in t["DIRS"]}
    needed |= {"fixtures", "manage.py"}
    assert needed <= copied, f"the image would lack: {sorted(needed - copied)}"


def test_dockerfile_runs_as_non_root_collects_static_and_starts_the_web_command():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    runs = " ".join(rest for keyword, rest in instructions if keyword == "RUN")
    assert "manage.py collectstatic --noinput" in runs and "SECRET_KEY=" in runs and "DEBUG=false" in runs
    assert "pyproject.toml" in runs
    cmd = [rest for keyword, rest in instructions if keyword == "CMD"][-1]
    import json

    assert json.loads(cmd) == argv(services()["web"]["command"])
    check_command(json.loads(cmd), "Dockerfile CMD")


def test_production_static_build_succeeds(tmp_path):
    """The Dockerfile's collectstatic step: DEBUG=false, manifest storage, a build-only key."""
    script = (
        "import sys, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "settings.STATIC_ROOT = sys.argv[1]\n"
        "from django.core.management import call_command\n"
        "call_command('collectstatic', '--noinput', verbosity=0)\n"
    )
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "build-only-collectstatic-not-a-secret",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "staticfiles.json").is_file()
