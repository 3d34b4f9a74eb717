"""Strict environment parsing: a value we cannot read is an error at start-up, never a default."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={raw!r} is not a boolean; use true/false, 1/0, yes/no or on/off."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_planner_cost(name: str, default: str) -> str | None:
    """A PostgreSQL planner cost (a positive decimal such as 1.1), or None for "server"."""
    raw = (os.environ.get(name) or default).strip()
    if raw.lower() == "server":
        return None
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,4})?", raw) or float(raw) <= 0:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a planner cost; use a decimal such as 1.1, or server."
        )
    return raw
