"""What a command's process loads (issue 8's start-up): only what the command uses, and
the system's CA store once, into the verified TLS context every request uses.

Each command runs in a process of its own, as a user runs it, on an English terminal
(a translated one loads Qt for its translator, bgfetch_gui/i18n.py); a probe around
``bgfetch_gui.cli.main`` then reports what that process imported. No timing here:
speed is measured in bench/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.integration.cli_helpers import Home, describe, sha256_file
from tests.support.faultserver import FaultServer, content_sha256

# Runs a command, then writes what the process imported and aiohttp's two module-level
# TLS contexts (if aiohttp was imported) to the file named by argv[1]; also when the
# command ends its process with os._exit, as one that ran an engine does.
PROBE = """
import json, os, ssl, sys
from bgfetch_gui.cli import main

def report(code):
    connector = sys.modules.get("aiohttp.connector")
    contexts = None if connector is None else {
        "verified": connector._SSL_CONTEXT_VERIFIED.cert_store_stats()["x509_ca"],
        "unverified": connector._SSL_CONTEXT_UNVERIFIED.cert_store_stats()["x509_ca"],
    }
    with open(sys.argv[1], "w") as out:
        json.dump({
            "code": code,
            "modules": sorted(sys.modules),
            "contexts": contexts,
            "system_store": ssl.create_default_context().cert_store_stats()["x509_ca"],
            "ssl_patched": "set_default_verify_paths" in vars(ssl.SSLContext),
        }, out)

exit_now = os._exit
def report_and_exit(code):
    report(code)
    exit_now(code)
os._exit = report_and_exit
try:
    code = main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
report(code)
"""


def probe(home: Home, *args: str) -> dict[str, Any]:
    report = home.path.parent / "probe.json"
    proc = subprocess.run([sys.executable, "-c", PROBE, str(report), *args], env=home.env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, describe(proc)
    result: dict[str, Any] = json.loads(report.read_text())
    return result


def loaded(result: dict[str, Any], package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in result["modules"])


def test_version_loads_neither_qt_nor_aiohttp(home: Home) -> None:
    result = probe(home, "--version")
    assert result["code"] == 0
    assert not loaded(result, "PySide6")
    assert not loaded(result, "aiohttp")


def test_list_and_show_without_an_engine_load_no_qt(home: Home) -> None:
    for args in (("list", "--json"), ("show", "--json", "nothing-here")):
        result = probe(home, *args)
        assert result["code"] in (0, 2), args
        assert not loaded(result, "PySide6"), args


def test_fetch_wait_loads_no_qt_and_the_ca_store_once(
        home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    url = fault_server.url("one.bin", size=70_001, seed=4)

    result = probe(home, "fetch", "--wait", "--id", "one", "--dest", str(dest), url)

    assert result["code"] == 0
    assert sha256_file(dest / "one.bin") == content_sha256(70_001, 4)
    assert not loaded(result, "PySide6")
    # TLS stays verified: the context every request uses holds the whole system store;
    # the one for ssl=False (never passed by bgfetch) verifies nothing and loads none.
    assert result["contexts"] == {"verified": result["system_store"], "unverified": 0}
    assert not result["ssl_patched"], "ssl.SSLContext must be as the stdlib made it"

