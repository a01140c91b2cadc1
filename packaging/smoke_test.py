"""Smoke-test a built bundle: a frozen build that does not start is not a release.

``python packaging/smoke_test.py DIST_FOLDER``: the folder holds ``bgfetch``,
``bgfetch-gui`` and ``bgfetch-native-host``. Checks, each against a throw-away data
folder and a loopback HTTP server (nothing leaves the machine):

1. ``bgfetch --version`` prints pyproject.toml's version;
2. ``bgfetch fetch --wait URL`` downloads a file, byte for byte;
3. ``bgfetch fetch URL`` starts the frozen daemon, ``bgfetch wait`` sees it finish,
   ``bgfetch quit`` stops it;
4. ``bgfetch-gui URL`` starts offscreen, registers and completes that fetch, and
   exits 0 after ``bgfetch quit``;
5. ``bgfetch-gui --install-browser-integration`` writes a launcher that starts the
   frozen ``bgfetch-native-host``, which answers a browser's ``hello`` frame;
6. the tarball's ``install.sh`` (when the bundle sits beside one) installs into a
   temporary prefix and XDG folders with a menu entry that starts the installed
   copy, and ``install.sh --uninstall`` removes it all.

Prints one line per check; exits 1 at the first that fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
SIZE = 3 * 1024 * 1024


class SmokeFailure(Exception):
    pass


@contextmanager
def file_server(folder: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                            check=False)
    if result.returncode != 0:
        raise SmokeFailure(f"{' '.join(argv)} exited {result.returncode}: "
                           f"{result.stderr.strip()[-800:]}")
    return result


def poll(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out waiting for {what}")
        time.sleep(0.1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(dist: Path, work: Path) -> None:
    cli, gui = str(dist / "bgfetch"), str(dist / "bgfetch-gui")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    env = {**os.environ, "BGFETCH_HOME": str(work / "home"), "QT_QPA_PLATFORM": "offscreen",
           "BGFETCH_NETWORK_BACKEND": "none", "PYTHON_KEYRING_BACKEND":
           "keyring.backends.null.Keyring"}
    (work / "home").mkdir()
    (work / "home" / "settings.json").write_text(json.dumps(
        {"download_dir": str(work / "downloads"), "notifications": False}))
    served = work / "served"
    served.mkdir()
    payload = os.urandom(SIZE)
    for name in ("a.bin", "b.bin", "c.bin"):
        (served / name).write_bytes(payload)
    expected = hashlib.sha256(payload).hexdigest()

    out = run([cli, "--version"], env).stdout.strip()
    if out != f"bgfetch {version}":
        raise SmokeFailure(f"bgfetch --version said {out!r}, not 'bgfetch {version}'")
    print(f"ok  bgfetch --version: {out}")

    with file_server(served) as base:
        run([cli, "fetch", "--wait", "--id", "a", "--dest", str(work / "a"), f"{base}/a.bin"],
            env)
        if sha256(work / "a" / "a.bin") != expected:
            raise SmokeFailure("bgfetch fetch --wait stored different bytes")
        print("ok  bgfetch fetch --wait: 3 MiB from loopback, byte for byte")

        run([cli, "fetch", "--id", "b", f"{base}/b.bin"], env)
        run([cli, "wait", "b"], env)
        run([cli, "quit"], env)
        print("ok  bgfetch fetch (frozen daemon), wait, quit")

        started = time.monotonic()
        with (work / "gui.log").open("wb") as log:
            app = subprocess.Popen([gui, f"{base}/c.bin"], env=env, stdout=log, stderr=log)
        try:
            def finished() -> bool:
                if app.poll() is not None:
                    raise SmokeFailure(f"bgfetch-gui exited {app.returncode}: "
                                       + (work / "gui.log").read_text(errors="replace")[-800:])
                listed = subprocess.run([cli, "list", "--json"], env=env, capture_output=True,
                                        text=True, timeout=TIMEOUT, check=False)
                return listed.returncode == 0 and any(
                    r["result"] == "success" for r in json.loads(listed.stdout or "[]")
                    if r["id"] not in ("a", "b"))
            poll(finished, "bgfetch-gui to register and finish its fetch")
            run([cli, "quit"], env)
            code = app.wait(timeout=TIMEOUT)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
        if code != 0:
            raise SmokeFailure(f"bgfetch-gui exited {code} after bgfetch quit")
        stray = (work / "gui.log").read_text(errors="replace")
        if "Traceback" in stray:
            raise SmokeFailure(f"bgfetch-gui printed a traceback: {stray[-800:]}")
        print(f"ok  bgfetch-gui (offscreen) registered and finished a fetch, quit cleanly "
              f"({time.monotonic() - started:.1f}s)")


def check_native_host(dist: Path, work: Path) -> None:
    """The browser integration of a frozen bundle: launcher, host manifest, a hello answered."""
    home = work / "native-home"
    home.mkdir()
    env = {**os.environ, "BGFETCH_HOME": str(home), "HOME": str(work / "user"),
           "XDG_CONFIG_HOME": str(work / "user" / ".config"), "QT_QPA_PLATFORM": "offscreen",
           "BGFETCH_NETWORK_BACKEND": "none",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    run([str(dist / "bgfetch-gui"), "--install-browser-integration"], env)
    manifest = work / "user" / ".config" / "chromium" / "NativeMessagingHosts" / \
        "org.bgfetch.native_host.json"
    launcher = Path(json.loads(manifest.read_text())["path"])
    if str(dist / "bgfetch-native-host") not in launcher.read_text():
        raise SmokeFailure(f"{launcher} does not start the bundle's bgfetch-native-host")
    origin = json.loads(manifest.read_text())["allowed_origins"][0]
    hello = json.dumps({"v": 1, "seq": 1, "type": "hello",
                        "browser": "chromium", "native": False}).encode()
    # A browser keeps the host's stdin open while it waits, so this does too.
    host = subprocess.Popen([str(launcher), origin], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watchdog = threading.Timer(TIMEOUT, host.kill)
    watchdog.start()
    try:
        assert host.stdin is not None and host.stdout is not None
        host.stdin.write(struct.pack("=I", len(hello)) + hello)
        host.stdin.flush()
        header = host.stdout.read(4)
        if len(header) < 4:
            raise SmokeFailure("bgfetch-native-host answered nothing: "
                               + host.communicate()[1].decode(errors="replace")[-800:])
        (length,) = struct.unpack("=I", header)
        reply = json.loads(host.stdout.read(length))
        if reply.get("re") != 1 or not reply.get("ok"):
            raise SmokeFailure(f"bgfetch-native-host answered hello with {reply}")
        host.stdin.close()
        host.wait(timeout=TIMEOUT)
    finally:
        watchdog.cancel()
        if host.poll() is None:
            host.kill()
        host.wait()
        subprocess.run([str(dist / "bgfetch"), "quit"], env=env, capture_output=True,
                       timeout=TIMEOUT, check=False)
    print("ok  browser integration: the launcher starts the frozen native host, "
          "which answers hello")


def check_install(dist: Path, work: Path) -> None:
    script = dist.parent / "install.sh"
    if not script.exists():
        return
    prefix, data = work / "prefix", work / "xdg-data"
    env = {**os.environ, "PREFIX": str(prefix), "XDG_DATA_HOME": str(data),
           "XDG_CONFIG_HOME": str(work / "xdg-config")}
    run(["sh", str(script)], env)
    entry = (data / "applications" / "bgfetch.desktop").read_text()
    installed = prefix / "opt" / "bgfetch" / "bgfetch-gui"
    if f"Exec={installed} %U" not in entry:
        raise SmokeFailure(f"the menu entry does not start {installed}: {entry}")
    run([str(prefix / "bin" / "bgfetch-gui"), "--version"], env)
    run(["sh", str(script), "--uninstall"], env)
    left = [p for p in (prefix / "opt" / "bgfetch", data / "applications" / "bgfetch.desktop")
            if p.exists()]
    if left:
        raise SmokeFailure(f"install.sh --uninstall left {left}")
    print("ok  install.sh: menu entry starts the installed copy; --uninstall removes it")


def main() -> int:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "bgfetch"
    work = Path(tempfile.mkdtemp(prefix="bgfetch-smoke-"))
    try:
        check(dist, work)
        check_native_host(dist, work)
        check_install(dist, work)
    except (SmokeFailure, subprocess.TimeoutExpired, OSError) as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
