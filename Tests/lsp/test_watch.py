"""`precept lint --watch`: runs, then runs again when a rulebook or a file it imports changes."""
import os
import pathlib
import subprocess
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
PRECEPT = os.environ.get("PRECEPT", str(REPO / ".build/debug/precept"))


def read_until(proc, marker, timeout=20):
    out, end = b"", time.time() + timeout
    os.set_blocking(proc.stdout.fileno(), False)
    while time.time() < end:
        chunk = proc.stdout.read()
        if chunk:
            out += chunk
            if marker.encode() in out:
                return out.decode()
        time.sleep(0.05)
    raise AssertionError(f"no {marker!r} in {out.decode()!r}")


def test_lint_watch_reruns_when_an_import_changes(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "lib.yaml").write_text("precept: 1\nrulebook: t.lib\ndefinitions:\n  cap: 24%\n")
    (tmp_path / "main.yaml").write_text(
        "precept: 1\nrulebook: t.main\nimports:\n  - { path: lib.yaml, as: lib }\n"
        "schema: { p: { apr: percent } }\nrules:\n  - id: R\n    severity: info\n    require: p.apr <= lib.cap\n")
    proc = subprocess.Popen([PRECEPT, "lint", "--watch", str(tmp_path / "main.yaml")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        first = read_until(proc, "[watch]")
        assert "0 errors" in first and "ok; watching 2 files" in first
        time.sleep(1.1)  # a later modification time
        (tmp_path / "lib.yaml").write_text("precept: 1\nrulebook: t.lib\ndefinitions:\n  cap: 24 CNY\n")
        second = read_until(proc, "[watch]")
        assert "error[P0504]" in second and "findings (exit 1)" in second
    finally:
        proc.terminate()
        proc.wait()
