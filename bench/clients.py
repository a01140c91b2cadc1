"""The downloaders under test, their command lines, and how one run of them is measured.

bgfetch runs as a user runs it: the ``bgfetch`` console script of this
interpreter's environment, with a data folder of its own for every run. Each
peer gets the options its users would pick for the job (aria2c's many
connections, curl's parallel mode for a list); files always land in
``out/<name of the URL path>`` so one check fits every client.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

BGFETCH = Path(sys.executable).with_name("bgfetch")
TIME = "/usr/bin/time"
PEERS = ("curl", "wget", "aria2c")
# aria2c's resume needs its control file, which it saves every 60 s by default:
# saved every second it is as crash-safe as bgfetch's checkpoints (every 2 MiB or second).
ARIA2_COMMON = ("-q", "--allow-overwrite=true", "--auto-file-renaming=false",
                "--file-allocation=none", "--auto-save-interval=1")
ARIA2_SPLIT = ("-x16", "-s16", "-k1M")
# curl leaves its bytes in the page cache; bgfetch makes a finished file durable before
# it counts as done (docs/contracts.md §3). This peer pays the same fsync after curl.
CURL_SYNCED = "curl, then sync FILE"


class ClientFailed(Exception):
    """A client exited with an error or stored bytes that are not the served ones."""


@dataclass(frozen=True)
class Sample:
    """One run of one client: wall seconds, CPU seconds of its process tree, peak RSS bytes."""

    wall: float
    cpu: float
    rss: int


@dataclass(frozen=True)
class Run:
    """What one run needs: its output folder and a bgfetch data folder of its own."""

    out: Path
    home: Path

    @property
    def env(self) -> dict[str, str]:
        return bgfetch_env(self.home)

    def fresh(self) -> None:
        for folder in (self.out, self.home):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)


def bgfetch_env(home: Path) -> dict[str, str]:
    """This process's environment with bgfetch's data folder set to ``home``, Qt headless."""
    return {**os.environ, "BGFETCH_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def missing_tools() -> list[str]:
    """What the suite needs and this machine lacks, in ``apt-get install`` names."""
    wanted = {"nginx": "nginx", "curl": "curl", "wget": "wget", "aria2c": "aria2"}
    missing = [package for tool, package in wanted.items()
               if not shutil.which(tool) and not Path("/usr/sbin", tool).exists()]
    if not Path(TIME).exists():
        missing.append("time")
    return missing


def file_name(url: str) -> str:
    return PurePosixPath(urlsplit(url).path).name


def one_file(url: str, run: Run) -> dict[str, list[str]]:
    """One file, one command per client; the key names the client in the table."""
    target = str(run.out / file_name(url))
    return {
        "bgfetch": [str(BGFETCH), "fetch", "--wait", "--dest", str(run.out), url],
        "curl": ["curl", "-sS", "-o", target, url],
        CURL_SYNCED: ["sh", "-c", 'curl -sS -o "$0" "$1" && exec sync "$0"', target, url],
        "wget": ["wget", "-q", "-O", target, url],
        "aria2c " + " ".join(ARIA2_SPLIT): ["aria2c", *ARIA2_COMMON, *ARIA2_SPLIT,
                                            "-d", str(run.out), "-o", file_name(url), url],
    }


def with_settings(settings: Mapping[str, object], command: Sequence[str]) -> list[str]:
    """``command`` (a bgfetch one) run with ``settings.json`` written into its fresh data folder.

    The shell writes the file and then becomes bgfetch (``exec``): what is timed is bgfetch.
    """
    script = 'printf %s "$0" > "$BGFETCH_HOME/settings.json" && exec "$@"'
    return ["sh", "-c", script, json.dumps(dict(settings)), *command]


def bundle(urls: Sequence[str], run: Run, lists: Path) -> dict[str, list[str]]:
    """Many files in one go: a manifest for bgfetch, a URL list or config file for the peers."""
    manifest = lists / "bundle.bgfetch"
    manifest.write_text(json.dumps({"id": "bundle", "requests": list(urls)}))
    url_list = lists / "urls.txt"
    url_list.write_text("".join(f"{url}\n" for url in urls))
    curl_config = lists / "curl.config"
    curl_config.write_text("".join(
        f'url = "{url}"\noutput = "{run.out / file_name(url)}"\n' for url in urls
    ))
    return {
        "bgfetch": [str(BGFETCH), "fetch", "--wait", "--dest", str(run.out),
                    "--manifest", str(manifest)],
        "curl --parallel": ["curl", "-sS", "--parallel", "--parallel-max", "16",
                            "-K", str(curl_config)],
        "wget -i": ["wget", "-q", "-P", str(run.out), "-i", str(url_list)],
        "aria2c -j16 -i": ["aria2c", *ARIA2_COMMON, "-j16", "-d", str(run.out),
                           "-i", str(url_list)],
    }


def resumable(url: str, run: Run) -> dict[str, tuple[list[str], list[str]]]:
    """Per client: the command that gets killed, and the one that finishes the file."""
    name = file_name(url)
    target = str(run.out / name)
    aria2 = ["aria2c", *ARIA2_COMMON, *ARIA2_SPLIT, "-d", str(run.out), "-o", name, url]
    return {
        "bgfetch": ([str(BGFETCH), "fetch", "--wait", "--id", "resume", "--dest", str(run.out),
                     url], [str(BGFETCH), "wait", "resume"]),
        "curl -C -": (["curl", "-sS", "-o", target, url],
                      ["curl", "-sS", "-C", "-", "-o", target, url]),
        "aria2c -c " + " ".join(ARIA2_SPLIT): (aria2, [*aria2, "-c"]),
    }


def measure(cmd: Sequence[str], env: Mapping[str, str]) -> Sample:
    """Run ``cmd`` to its end under ``/usr/bin/time``; ClientFailed if it fails."""
    with tempfile.NamedTemporaryFile("r") as usage:
        start = time.perf_counter()
        proc = subprocess.run([TIME, "-o", usage.name, "-f", "%U %S %M", *cmd], env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            last = proc.stderr.strip().splitlines()[-1:] or [""]
            raise ClientFailed(f"{Path(cmd[0]).name} exited {proc.returncode}: {last[0][:300]}")
        user, system, rss_kib = usage.read().split()[-3:]
    return Sample(wall, float(user) + float(system), int(rss_kib) * 1024)


def check_files(out: Path, expected: Mapping[str, str]) -> None:
    """``out`` holds exactly the expected files (name → SHA-256), nothing else."""
    found = {p.name for p in out.iterdir()}
    if found != set(expected):
        extra, lacking = sorted(found - set(expected)), sorted(set(expected) - found)
        raise ClientFailed(f"files differ: extra {extra[:3]}, missing {lacking[:3]}")
    for name, digest in expected.items():
        with open(out / name, "rb") as handle:
            if hashlib.file_digest(handle, "sha256").hexdigest() != digest:
                raise ClientFailed(f"{name}: wrong bytes (SHA-256 differs)")
