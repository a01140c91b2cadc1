"""The command line in the user's language (LANG=pt_BR.UTF-8), end to end; what
scripts read (`--json`, `failure: <reason>`) stays as docs/contracts.md §4 has it."""

from __future__ import annotations

import json

from tests.integration.cli_helpers import Home, describe, stderr_lines
from tests.support.faultserver import FaultServer

PT_BR = {"LC_ALL": "pt_BR.UTF-8"}


def test_messages_help_and_table_in_brazilian_portuguese(
    home: Home, fault_server: FaultServer
) -> None:
    empty = home.run("list", extra_env=PT_BR)
    assert stderr_lines(empty) == ["bgfetch: nenhum fetch ainda"], describe(empty)

    helped = home.run("wait", "--help", extra_env=PT_BR)
    assert "espera ID terminar, com uma barra de progresso num terminal" in helped.stdout
    assert "códigos de saída" in helped.stdout

    dest = home.path.parent / "out"
    failed = home.run("fetch", "--wait", "--id", "ep", "--dest", str(dest),
                      fault_server.url("gone.bin", status=404), extra_env=PT_BR)
    assert failed.returncode == 1, describe(failed)
    # What failed in Portuguese; the last line is for scripts: never translated.
    assert stderr_lines(failed)[-2:] == ["bgfetch: gone.bin: o servidor respondeu 404 Not Found",
                                         "failure: bad-status"], describe(failed)
    shown = home.run("show", "ep", extra_env=PT_BR).stdout.splitlines()
    assert "problem: gone.bin: o servidor respondeu 404 Not Found" in shown, shown

    table = home.run("list", extra_env={**PT_BR, "COLUMNS": "100"}).stdout.splitlines()
    assert table[0].split() == ["ID", "ESTADO", "FEITO", "TAMANHO", "CRIADO", "TÍTULO"]
    assert "falhou: bad-status" in table[1]
    listed = json.loads(home.run("list", "--json", extra_env=PT_BR).stdout)
    assert listed[0]["state"] == "failure"
