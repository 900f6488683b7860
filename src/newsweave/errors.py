"""One small exception family. A bad article never raises out of a batch: it becomes a Problem."""


class NewsweaveError(Exception):
    """Base class of every error newsweave raises on purpose."""


class InputError(NewsweaveError):
    """An input could not be turned into an article (unreadable, empty, not text...)."""

    def __init__(self, message: str, kind: str = "input"):
        super().__init__(message)
        self.kind = kind


class ConfigError(NewsweaveError):
    """A configuration value is wrong; the message names the value and the fix."""


class StageError(NewsweaveError):
    """A pipeline was built wrongly (a stage needs what no earlier stage adds)."""


class StoreError(NewsweaveError):
    """The corpus store cannot be opened or written."""


def missing_dependency(package: str, extra: str) -> NewsweaveError:
    return NewsweaveError(
        f"this feature needs the optional package {package!r}: pip install 'newsweave[{extra}]'"
    )
