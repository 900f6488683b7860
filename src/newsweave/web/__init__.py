"""The web app and JSON API (``newsweave serve``): FastAPI, uvicorn, assets shipped in the
package (no CDN). Needs the ``web`` extra: ``pip install 'newsweave[web]'``."""

from __future__ import annotations


def create_app(*args, **kwargs):
    from .app import create_app as _create

    return _create(*args, **kwargs)


def serve(*args, **kwargs):
    from .app import serve as _serve

    return _serve(*args, **kwargs)


__all__ = ["create_app", "serve"]
