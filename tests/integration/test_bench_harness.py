"""bench/run.py's one derived number, bytes fetched twice after a kill, counted right.

The benchmark itself is not part of the test run; this checks the parts its
resume figures rest on, with the real nginx and curl it uses: the generated
config starts without root, limits each connection, logs every response
(the cut one included) with its body bytes, and the kill at 50 % happens
mid-transfer.
"""

from __future__ import annotations

from pathlib import Path

from bench import clients
from bench.nginx import nginx
from bench.scenarios import QUICK, Bench, kill_when_written

MiB = 1 << 20


def test_bytes_served_twice_after_a_kill_at_half(tmp_path: Path) -> None:
    size = 4 * MiB
    with nginx(tmp_path / "root", tmp_path / "nginx", {"slow": MiB}) as server:
        bench = Bench(server, tmp_path / "root", tmp_path / "work", rounds=1, sizes=QUICK)
        expected = {"half.bin": bench.serve("slow/half.bin", size)}
        run = bench.run_dir("half")
        run.fresh()
        first, then = clients.resumable(server.url("slow/half.bin"), run)["curl -C -"]

        kill_when_written(first, run.env, size // 2)
        on_disk = (run.out / "half.bin").stat().st_size
        clients.measure(then, run.env)
        clients.check_files(run.out, expected)
        served = server.served()

    assert size // 2 <= on_disk < size, "killed at half, not before or after the end"
    assert [(s.path, s.status) for s in served] == [("/slow/half.bin", 200),
                                                    ("/slow/half.bin", 206)]
    assert served[1].range == f"bytes={on_disk}-"
    assert served[1].body_bytes == size - on_disk
    assert on_disk <= served[0].body_bytes < size  # the cut response is logged, with what it sent
