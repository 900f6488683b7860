"""Helpers for the web tests: fill a store, start ``newsweave serve`` on a free loopback port in a
subprocess, and wait until it answers. No test talks to anything but 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

TOKEN = "test-token-" + "x" * 24

EVIL = [
    {"id": "evil", "title": "<script>t()</script>", "source": "<i>Outlet</i>",
     "url": "javascript:alert(3)",
     "text": 'A story with <script>alert("x")</script> and <img src=x onerror="alert(1)"> inside '
             'it, and a <a href="javascript:alert(2)">link</a>. Officials said "it is <b>bold</b>" '
             "on Monday in Port Aldane, where the Caldera plant burned."},
    {"id": 'x"><img src=x onerror=alert(7)>', "source": "javascript:alert(5)",
     "url": "JaVaScRiPt:alert(6)",
     "text": "The mayor said <svg onload=alert(9)> nothing and <iframe src=javascript:alert(10)>"
             "</iframe> was posted, with \"'><script>alert(11)</script>\" quoted on Tuesday."},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill_store(db: Path, paths: list[str], pipeline) -> None:
    from newsweave.store import Store, ingest

    with Store(db) as store:
        ingest(store, paths, pipeline)


def write_evil(folder: Path) -> Path:
    path = folder / "evil.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in EVIL), encoding="utf-8")
    return path


@contextmanager
def running_server(db: Path, log: Path, config: Path | None = None, token: str | None = TOKEN):
    """``newsweave serve`` in a subprocess on a free port; yields the base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWSWEAVE_TOKEN"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
    if token:
        env["NEWSWEAVE_TOKEN"] = token
    cmd = [sys.executable, "-m", "newsweave.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
           "--port", str(port)] + (["--config", str(config)] if config else [])
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start in 60 s: {log.read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
