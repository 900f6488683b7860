"""Configuration: one shipped default file, a user file laid over it, checked at once."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


def _merge(base: dict, over: dict, path: str = "") -> dict:
    out = dict(base)
    for key, value in over.items():
        where = f"{path}{key}"
        if key not in base:
            known = ", ".join(sorted(base))
            raise ConfigError(f"unknown setting {where!r}; known settings here: {known}")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where!r} must be a mapping of settings, got {value!r}")
            out[key] = _merge(base[key], value, where + ".")
        else:
            if base[key] is not None and value is not None and not isinstance(value, type(base[key])):
                if not (isinstance(base[key], float) and isinstance(value, int)):
                    raise ConfigError(
                        f"{where!r} must be a {type(base[key]).__name__}, got {value!r}"
                    )
            out[key] = value
    return out


@dataclass(frozen=True)
class Config:
    data: dict

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node


def load_config(user_file: str | Path | None = None, **overrides: Any) -> Config:
    """Load the shipped defaults, then ``user_file`` (YAML) over them, then ``overrides``.

    Raises ConfigError naming the bad key or value.
    """
    text = resources.files("newsweave").joinpath("defaults.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if user_file is not None:
        try:
            user = yaml.safe_load(Path(user_file).read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read config file {str(user_file)!r}: {exc}") from exc
        if not isinstance(user, dict):
            raise ConfigError(f"config file {str(user_file)!r} must hold a mapping at the top")
        data = _merge(data, user)
    for dotted, value in overrides.items():
        keys = dotted.split("__")
        patch: dict = {}
        node = patch
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
        data = _merge(data, patch)
    _check(data)
    return Config(data)


def check_token(token: Any, where: str = "web.token") -> None:
    """A write token for the web app is either unset (writes off) or long enough to guess never."""
    if token is None or token == "":
        return
    if not isinstance(token, str) or len(token) < 16:
        raise ConfigError(f"{where!r} must be a string of at least 16 characters (or null to turn "
                          "writes off); make one with: python -c 'import secrets; "
                          "print(secrets.token_urlsafe(32))'")


def _check(data: dict) -> None:
    """Checks that need more than the type of the shipped default."""
    web = data.get("web") or {}
    check_token(web.get("token"))
    size = web.get("max_upload_bytes")
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ConfigError(f"'web.max_upload_bytes' must be a positive number of bytes, got "
                          f"{size!r}; e.g. 20000000 for 20 MB")
    run = data.get("run") or {}
    encoders = ("minilm", "minilm-int8")
    if run.get("encoder") not in encoders:
        raise ConfigError(f"'run.encoder' must be one of {', '.join(encoders)}, got "
                          f"{run.get('encoder')!r}; the default is minilm")
    store = data.get("store") or {}
    for section, values, key, hint in (("run", run, "workers", "2"), ("run", run, "batch_size", "32"),
                                       ("run", run, "story_block", "8"),
                                       ("store", store, "group_chunk", "5000"),
                                       ("store", store, "ingest_batch", "10000")):
        value = values.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ConfigError(f"'{section}.{key}' must be a whole number of at least 1, got "
                              f"{value!r}; the default is {hint}")
