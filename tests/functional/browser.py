"""A very small headless Chromium driver: chromedriver's W3C HTTP API through urllib, nothing to install from PyPI.

Forms (the login page) are driven as a person would: type into a field, press a
button. The terminal in textual-serve's page is drawn on a canvas, so its text is not
in the DOM; a script added before the page loads keeps a copy of everything the
websocket delivers (window.__formativeOutput), which is what `wait_for_output` searches.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1000,640",
]

KEEP_OUTPUT = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__formativeOutput = "";
  class Recording extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer) {
          window.__formativeOutput += decoder.decode(event.data, { stream: true });
        }
      });
    }
  }
  window.WebSocket = Recording;
})();
"""

ENTER = "\ue007"
"""The W3C WebDriver code of the Enter key."""


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def have_chromium() -> bool:
    return chromium_binary() is not None and shutil.which("chromedriver") is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_http(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing answered at {url} in {timeout} s") from None
            time.sleep(0.1)


class Browser:
    """One chromedriver process and one Chromium session with a fresh, empty profile."""

    def __init__(self, profile: Path, log: Path) -> None:
        port = free_port()
        self._log = log.open("wb")
        self._driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=self._log, stderr=subprocess.STDOUT)
        self._base = f"http://127.0.0.1:{port}"
        try:
            wait_for_http(f"{self._base}/status")
            options = {"binary": chromium_binary(), "args": [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]}
            capabilities = {"browserName": "chrome", "goog:chromeOptions": options}
            created = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
            self._session = f"/session/{created['sessionId']}"
            self._call("POST", f"{self._session}/goog/cdp/execute", {
                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                "params": {"source": KEEP_OUTPUT},
            })  # fmt: skip
        except BaseException:
            self.close()
            raise

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self._base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"chromedriver {method} {path}: {error.read().decode(errors='replace')}") from None

    def open(self, url: str) -> None:
        self._call("POST", f"{self._session}/url", {"url": url})

    def script(self, source: str) -> Any:
        return self._call("POST", f"{self._session}/execute/sync", {"script": source, "args": []})

    def output(self) -> str:
        return str(self.script("return window.__formativeOutput || '';"))

    def wait_for_output(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never reached the browser; it got:\n{self.output()[-2000:]!r}")
            time.sleep(0.1)

    def _element(self, css: str) -> str:
        found = self._call("POST", f"{self._session}/element", {"using": "css selector", "value": css})
        return str(next(iter(found.values())))

    def type(self, text: str) -> None:
        """Type into xterm.js's hidden textarea, as a person typing on the page would."""
        self.fill(".xterm-helper-textarea", text)

    def fill(self, css: str, text: str) -> None:
        """Type into the form field that css selects."""
        self._call("POST", f"{self._session}/element/{self._element(css)}/value", {"text": text})

    def click(self, css: str) -> None:
        self._call("POST", f"{self._session}/element/{self._element(css)}/click", {})

    def page_text(self) -> str:
        """The text a person reads on the page (not the terminal's canvas)."""
        return str(self.script("return document.body ? document.body.innerText : '';"))

    def focused(self) -> str:
        """The id of the element that has the keyboard focus."""
        return str(self.script("return document.activeElement ? document.activeElement.id : '';"))

    def wait_for_page(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.page_text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared on the page; it shows:\n{self.page_text()[-2000:]}")
            time.sleep(0.1)

    def viewport(self, width: int, height: int, *, phone: bool = False) -> None:
        """Show pages as a phone (touch, 2x pixels) or a desktop window of this size would."""
        self._call("POST", f"{self._session}/goog/cdp/execute", {
            "cmd": "Emulation.setDeviceMetricsOverride",
            "params": {"width": width, "height": height, "deviceScaleFactor": 2 if phone else 1, "mobile": phone},
        })  # fmt: skip

    def blank(self) -> None:
        """A blank page at the window's own size: what a test that shares this browser starts from."""
        self.open("about:blank")
        self._call(
            "POST", f"{self._session}/goog/cdp/execute", {"cmd": "Emulation.clearDeviceMetricsOverride", "params": {}}
        )

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self._call("GET", f"{self._session}/screenshot")))

    def close(self) -> None:
        try:
            if hasattr(self, "_session"):
                self._call("DELETE", self._session)
        finally:
            # chromedriver closes the Chromium it started when it exits.
            self._driver.terminate()
            try:
                self._driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._driver.kill()
                self._driver.wait()
            self._log.close()
