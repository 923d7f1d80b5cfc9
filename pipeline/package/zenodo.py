"""Upload a release to Zenodo through its REST deposition API, or show what would be sent (dry run).

Publishing a DOI is irreversible, so the default creates a draft deposition (create, upload the archive
to its bucket, set the metadata) and stops; publishing is a separate, explicit choice. The token comes
from the caller or the ZENODO_TOKEN environment variable and is never printed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ZENODO_API = "https://zenodo.org/api"
SANDBOX_API = "https://sandbox.zenodo.org/api"
TOKEN_VARIABLE = "ZENODO_TOKEN"
TIMEOUT_SECONDS = 300


class ZenodoError(RuntimeError):
    """The upload could not proceed or Zenodo refused a request; the message says which step."""


@dataclass
class Request:
    """One HTTP request of the upload, as it would be sent (the file body is described, not held)."""

    step: str
    method: str
    url: str
    json_body: dict[str, Any] | None = None
    file: Path | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        lines = [f"{self.step}: {self.method} {self.url}"]
        lines += [f"  {k}: {v}" for k, v in sorted(self.headers.items())]
        lines.append("  Authorization: Bearer <token from the caller or $ZENODO_TOKEN>")
        if self.json_body is not None:
            body = json.dumps(self.json_body, indent=2, ensure_ascii=False)
            lines += ["  " + line for line in body.splitlines()]
        if self.file is not None:
            digest = hashlib.md5(self.file.read_bytes()).hexdigest()
            lines.append(f"  <{self.file.name}: {self.file.stat().st_size} bytes, md5 {digest}>")
        return "\n".join(lines)


def plan(
    zip_path: Path, metadata: dict[str, Any], base_url: str = ZENODO_API, publish: bool = False
) -> list[Request]:
    """The requests of an upload; URLs that depend on Zenodo's answers are shown as placeholders."""
    json_headers = {"Content-Type": "application/json"}
    steps = [
        Request("create deposition", "POST", f"{base_url}/deposit/depositions", {}, headers=json_headers),
        Request(
            "upload archive",
            "PUT",
            f"<links.bucket of the new deposition>/{zip_path.name}",
            file=zip_path,
            headers={"Content-Type": "application/octet-stream"},
        ),
        Request(
            "set metadata",
            "PUT",
            f"{base_url}/deposit/depositions/<id>",
            {"metadata": metadata},
            headers=json_headers,
        ),
    ]
    if publish:
        steps.append(Request("publish", "POST", f"{base_url}/deposit/depositions/<id>/actions/publish"))
    return steps


def _send(request: Request, token: str, url: str | None = None) -> dict[str, Any]:
    data: bytes | None = None
    if request.json_body is not None:
        data = json.dumps(request.json_body).encode("utf-8")
    elif request.file is not None:
        data = request.file.read_bytes()
    http = urllib.request.Request(url or request.url, data=data, method=request.method)
    for key, value in {**request.headers, "Authorization": f"Bearer {token}"}.items():
        http.add_header(key, value)
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT_SECONDS) as response:
            payload = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:500]
        raise ZenodoError(f"{request.step}: Zenodo answered {exc.code}: {detail}") from exc
    except urllib.error.URLError as exc:
        raise ZenodoError(f"{request.step}: could not reach Zenodo: {exc.reason}") from exc
    return json.loads(payload) if payload else {}


def upload(
    zip_path: Path,
    metadata: dict[str, Any],
    token: str | None,
    dry_run: bool,
    base_url: str = ZENODO_API,
    publish: bool = False,
    out: TextIO = sys.stdout,
) -> dict[str, Any]:
    """Create a Zenodo deposition with the release and its metadata; publish only when asked.

    With dry_run, print the requests and return {"dry_run": True, "requests": [...]} without connecting.
    Otherwise return the deposition as Zenodo last described it.
    """
    zip_path = Path(zip_path)
    if not zip_path.is_file():
        raise ZenodoError(f"{zip_path}: no release archive; build it first")
    steps = plan(zip_path, metadata, base_url, publish)
    if dry_run:
        print(f"Dry run: nothing is sent. {len(steps)} request(s) would go to {base_url}:", file=out)
        for step in steps:
            print(step.describe(), file=out)
        return {"dry_run": True, "requests": [f"{s.method} {s.url}" for s in steps]}
    token = token or os.environ.get(TOKEN_VARIABLE)
    if not token:
        raise ZenodoError(f"no Zenodo token: pass one or set ${TOKEN_VARIABLE}")
    deposition = _send(steps[0], token)
    bucket, deposition_id = deposition["links"]["bucket"], deposition["id"]
    _send(steps[1], token, f"{bucket}/{zip_path.name}")
    deposition = _send(steps[2], token, f"{base_url}/deposit/depositions/{deposition_id}")
    if publish:
        deposition = _send(steps[3], token, f"{base_url}/deposit/depositions/{deposition_id}/actions/publish")
    print(f"Zenodo deposition {deposition_id}: {deposition.get('links', {}).get('html', '')}", file=out)
    return deposition
