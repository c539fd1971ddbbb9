"""Swagger UI in a real browser: headless Chromium (Debian's package) driven by Playwright.

Loads /docs from a live `ccplane serve` with API tokens on, fails on any request to another host
and on any console error, then does what a person trying the API does: Authorize with a token,
open PUT, "Try it out", Execute with the example as shown, and expects 201 (and the client it
created to become Ready). Run by scripts/test-swagger-ui.sh, which sets CCPLANE_URL and
CCPLANE_TOKEN and CHROMIUM.
"""

import json
import os
import sys
import tempfile
import time
import urllib.request
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

BASE = os.environ["CCPLANE_URL"]
TOKEN = os.environ["CCPLANE_TOKEN"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium, as a CI machine can run it: no sandbox (root), no GPU, nothing that phones home.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OPERATION = "#operations-user-pool-clients-put_user_pool_client"


def fail(message: str) -> None:
    print(f"swagger-ui: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def resource(path: str) -> dict:
    request = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def main() -> None:
    own_host = urlsplit(BASE).netloc
    elsewhere, console_errors = [], []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        # A fresh profile each run: nothing cached, nothing remembered.
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        page = browser.new_page()

        def on_request(request) -> None:
            url = urlsplit(request.url)
            if url.scheme not in ("data", "blob") and url.netloc != own_host:
                elsewhere.append(request.url)

        page.on("request", on_request)
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console_errors.append(str(e)))

        page.goto(f"{BASE}/docs/", wait_until="networkidle")
        page.wait_for_selector(".swagger-ui .info .title")
        title = page.inner_text(".swagger-ui .info .title")
        if "ccplane" not in title:
            fail(f"the page shows {title!r}")

        # Authorize: the bearer scheme's dialog takes the token.
        page.click(".swagger-ui .auth-wrapper button.authorize")
        page.fill(".swagger-ui .modal-ux input[type=text], .swagger-ui .modal-ux input[type=password]", TOKEN)
        page.click(".swagger-ui .modal-ux .auth-btn-wrapper button[type=submit]")
        page.click(".swagger-ui .modal-ux .auth-btn-wrapper button.btn-done")

        # PUT, Try it out, Execute with the example as the page shows it.
        page.click(f"{OPERATION} .opblock-summary")
        page.click(f"{OPERATION} button.try-out__btn")
        for name, value in (("namespace", "swagger-ui"), ("name", "web")):
            page.fill(f'{OPERATION} tr[data-param-name="{name}"] input', value)
        body = page.input_value(f"{OPERATION} textarea.body-param__text")
        if '"paused": true' in body or "additionalProp" in body or '"adopt"' in body:
            fail(f"the example body is not one that works:\n{body}")
        page.click(f"{OPERATION} button.execute")
        status = page.wait_for_selector(f"{OPERATION} .live-responses-table tr.response .response-col_status")
        answered = status.inner_text().strip()
        if answered != "201":
            fail(f"PUT answered {answered}: {page.inner_text(f'{OPERATION} .live-responses-table')}")
        browser.close()

    if elsewhere:
        fail("requests to other hosts: " + ", ".join(sorted(set(elsewhere))))
    if console_errors:
        fail("console errors: " + " | ".join(console_errors))

    deadline = time.monotonic() + 120
    while (phase := resource("/v1/namespaces/swagger-ui/user-pool-clients/web")["status"]["phase"]) != "Ready":
        if phase == "Failed" or time.monotonic() > deadline:
            fail(f"the client the example created is {phase}")
        time.sleep(0.5)
    print("swagger-ui: loaded with no other host and no console error; Authorize, Try it out: 201, then Ready")


if __name__ == "__main__":
    main()
