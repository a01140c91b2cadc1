"""The ``bgfetch`` command (docs/contracts.md §4).

Every command first looks for a running engine (GUI or daemon) of the data
folder and talks to it over the local socket. With none running, ``fetch
--wait`` and ``wait`` run an engine in this process until their fetch settles,
``fetch`` starts a detached daemon and hands the fetch over, and ``list`` and
``show`` read the database directly.

Exit codes: 0 success, 1 the fetch failed, 2 bad input or usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .cli_output import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    ProgressLine,
    paused_note,
    settled_exit,
)
from .engine.datadir import data_dir
from .engine.errors import BgfetchError, EngineBusy, InvalidFetch
from .engine.manifest import FetchSpec, load_manifest, new_id, parse_spec
from .engine.units import human_size, parse_size
from .engine.validation import check_fetch, check_url
from .platform.engine_launch import DAEMON_LOG, engine_client, start_engine
from .platform.ipc_client import EngineUnavailable, IpcClient

DAEMON_START_TIMEOUT = 15.0


class UsageError(Exception):
    """Bad input: one line on stderr and exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bgfetch", description="Background Fetch for the desktop.")
    parser.add_argument("--version", action="version", version=f"bgfetch {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    fetch = commands.add_parser("fetch", help="register a bundle of downloads")
    fetch.add_argument("urls", nargs="*", metavar="URL")
    fetch.add_argument("--id", dest="fetch_id")
    fetch.add_argument("--title", default="")
    fetch.add_argument("--icon", action="append", default=[], metavar="PATH_OR_URL")
    fetch.add_argument("--download-total", default="0", metavar="BYTES")
    fetch.add_argument("--dest", metavar="DIR")
    fetch.add_argument("--manifest", metavar="FILE")
    fetch.add_argument("--wait", action="store_true", help="block until the fetch settles")
    fetch.add_argument("--json", action="store_true")

    listing = commands.add_parser("list", help="every registration, active and settled")
    listing.add_argument("--json", action="store_true")
    show = commands.add_parser("show", help="one registration with its records")
    show.add_argument("fetch_id", metavar="ID")
    show.add_argument("--json", action="store_true")
    wait = commands.add_parser("wait", help="block until ID settles")
    wait.add_argument("fetch_id", metavar="ID")
    wait.add_argument("--json", action="store_true")
    for name, text in (("pause", "pause ID"), ("resume", "resume ID"), ("abort", "abort ID")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("fetch_id", metavar="ID")
    login = commands.add_parser(
        "login", help="save a user name and password for URL's origin in the OS keyring"
    )
    login.add_argument("url", metavar="URL")
    login.add_argument("--username", help="asked for when missing")
    logout = commands.add_parser("logout", help="forget the credentials of URL's origin")
    logout.add_argument("url", metavar="URL")
    sites = commands.add_parser(
        "sites", help="web origins that may use bgfetch through the browser extension"
    )
    site_actions = sites.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    site_actions.required = True
    site_list = site_actions.add_parser("list", help="every origin's decision and quota")
    site_list.add_argument("--json", action="store_true")
    for action, text in (("allow", "let ORIGIN's pages use bgfetch without asking"),
                         ("deny", "refuse ORIGIN's pages without asking"),
                         ("forget", "ask again the next time ORIGIN wants to fetch")):
        site = site_actions.add_parser(action, help=text)
        site.add_argument("origin", metavar="ORIGIN")
        if action == "allow":
            site.add_argument("--quota", metavar="BYTES",
                              help="what ORIGIN's fetches may hold (default 10G)")
    commands.add_parser("daemon", help="run the headless engine")
    commands.add_parser("quit", help="ask the running engine to checkpoint and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        home = data_dir()
        handler: Callable[[argparse.Namespace, Path], int] = COMMANDS[args.command]
        return handler(args, home)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except (InvalidFetch, BgfetchError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def _error(message: str) -> None:
    print(f"bgfetch: {message}", file=sys.stderr)


# -- fetch ------------------------------------------------------------------------


def spec_from_args(args: argparse.Namespace) -> FetchSpec:
    """The fetch the command line asks for, checked; InvalidFetch/UsageError otherwise."""
    if args.manifest:
        if args.urls or args.fetch_id or args.title or args.icon or args.download_total != "0":
            raise UsageError("--manifest cannot be combined with URLs or fetch options")
        spec = load_manifest(Path(args.manifest))
    else:
        if not args.urls:
            raise UsageError("fetch needs at least one URL (or --manifest FILE)")
        try:
            total = parse_size(args.download_total)
        except ValueError as exc:
            raise UsageError(f"--download-total: {exc}") from None
        for url in args.urls:
            check_url(url)  # name the URL itself, not a manifest field
        icons = [{"src": src} for src in args.icon]
        spec = parse_spec({
            "id": args.fetch_id if args.fetch_id is not None else new_id(),
            "requests": args.urls,
            "options": {"title": args.title, "icons": icons, "downloadTotal": total},
        }, base=Path.cwd())
    # Everything the engine would refuse, refused here: before a daemon is started for it.
    check_fetch(spec.id, spec.requests, spec.options)
    dest = Path(args.dest).expanduser().absolute() if args.dest else spec.dest
    if dest is not None and dest.exists() and not dest.is_dir():
        raise UsageError(f"--dest {str(dest)!r} exists and is not a folder")
    return FetchSpec(spec.id, spec.requests, spec.options, dest)


def cmd_fetch(args: argparse.Namespace, home: Path) -> int:
    spec = spec_from_args(args)
    generated = args.fetch_id is None and not args.manifest
    client = engine_client(home)
    deadline = time.monotonic() + DAEMON_START_TIMEOUT
    while client is None and args.wait:
        try:
            return _run_local(home, spec, spec.id, args.json, announce=generated and not args.json)
        except EngineBusy:
            # Another command holds the folder for a moment, or an engine is
            # starting and will serve us: try both until one works.
            if time.monotonic() > deadline:
                raise
            client = engine_client(home, wait=0.1)
    if client is None:
        client = _start_daemon(home)
    answer = client.call({"cmd": "fetch", "spec": spec.to_json()})
    if not answer.get("ok"):
        _error(answer.get("error", "the engine refused the fetch"))
        return int(answer.get("code", EXIT_USAGE))
    if generated and not args.json:
        print(answer["id"], flush=True)
    if args.wait:
        return _wait_remote(client, answer["id"], args.json)
    if args.json:
        print(json.dumps(client.call({"cmd": "show", "id": answer["id"]})["registration"]))
    return EXIT_OK


def _start_daemon(home: Path) -> IpcClient:
    """Start ``bgfetch daemon`` detached (its log in the data folder) and wait until it answers."""
    client = start_engine(home, gui=False, wait=DAEMON_START_TIMEOUT)
    if client is None:
        raise BgfetchError(f"the background engine did not start; see {home / DAEMON_LOG}")
    return client


# -- waiting ------------------------------------------------------------------------


def _wait_remote(client: IpcClient, fetch_id: str, as_json: bool) -> int:
    line = ProgressLine(sys.stderr.isatty())
    try:
        for reply in client.request({"cmd": "wait", "id": fetch_id}):
            if "progress" in reply:
                if line.first:
                    paused_note(reply["progress"])
                line.update(reply["progress"])
            elif not reply.get("ok"):
                line.finish()
                _error(reply.get("error", "wait failed"))
                return int(reply.get("code", EXIT_USAGE))
            else:
                line.finish()
                return settled_exit(reply["registration"], as_json)
    except KeyboardInterrupt:
        line.finish()
        return EXIT_INTERRUPTED
    except EngineUnavailable:
        line.finish()
        # The engine left (a GUI took over, or `bgfetch quit`): follow the work.
        return _wait_any(client.folder, fetch_id, as_json)
    raise EngineUnavailable("no result")


def _wait_any(home: Path, fetch_id: str, as_json: bool) -> int:
    client = IpcClient(home)
    deadline = time.monotonic() + DAEMON_START_TIMEOUT
    while time.monotonic() < deadline:
        if client.ping() is not None:
            return _wait_remote(client, fetch_id, as_json)
        try:
            return _run_local(home, None, fetch_id, as_json)
        except EngineBusy:
            time.sleep(0.2)
    raise BgfetchError("lost the engine while waiting")


def cmd_wait(args: argparse.Namespace, home: Path) -> int:
    return _wait_any(home, args.fetch_id, args.json)


def _run_local(
    home: Path, spec: FetchSpec | None, fetch_id: str, as_json: bool, announce: bool = False
) -> int:
    """Run an engine in this process until ``fetch_id`` settles (imports Qt only now)."""
    # Ctrl+C while Qt is still loading would abort the interpreter inside
    # shiboken's start-up: until the engine watches signals, only note them.
    interrupted = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: interrupted.set())
    from .local_engine import HandedOver, run_local_engine

    try:
        return run_local_engine(home, spec, fetch_id, as_json, announce, interrupted)
    except HandedOver:
        # A GUI took the data folder over; the fetch goes on there.
        return _wait_any(home, fetch_id, as_json)


# -- list, show, pause, resume, abort, daemon, quit -------------------------------------


def _engine_or_store(home: Path, message: dict[str, Any]) -> dict[str, Any]:
    """Ask the running engine, or answer from the database if none runs."""
    client = IpcClient(home)
    if client.ping() is not None:
        try:
            return client.call(message)
        except EngineUnavailable:
            pass
    from .offline_commands import answer_offline

    return answer_offline(home, message)


def _checked(answer: dict[str, Any]) -> dict[str, Any]:
    if not answer.get("ok"):
        raise UsageError(answer.get("error", "refused")) if answer.get("code", 2) == 2 \
            else BgfetchError(answer.get("error", "failed"))
    return answer


def cmd_list(args: argparse.Namespace, home: Path) -> int:
    regs = _checked(_engine_or_store(home, {"cmd": "list"}))["registrations"]
    if args.json:
        print(json.dumps(regs, indent=None))
        return EXIT_OK
    for reg in regs:
        print(_summary(reg))
    return EXIT_OK


def _summary(reg: dict[str, Any]) -> str:
    state = reg["state"] if reg["result"] != "failure" else f"failure ({reg['failure_reason']})"
    size = human_size(reg["downloaded"])
    if reg["download_total"]:
        size += f" / {human_size(reg['download_total'])}"
    line = f"{reg['id']}\t{state}\t{size}\t{reg['title']}"
    return f"{line}\t{reg['origin']}" if reg.get("origin") else line


def cmd_show(args: argparse.Namespace, home: Path) -> int:
    reg = _checked(_engine_or_store(home, {"cmd": "show", "id": args.fetch_id}))["registration"]
    if args.json:
        print(json.dumps(reg))
        return EXIT_OK
    for name in ("id", "title", "state", "result", "failure_reason", "downloaded",
                 "download_total", "uploaded", "upload_total", "dest"):
        print(f"{name}: {reg[name]}")
    if reg.get("origin"):
        print(f"origin: {reg['origin']}")  # a web page's fetch
    for record in reg["records"]:
        status = record["status"] if record["status"] is not None else "-"
        print(f"  {status}\t{human_size(record['size'])}\t{record['url']}\t{record['path'] or ''}")
    return EXIT_OK


def _control(args: argparse.Namespace, home: Path) -> int:
    answer = _checked(_engine_or_store(home, {"cmd": args.command, "id": args.fetch_id}))
    if args.command == "resume" and answer.get("changed") and IpcClient(home).ping() is None:
        _start_daemon(home)  # a resumed fetch should download, as the user expects
    if not answer.get("changed"):
        print(f"{args.fetch_id}: nothing to {args.command} ({answer.get('state')})",
              file=sys.stderr)
    return EXIT_OK


def cmd_login(args: argparse.Namespace, home: Path) -> int:
    """Credentials go to the keyring only, and never through argv: the password is
    read from the terminal without echo, or from stdin when that is not a terminal."""
    import getpass

    from .engine.credentials import Credential
    from .platform.credentials import KeyringCredentials, KeyringUnavailable

    check_url(args.url)
    interactive = sys.stdin.isatty()
    username = args.username or (input("User name: ") if interactive else "")
    if not username:
        raise UsageError("login needs --username when stdin is not a terminal")
    password = getpass.getpass("Password: ") if interactive else sys.stdin.readline().rstrip("\n")
    try:
        origin = KeyringCredentials().save(args.url, Credential(username, password))
    except KeyringUnavailable as exc:
        raise BgfetchError(str(exc)) from None
    print(f"saved credentials for {origin}", file=sys.stderr)
    return EXIT_OK


def cmd_logout(args: argparse.Namespace, home: Path) -> int:
    from .platform.credentials import KeyringCredentials, KeyringUnavailable

    check_url(args.url)
    try:
        found = KeyringCredentials().forget(args.url)
    except KeyringUnavailable as exc:
        raise BgfetchError(str(exc)) from None
    if not found:
        print("bgfetch: no credentials saved for that origin", file=sys.stderr)
    return EXIT_OK


def cmd_sites(args: argparse.Namespace, home: Path) -> int:
    from .engine.web.sites import normalize_origin

    message: dict[str, Any] = {"cmd": "sites", "action": args.action}
    if args.action != "list":
        message["origin"] = normalize_origin(args.origin)
    if getattr(args, "quota", None) is not None:
        try:
            message["quota"] = parse_size(args.quota)
        except ValueError as exc:
            raise UsageError(f"--quota: {exc}") from None
    answer = _checked(_engine_or_store(home, message))
    if args.action == "list" and args.json:
        print(json.dumps(answer["sites"]))
    elif args.action == "list":
        for site in answer["sites"]:
            print(f"{site['origin']}\t{site['decision']}\t{human_size(site['quota'])}")
    elif args.action == "forget" and not answer["forgotten"]:
        print(f"bgfetch: nothing was decided about {message['origin']}", file=sys.stderr)
    return EXIT_OK


def cmd_daemon(args: argparse.Namespace, home: Path) -> int:
    from .local_engine import run_daemon

    return run_daemon(home)


def cmd_quit(args: argparse.Namespace, home: Path) -> int:
    client = IpcClient(home)
    if client.ping() is None:
        print("bgfetch: no engine is running", file=sys.stderr)
        return EXIT_OK
    client.call({"cmd": "quit"})
    from .engine.datadir import EngineLock

    lock = EngineLock(home)
    deadline = time.monotonic() + DAEMON_START_TIMEOUT
    while time.monotonic() < deadline:
        if lock.is_free():
            return EXIT_OK
        time.sleep(0.05)
    raise BgfetchError("the engine did not stop in time")


COMMANDS: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "fetch": cmd_fetch,
    "list": cmd_list,
    "show": cmd_show,
    "wait": cmd_wait,
    "pause": _control,
    "resume": _control,
    "abort": _control,
    "login": cmd_login,
    "logout": cmd_logout,
    "sites": cmd_sites,
    "daemon": cmd_daemon,
    "quit": cmd_quit,
}


if __name__ == "__main__":
    sys.exit(main())
