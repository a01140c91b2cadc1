"""The ``bgfetch`` command (docs/contracts.md §4).

Every command first looks for a running engine (GUI or daemon) of the data
folder and talks to it over the local socket. With none running, ``fetch
--wait`` and ``wait`` run an engine in this process until their fetch settles,
``fetch`` starts a detached daemon and hands the fetch over, and ``list`` and
``show`` read the database directly.

Exit codes (docs/contracts.md §4): 0 success, 1 the fetch failed, 2 bad input or
usage, 3 bgfetch could not do it (no engine, a busy data folder, an internal
error), 130 interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .cli_output import (
    EXIT_ENGINE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    ProgressBar,
    interrupted_note,
    older_id_note,
    paused_note,
    problem_line,
    settled_exit,
)
from .cli_table import render_table, state_text
from .engine.datadir import data_dir
from .engine.errors import BgfetchError, EngineBusy, InvalidFetch, UnknownFetch
from .engine.manifest import FetchSpec, load_manifest, new_id, parse_spec
from .engine.units import human_size, parse_size
from .engine.validation import check_fetch, check_url
from .i18n import translate
from .platform.engine_launch import DAEMON_LOG, engine_client, start_engine
from .platform.ipc_client import EngineUnavailable, IpcClient

DAEMON_START_TIMEOUT = 15.0
CRASH_LOG = "bgfetch-crash.log"


class UsageError(Exception):
    """Bad input: one line on stderr and exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    epilog = translate("cli", "ID is a fetch's id or a unique start of it; ID~1 is the fetch "
                              "that had the id\nbefore the newest, ID~2 the one before that.\n\n"
                              "exit codes: 0 success, 1 the fetch failed, 2 bad input or usage,\n"
                              "3 bgfetch could not do it (no engine, busy data folder, internal "
                              "error),\n130 interrupted (Ctrl+C pauses the fetch).")
    id_help = translate("cli", "the fetch: its id, a unique start of it, or ID~N for an older one")
    json_help = translate("cli", "print JSON for scripts (docs/contracts.md §4) instead of text")
    parser = _Parser(prog="bgfetch",
                     description=translate("cli", "Background Fetch for the desktop."),
                     epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"bgfetch {__version__}",
                        help=translate("cli", "print the version and exit"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=text, description=text, epilog=epilog,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    fetch = command("fetch", translate("cli", "register a bundle of downloads"))
    fetch.add_argument("urls", nargs="*", metavar="URL",
                       help=translate("cli", "an http(s) URL to download"))
    fetch.add_argument("--id", dest="fetch_id", metavar="ID",
                       help=translate("cli", "the fetch's id (default: a new one, printed first)"))
    fetch.add_argument("--title", default="",
                       help=translate("cli", "a title for people (the bundle folder's name)"))
    fetch.add_argument("--icon", action="append", default=[], metavar="PATH_OR_URL",
                       help=translate(
                           "cli", "an icon for the window and notifications (repeatable)"))
    fetch.add_argument("--download-total", default="0", metavar="BYTES",
                       help=translate(
                           "cli", "the most bytes the fetch may download, e.g. 60M (0: no limit)"))
    fetch.add_argument("--dest", metavar="DIR",
                       help=translate("cli", "the folder for the files (default: Downloads/TITLE)"))
    fetch.add_argument("--manifest", metavar="FILE",
                       help=translate("cli", "register the fetch a .bgfetch file describes"))
    fetch.add_argument("--max-speed", metavar="RATE",
                       help=translate("cli",
                                      "this fetch's speed limit per second, e.g. 500K or 2M"))
    fetch.add_argument("--start-at", metavar="TIME",
                       help=translate("cli", "wait until TIME to start: HH:MM (the next one) or "
                                             "a date and time such as 2026-12-24T01:30"))
    fetch.add_argument("--proxy", metavar="URL",
                       help=translate("cli", "this fetch's proxy: http://, https:// or "
                                             "socks5://host:port, or none (credentials: "
                                             "bgfetch login --proxy URL)"))
    fetch.add_argument("--integrity", action="append", default=[], metavar="METADATA",
                       help=translate("cli", "the digest a URL's file must match, e.g. "
                                             "sha256-BASE64 (repeatable: the first for the first "
                                             "URL, and so on; \"\" for none)"))
    fetch.add_argument("--wait", action="store_true",
                       help=translate("cli", "block until the fetch settles, with a progress "
                                             "bar on a terminal"))
    fetch.add_argument("--json", action="store_true", help=json_help)

    listing = command("list", translate("cli", "every fetch, active and settled, as a table"))
    listing.add_argument("--json", action="store_true", help=json_help)
    show = command("show", translate("cli", "one fetch with its files"))
    show.add_argument("fetch_id", metavar="ID", help=id_help)
    show.add_argument("--json", action="store_true", help=json_help)
    wait = command("wait", translate(
        "cli", "block until ID settles, with a progress bar on a terminal"))
    wait.add_argument("fetch_id", metavar="ID", help=id_help)
    wait.add_argument("--json", action="store_true", help=json_help)
    for name, text in (("pause", translate("cli", "pause ID")),
                       ("resume", translate("cli", "resume ID")),
                       ("abort", translate("cli", "cancel ID and delete its unfinished files"))):
        command(name, text).add_argument("fetch_id", metavar="ID", help=id_help)
    limit = command("limit", translate("cli", "set ID's own speed limit, also while it runs"))
    limit.add_argument("fetch_id", metavar="ID", help=id_help)
    limit.add_argument("rate", metavar="RATE",
                       help=translate("cli", "per second, e.g. 500K or 2M; 0: none"))
    move = command("move", translate("cli", "move ID in the queue of fetches waiting to start"))
    move.add_argument("fetch_id", metavar="ID", help=id_help)
    to = move.add_mutually_exclusive_group(required=True)
    for where, text in (("top", translate("cli", "first to start")),
                        ("up", translate("cli", "one place earlier")),
                        ("down", translate("cli", "one place later")),
                        ("bottom", translate("cli", "last to start"))):
        to.add_argument(f"--{where}", dest="to", action="store_const", const=where, help=text)
    start_at = command("start-at", translate("cli", "change when ID may start"))
    start_at.add_argument("fetch_id", metavar="ID", help=id_help)
    start_at.add_argument("time", metavar="TIME",
                          help=translate("cli", "HH:MM (the next one), a date and time such as "
                                                "2026-12-24T01:30, or now"))
    alt_speed = command("alt-speed", translate(
        "cli", "use the alternative speed limit (on) or the usual one (off)"))
    alt_speed.add_argument("switch", metavar="on|off", choices=("on", "off"),
                           help=translate("cli", "on or off"))
    file_help = translate("cli", "the file's number, from 1, as `bgfetch show ID` lists them")
    replace = command("replace-url", translate(
        "cli", "download file N of ID from URL from now on (an expired link); it continues "
               "where it stopped if URL serves the same version of the file"))
    replace.add_argument("fetch_id", metavar="ID", help=id_help)
    replace.add_argument("file", metavar="N", help=file_help)
    replace.add_argument("url", metavar="URL", help=translate("cli", "the new http(s) URL"))
    retry = command("retry", translate(
        "cli", "download the failed files of ID again, or only file N with --file"))
    retry.add_argument("fetch_id", metavar="ID", help=id_help)
    retry.add_argument("--file", metavar="N", help=file_help)
    skip = command("skip", translate(
        "cli", "leave file N of ID out and keep the others; its partial file is deleted"))
    skip.add_argument("fetch_id", metavar="ID", help=id_help)
    skip.add_argument("file", metavar="N", help=file_help)
    login = command("login", translate(
        "cli", "save a user name and password for URL's origin in the OS keyring"))
    login.add_argument("url", metavar="URL", help=translate("cli", "any URL of the origin"))
    login.add_argument("--username",
                       help=translate("cli", "the user name (asked for when missing)"))
    logout = command("logout", translate("cli", "forget the credentials of URL's origin"))
    logout.add_argument("url", metavar="URL", help=translate("cli", "any URL of the origin"))
    for credentials_command in (login, logout):
        credentials_command.add_argument(
            "--proxy", action="store_true", help=translate("cli", "URL is a proxy's"))
    sites = command("sites", translate(
        "cli", "web origins that may use bgfetch through the browser extension"))
    site_actions = sites.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    site_actions.required = True
    site_list = site_actions.add_parser(
        "list", help=translate("cli", "every origin's decision and quota"))
    site_list.add_argument("--json", action="store_true", help=json_help)
    for action, text in (
        ("allow", translate("cli", "let ORIGIN's pages use bgfetch without asking")),
        ("deny", translate("cli", "refuse ORIGIN's pages without asking")),
        ("forget", translate("cli", "ask again the next time ORIGIN wants to fetch")),
    ):
        site = site_actions.add_parser(action, help=text, description=text)
        site.add_argument("origin", metavar="ORIGIN",
                          help=translate("cli", "e.g. https://example.org"))
        if action == "allow":
            site.add_argument("--quota", metavar="BYTES",
                              help=translate("cli", "what ORIGIN's fetches may hold (default 10G)"))
    command("daemon", translate("cli", "run the headless engine"))
    command("quit", translate("cli", "ask the running engine to checkpoint and exit"))
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        try:
            home = data_dir()
        except OSError as exc:
            text = translate("cli", "cannot use the data folder {folder}: {error}")
            raise BgfetchError(text.format(folder=exc.filename, error=exc.strerror)) from None
        handler: Callable[[argparse.Namespace, Path], int] = COMMANDS[args.command]
        return handler(args, home)
    except (UsageError, InvalidFetch, UnknownFetch) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except (BgfetchError, EngineUnavailable) as exc:
        _error(str(exc))  # the engine would not start, the folder is busy: not bad input
        return EXIT_ENGINE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # the system refused: a full disk, a folder we may not write
        _error(f"{exc.strerror}: {exc.filename}" if exc.filename else str(exc))
        return EXIT_ENGINE
    except Exception as exc:  # a bug: one line for the user, the traceback for the report
        _error(translate("cli", "internal error: {error}; please report it with {report}").format(
            error=repr(exc), report=_crash_report(exc)))
        return EXIT_ENGINE


def _crash_report(exc: Exception) -> str:
    """Where the traceback of an unexpected error went: a log in the data folder (not
    argv, which may hold a URL's signed query)."""
    try:
        path = data_dir() / CRASH_LOG
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} bgfetch {__version__}\n")
            log.write("".join(traceback.format_exception(exc)) + "\n")
        return str(path)
    except OSError:
        return translate("cli", "bgfetch {version} and the command you ran").format(
            version=__version__)


def _error(message: str) -> None:
    print(f"bgfetch: {message}", file=sys.stderr)


# -- fetch ------------------------------------------------------------------------


def spec_from_args(args: argparse.Namespace) -> FetchSpec:
    """The fetch the command line asks for, checked; InvalidFetch/UsageError otherwise."""
    if args.manifest:
        if (args.urls or args.fetch_id or args.title or args.icon or args.integrity
                or args.download_total != "0"):
            raise UsageError(
                translate("cli", "--manifest cannot be combined with URLs or fetch options"))
        spec = load_manifest(Path(args.manifest))
    else:
        if not args.urls:
            raise UsageError(translate("cli", "fetch needs at least one URL (or --manifest FILE)"))
        try:
            total = parse_size(args.download_total)
        except ValueError as exc:
            raise UsageError(f"--download-total: {exc}") from None
        for url in args.urls:
            check_url(url)  # name the URL itself, not a manifest field
        icons = [{"src": src} for src in args.icon]
        spec = parse_spec({
            "id": args.fetch_id if args.fetch_id is not None else new_id(),
            "requests": _requests(args.urls, args.integrity),
            "options": {"title": args.title, "icons": icons, "downloadTotal": total},
        }, base=Path.cwd())
    # Everything the engine would refuse, refused here: before a daemon is started for it.
    check_fetch(spec.id, spec.requests, spec.options)
    dest = Path(args.dest).expanduser().absolute() if args.dest else spec.dest
    if dest is not None and dest.exists() and not dest.is_dir():
        raise UsageError(translate("cli", "--dest {folder} exists and is not a folder").format(
            folder=repr(str(dest))))
    options = spec.options
    if args.proxy is not None:
        options = dataclasses.replace(options, proxy=_proxy_setting(args.proxy))
    if args.max_speed is not None:
        options = dataclasses.replace(options, max_speed=_rate(args.max_speed, "--max-speed"))
    if args.start_at is not None:
        options = dataclasses.replace(options, start_at=_start_at(args.start_at))
    return FetchSpec(spec.id, spec.requests, options, dest)


def _requests(urls: list[str], integrity: list[str]) -> list[str | dict[str, str]]:
    """The URLs, the n-th with the n-th ``--integrity`` (docs/contracts.md §12)."""
    from .engine.integrity import BadIntegrity, check_metadata

    if len(integrity) > len(urls):
        raise UsageError(translate("cli", "--integrity given {count} times for {urls} URLs; "
                                          "give it once per URL, in the same order").format(
            count=len(integrity), urls=len(urls)))
    for metadata in integrity:
        try:
            if metadata.strip():
                check_metadata(metadata)
        except BadIntegrity as exc:
            raise UsageError(f"--integrity: {exc}") from None
    return [{"url": url, "integrity": metadata}
            for url, metadata in zip(urls, integrity, strict=False)] + urls[len(integrity):]


def _rate(text: str, what: str) -> int:
    """A speed limit such as ``2M`` or ``500K/s`` in bytes per second (docs/contracts.md §9)."""
    try:
        return parse_size(text.removesuffix("/s"))
    except ValueError as exc:
        raise UsageError(f"{what}: {exc}") from None


def _start_at(text: str, what: str = "--start-at") -> float:
    """``--start-at``'s time: when a fetch may start (docs/contracts.md §10)."""
    from .engine.schedule import parse_start_at

    try:
        return parse_start_at(text, time.time())
    except ValueError as exc:
        raise UsageError(f"{what}: {exc}") from None


def cmd_limit(args: argparse.Namespace, home: Path) -> int:
    message = {"cmd": "limit", "id": args.fetch_id, "rate": _rate(args.rate, "RATE")}
    _checked(_engine_or_store(home, message))
    return EXIT_OK


def cmd_move(args: argparse.Namespace, home: Path) -> int:
    """``bgfetch move ID --top|--up|--down|--bottom`` (docs/contracts.md §10)."""
    _checked(_engine_or_store(home, {"cmd": "move", "id": args.fetch_id, "to": args.to}))
    return EXIT_OK


def cmd_start_at(args: argparse.Namespace, home: Path) -> int:
    """``bgfetch start-at ID TIME|now`` (docs/contracts.md §10)."""
    when = 0.0 if args.time.strip().lower() == "now" else _start_at(args.time, "TIME")
    answer = _checked(_engine_or_store(home, {"cmd": "start-at", "id": args.fetch_id,
                                              "at": when}))
    if not when and answer["state"] == "queued" and IpcClient(home).ping() is None:
        _start_daemon(home)  # "now" means download now, as `resume` does
    return EXIT_OK


def cmd_alt_speed(args: argparse.Namespace, home: Path) -> int:
    """``bgfetch alt-speed on|off`` (docs/contracts.md §9)."""
    answer = _checked(_engine_or_store(home, {"cmd": "alt-speed", "on": args.switch == "on"}))
    if args.switch == "on" and not answer["limit"]:
        _error(translate("cli", "no alternative limit is set (alt_speed_limit is 0): no "
                                "limit applies while it is on"))
    return EXIT_OK


def cmd_file_action(args: argparse.Namespace, home: Path) -> int:
    """``replace-url``, ``retry`` and ``skip`` (docs/contracts.md §13)."""
    message: dict[str, Any] = {"cmd": args.command, "id": args.fetch_id}
    if args.file is not None:
        message["file"] = _file_number(args.file)
    if args.command == "replace-url":
        check_url(args.url)
        message["url"] = args.url
    answer = _checked(_engine_or_store(home, message))
    if answer["result"] == "" and answer["state"] != "paused" and IpcClient(home).ping() is None:
        _start_daemon(home)  # the fetch runs again: download it, as `resume` does
    return EXIT_OK


def _file_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise UsageError(translate("cli", "N: expected a file's number, from 1, not {text!r}")
                         .format(text=text))
    return int(text)


def _proxy_setting(text: str) -> str:
    """``--proxy``'s value checked (a URL without credentials, or none): docs/contracts.md §8."""
    from .engine.proxy import BadProxy, check_setting

    try:
        setting = check_setting(text)
    except BadProxy as exc:
        raise UsageError(f"--proxy: {exc}") from None
    if setting == "system":
        raise UsageError("--proxy: expected a proxy URL or none")
    return setting


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
        _error(answer.get("error", translate("cli", "the engine refused the fetch")))
        return _refusal_exit(answer)
    if generated and not args.json:
        print(answer["id"], flush=True)
    older_id_note(answer["id"], answer.get("older", 0))
    if args.wait:
        return _wait_remote(client, answer["id"], args.json)
    if args.json:
        print(json.dumps(client.call({"cmd": "show", "id": answer["id"]})["registration"]))
    return EXIT_OK


def _start_daemon(home: Path) -> IpcClient:
    """Start ``bgfetch daemon`` detached (its log in the data folder) and wait until it answers."""
    client = start_engine(home, gui=False, wait=DAEMON_START_TIMEOUT)
    if client is None:
        text = translate("cli", "the background engine did not start; see {log}")
        raise BgfetchError(text.format(log=home / DAEMON_LOG))
    return client


# -- waiting ------------------------------------------------------------------------


def _wait_remote(client: IpcClient, fetch_id: str, as_json: bool) -> int:
    bar = ProgressBar()
    waited_id, state = fetch_id, ""
    try:
        for reply in client.request({"cmd": "wait", "id": fetch_id}):
            if "progress" in reply:
                waited_id, state = reply["progress"]["id"], reply["progress"]["state"]
                if bar.first:
                    paused_note(reply["progress"])
                bar.update(reply["progress"])
            elif not reply.get("ok"):
                bar.finish()
                _error(reply.get("error", translate("cli", "wait failed")))
                return _refusal_exit(reply)
            else:
                return settled_exit(reply["registration"], as_json, bar)
    except KeyboardInterrupt:
        bar.finish()
        # Ctrl+C means "stop this download", whichever process runs the engine.
        paused = _pause_quietly(client, waited_id) or state == "paused"
        interrupted_note(waited_id, paused, engine_stays=True)
        return EXIT_INTERRUPTED
    except EngineUnavailable:
        bar.finish()
        # The engine left (a GUI took over, or `bgfetch quit`): follow the work.
        return _wait_any(client.folder, fetch_id, as_json)
    raise EngineUnavailable("no result")


def _pause_quietly(client: IpcClient, fetch_id: str) -> bool:
    """Pause ``fetch_id`` (an exact id: the active one); False if it could not be."""
    try:
        return bool(client.call({"cmd": "pause", "id": fetch_id}).get("changed"))
    except (EngineUnavailable, OSError, ValueError):
        return False


def _refusal_exit(answer: dict[str, Any]) -> int:
    """The exit code of an engine's refusal: 2 for bad input, else 3 (its own trouble)."""
    return EXIT_USAGE if answer.get("code") == EXIT_USAGE else EXIT_ENGINE


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
    raise BgfetchError(translate("cli", "lost the engine while waiting"))


def cmd_wait(args: argparse.Namespace, home: Path) -> int:
    return _wait_any(home, args.fetch_id, args.json)


def _run_local(
    home: Path, spec: FetchSpec | None, fetch_id: str, as_json: bool, announce: bool = False
) -> int:
    """Run an engine in this process until ``fetch_id`` settles, then end the process."""
    # Ctrl+C while Qt is still loading would abort the interpreter inside
    # shiboken's start-up: until the engine watches signals, only note them.
    signals_seen: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, _frame: signals_seen.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        from .local_engine import HandedOver, end_process, run_local_engine

        try:
            code = run_local_engine(home, spec, fetch_id, as_json, announce, signals_seen)
        except HandedOver:
            pass  # a GUI took the data folder over; the fetch goes on there
        else:
            end_process(code)
    except EngineBusy:
        if signals_seen:
            raise KeyboardInterrupt from None
        raise
    finally:
        # Back to KeyboardInterrupt: after a busy folder or a handover we wait on a
        # socket, and a handler that only takes note would make Ctrl+C do nothing there.
        for signum, handler in previous.items():
            signal.signal(signum, handler)
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
    if args.json:
        regs = _checked(_engine_or_store(home, {"cmd": "list"}))["registrations"]
        print(json.dumps(regs, indent=None))
        return EXIT_OK
    regs = _checked(_engine_or_store(home, {"cmd": "list", "table": True}))["registrations"]
    if not regs:
        _error(translate("cli", "no fetches yet"))
        return EXIT_OK
    for line in render_table(regs, shutil.get_terminal_size().columns):
        print(line)
    return EXIT_OK


def cmd_show(args: argparse.Namespace, home: Path) -> int:
    message = {"cmd": "show", "id": args.fetch_id, **({"sha256": True} if args.json else {})}
    answer = _checked(_engine_or_store(home, message))
    reg = answer["registration"]
    if args.json:
        print(json.dumps(reg))
        return EXIT_OK
    for name in ("id", "title", "state", "result", "failure_reason", "downloaded",
                 "download_total", "uploaded", "upload_total", "dest"):
        print(f"{name}: {reg[name]}")
    problem = problem_line(reg)
    if problem:
        print(f"problem: {problem}")
    if answer["ref"] != reg["id"]:
        print(translate("cli", "name: {name} (an older fetch with this id: {state})").format(
            name=answer["ref"], state=state_text(reg)))
    if reg.get("origin"):
        print(f"origin: {reg['origin']}")  # a web page's fetch
    # Numbered from 1: what `replace-url`, `retry --file` and `skip` take (§13).
    for number, record in enumerate(reg["records"], start=1):
        status = record["status"] if record["status"] is not None else "-"
        if record.get("skipped"):
            status = translate("cli", "skipped")
        url = record.get("replaced_url") or record["url"]
        print(f"  {number}\t{status}\t{human_size(record['size'])}\t{url}\t"
              f"{record['path'] or ''}")
    return EXIT_OK


def _control(args: argparse.Namespace, home: Path) -> int:
    answer = _checked(_engine_or_store(home, {"cmd": args.command, "id": args.fetch_id}))
    if args.command == "resume" and answer.get("changed") and IpcClient(home).ping() is None:
        _start_daemon(home)  # a resumed fetch should download, as the user expects
    if not answer.get("changed"):
        print(translate("cli", "{id}: nothing to {command} ({state})").format(
            id=args.fetch_id, command=args.command, state=answer.get("state")), file=sys.stderr)
    return EXIT_OK


def cmd_login(args: argparse.Namespace, home: Path) -> int:
    """Credentials go to the keyring only, and never through argv: the password is
    read from the terminal without echo, or from stdin when that is not a terminal."""
    import getpass

    from .engine.credentials import Credential
    from .platform.credentials import KeyringCredentials, KeyringUnavailable

    key = _credential_key(args)
    interactive = sys.stdin.isatty()
    username = args.username or (input(translate("cli", "User name: ")) if interactive else "")
    if not username:
        raise UsageError(translate("cli", "login needs --username when stdin is not a terminal"))
    password = (getpass.getpass(translate("cli", "Password: ")) if interactive
                else sys.stdin.readline().rstrip("\n"))
    try:
        KeyringCredentials().save(key, Credential(username, password))
    except KeyringUnavailable as exc:
        raise BgfetchError(str(exc)) from None
    print(translate("cli", "saved credentials for {origin}").format(origin=key),
          file=sys.stderr)
    return EXIT_OK


def _credential_key(args: argparse.Namespace) -> str:
    """The keyring entry ``login``/``logout`` mean: a web origin's, or a proxy's (--proxy)."""
    from .engine.credentials import origin_of
    from .engine.proxy import BadProxy, parse_proxy

    if not args.proxy:
        check_url(args.url)
        return origin_of(args.url)
    try:
        return parse_proxy(args.url).keyring_key
    except BadProxy as exc:
        raise UsageError(str(exc)) from None


def cmd_logout(args: argparse.Namespace, home: Path) -> int:
    from .platform.credentials import KeyringCredentials, KeyringUnavailable

    key = _credential_key(args)
    try:
        found = KeyringCredentials().forget(key)
    except KeyringUnavailable as exc:
        raise BgfetchError(str(exc)) from None
    if not found:
        _error(translate("cli", "no credentials saved for that origin"))
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
        _error(translate("cli", "nothing was decided about {origin}").format(
            origin=message["origin"]))
    return EXIT_OK


def cmd_daemon(args: argparse.Namespace, home: Path) -> int:
    from .local_engine import run_daemon

    return run_daemon(home)


def cmd_quit(args: argparse.Namespace, home: Path) -> int:
    client = IpcClient(home)
    if client.ping() is None:
        _error(translate("cli", "no engine is running"))
        return EXIT_OK
    client.call({"cmd": "quit"})
    from .engine.datadir import EngineLock

    lock = EngineLock(home)
    deadline = time.monotonic() + DAEMON_START_TIMEOUT
    while time.monotonic() < deadline:
        if lock.is_free():
            return EXIT_OK
        time.sleep(0.05)
    raise BgfetchError(translate("cli", "the engine did not stop in time"))


COMMANDS: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "fetch": cmd_fetch,
    "list": cmd_list,
    "show": cmd_show,
    "wait": cmd_wait,
    "pause": _control,
    "resume": _control,
    "abort": _control,
    "limit": cmd_limit,
    "move": cmd_move,
    "start-at": cmd_start_at,
    "alt-speed": cmd_alt_speed,
    "replace-url": cmd_file_action,
    "retry": cmd_file_action,
    "skip": cmd_file_action,
    "login": cmd_login,
    "logout": cmd_logout,
    "sites": cmd_sites,
    "daemon": cmd_daemon,
    "quit": cmd_quit,
}


if __name__ == "__main__":
    sys.exit(main())
