"""A small API reference page drawn from the app's OpenAPI document, server-side, with no CDN
(FastAPI's default /docs would load Swagger UI from one). The machine-readable document stays at
/openapi.json."""

from __future__ import annotations

import json
import re

from ..render.html import esc


def _text(text: str) -> str:
    """Escaped prose with `code` and ``code`` shown as code."""
    return re.sub(r"`{1,2}([^`]+)`{1,2}", r"<code>\1</code>", esc(text))

EXAMPLES = """\
curl -s http://127.0.0.1:8000/api/stories?order=sources
curl -s http://127.0.0.1:8000/api/search?q=Caldera
curl -s -H "Authorization: Bearer $NEWSWEAVE_TOKEN" -F files=@a.txt -F files=@b.html \\
     http://127.0.0.1:8000/api/ingest
curl -s -H "Authorization: Bearer $NEWSWEAVE_TOKEN" -H "Content-Type: application/jsonl" \\
     --data-binary @feed.jsonl http://127.0.0.1:8000/api/ingest"""


def _type(schema: dict) -> str:
    if not schema:
        return ""
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    t = schema.get("type", "")
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if isinstance(t, list):
        return " | ".join(t)
    return t + (f" (default {json.dumps(schema['default'])})" if "default" in schema else "")


def docs_body(spec: dict) -> str:
    h = [(f"<h1>{esc(spec['info']['title'])} <span class=\"meta\">{esc(spec['info']['version'])}"
          "</span></h1>"),
         f"<p>{esc(spec['info'].get('description', ''))}</p>",
         ('<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI '
          f"{esc(spec.get('openapi'))}). Stories and articles follow the report contract; "
          "<code>newsweave schema</code> prints it as JSON Schema.</p>"),
         f"<h2>Examples</h2><pre>{esc(EXAMPLES)}</pre>", "<h2>Endpoints</h2>"]
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
            h.append(f'<section class="endpoint" id="{esc(anchor)}"><h3><code>{esc(method.upper())} '
                     f"{esc(path)}</code> {esc(op.get('summary', ''))}</h3>")
            if op.get("security"):
                h.append('<p class="meta">Needs <code>Authorization: Bearer TOKEN</code> '
                         "(web.token or NEWSWEAVE_TOKEN).</p>")
            if op.get("description"):
                h.append(f"<p>{_text(op['description'])}</p>")
            params = op.get("parameters", [])
            if params:
                h.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th></tr>")
                h += [f"<tr><td><code>{esc(p['name'])}</code></td><td>{esc(p['in'])}</td>"
                      f"<td>{esc(_type(p.get('schema', {})))}</td>"
                      f"<td>{'yes' if p.get('required') else 'no'}</td></tr>" for p in params]
                h.append("</table>")
            body = op.get("requestBody", {}).get("content", {})
            if body:
                h.append("<p>Body: " + ", ".join(f"<code>{esc(k)}</code>" for k in body) + "</p>")
            h.append("<ul>" + "".join(
                f"<li><code>{esc(code)}</code> {_text(r.get('description', ''))}</li>"
                for code, r in op.get("responses", {}).items()) + "</ul></section>")
    return "\n".join(h)
