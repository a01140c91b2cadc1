"""One damaged row in a healthy database (issue 10): `list`, `show` and the daemon work,
the damaged fetch is named once on stderr and skipped, the others are untouched."""

from __future__ import annotations

import sqlite3

from bgfetch_gui.engine.model import FetchRequest
from bgfetch_gui.engine.store import Store
from tests.integration.cli_helpers import Home, wait_until


def plant_bad_row(home: Home) -> None:
    store = Store(home.db_path)
    for fetch_id in ("good", "bad"):
        key = store.insert_registration(fetch_id, "", (), 0, home.path / fetch_id,
                                        [FetchRequest("https://example.com/a")], [0])
        # Settled, so the daemon has nothing to download.
        store.update_registration(key, result="failure", failure_reason="aborted")
    store.close()
    db = sqlite3.connect(home.db_path)
    db.execute("UPDATE requests SET segments = 'garbage' WHERE reg_key ="
               " (SELECT key FROM registrations WHERE id = 'bad')")
    db.commit()
    db.close()


def test_list_and_show_survive_one_bad_row(home: Home) -> None:
    # Before: a traceback from json.loads, exit 1.
    plant_bad_row(home)
    listed = home.ok("list", "--json")
    assert "'bad'" in listed.stderr and "skipped" in listed.stderr
    assert [f["id"] for f in home.list_json()] == ["good"]
    assert home.show("good")["id"] == "good"
    missing = home.run("show", "bad")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


def test_the_daemon_starts_with_one_bad_row(home: Home) -> None:
    plant_bad_row(home)
    daemon = home.popen("daemon")
    wait_until(lambda: home.ping() is not None or daemon.poll() is not None, timeout=30,
               what="the daemon answers or exits")
    assert daemon.poll() is None, daemon.communicate()
    assert [f["id"] for f in home.list_json()] == ["good"]
