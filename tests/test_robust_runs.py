"""A run that says "passed" has checked everything: a derivation file that exits, hangs, sleeps,
starts threads, crashes its process or eats memory is an error for that file (or that step),
named as such, and every other derivation is still verified. The fixtures are in
tests/fixtures/runs/; each test runs the command as a user would."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smoothsym.cli import main

RUNS = Path(__file__).resolve().parent / "fixtures" / "runs"
ROOT = Path(__file__).resolve().parent.parent
WRONG = str(RUNS / "wrong_step.py")


def _relative(path: Path) -> str:
    return os.path.relpath(path)


def _wrong_step_still_refuted(out: str) -> None:
    assert re.search(r"wrong-step +2 rewrite +proved", out)
    assert re.search(r"wrong-step +3 rewrite +refuted", out)
    assert "FAILED wrong-step" in out


# -- the import of a file --------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    "fixture, message",
    [
        ("exits_at_import.py", r"exits_at_import.py:5: importing it called sys.exit\(0\); a derivation file must not end the run"),
        ("os_exit_at_import.py", r"os_exit_at_import.py: importing it ended the process \(exit code 3\)"),
        ("thread_at_import.py", r"thread_at_import.py:11: importing it started a thread that is still running \(spin at .*thread_at_import.py:11\)"),
    ],
)
def test_a_file_that_exits_or_leaves_a_thread_at_import_is_its_own_error(capsys, tmp_path, fixture, message, jobs):
    report = tmp_path / "verdicts.json"
    code = main(["verify", str(RUNS / fixture), WRONG, "-j", jobs, "--no-cache", "--json", str(report)])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(r"ERROR .*" + message, out), out
    _wrong_step_still_refuted(out)
    verdicts = json.loads(report.read_text())  # the JSON is written, with both files in it
    assert {d["name"] for d in verdicts["derivations"]} >= {"wrong-step"}
    assert any(fixture in (d.get("file") or "") and d.get("error") for d in verdicts["derivations"])


def test_sys_exit_with_a_code_is_an_error_too(capsys, tmp_path):
    exits = tmp_path / "exits_three.py"
    exits.write_text("import sys\n\nsys.exit(3)\n")
    assert main(["verify", str(exits), WRONG, "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "exits_three.py:3: importing it called sys.exit(3)" in out
    _wrong_step_still_refuted(out)


def test_a_report_run_still_writes_the_other_pages(capsys, tmp_path):
    code = main(["report", str(RUNS / "exits_at_import.py"), WRONG, "--no-cache", "--out", str(tmp_path / "reports")])
    out = capsys.readouterr().out
    assert code == 1 and "importing it called sys.exit(0)" in out
    assert (tmp_path / "reports" / "wrong-step.html").is_file()


def test_a_sleeping_import_is_stopped_by_the_wall_clock(capsys):
    started = time.monotonic()
    assert main(["verify", str(RUNS / "sleeps_at_import.py"), WRONG, "--no-cache", "--wall-limit", "2"]) == 1
    out = capsys.readouterr().out
    assert time.monotonic() - started < 30
    assert "sleeps_at_import.py: importing it took longer than 2 s of wall-clock time, so it was stopped" in out
    _wrong_step_still_refuted(out)


def test_a_file_name_that_is_not_utf8_is_its_own_error(capsys, tmp_path):
    folder = os.fsencode(tmp_path)
    shutil.copy(WRONG, os.path.join(folder, b"bad\xffname.py"))
    shutil.copy(RUNS.parent.parent.parent / "derivations" / "softplus.py", tmp_path / "softplus.py")
    assert main(["verify", str(tmp_path), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "bad\\xffname.py: its path is not valid UTF-8, so Python cannot import it; rename the file" in out
    assert re.search(r"softplus +15 limit +proved", out)


# -- the checking of a step ------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_step_that_hangs_is_stopped_and_the_rest_is_verified(capsys, jobs):
    started = time.monotonic()
    code = main(["verify", str(RUNS / "hangs_in_step.py"), WRONG, "-j", jobs, "--no-cache", "--wall-limit", "3"])
    out = capsys.readouterr().out
    assert time.monotonic() - started < 40
    assert code == 1  # a step stopped by the wall clock carries no evidence: it fails the run
    assert re.search(r"hangs-in-step +2 generalise +error .*\[stopped at the wall-clock limit\]", out)
    assert "no verdict within 3 s of wall-clock time, so its process was stopped" in out
    assert re.search(r"hangs-in-step +3 given +given", out)  # the step after it, in a new worker
    _wrong_step_still_refuted(out)


def test_memory_and_recursion_bombs_are_errors_of_their_steps(capsys):
    code = main(["verify", str(RUNS / "bombs_in_step.py"), WRONG, "--no-cache", "--wall-limit", "5"])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(r"bombs-in-step +2 generalise +error", out) and "MemoryError" in out
    assert re.search(r"bombs-in-step +3 generalise +error", out)  # out of memory, crashed, or stopped
    assert re.search(r"bombs-in-step +4 generalise +checked", out)
    _wrong_step_still_refuted(out)


def test_a_thread_left_by_one_step_does_not_slow_the_steps_after_it(capsys):
    """The thread spins for ever; in the same process it would use half of every later step's
    CPU-time limit. Its worker retires after the step, so softplus's verdicts are unchanged."""
    softplus = str(ROOT / "derivations" / "softplus.py")

    def outcomes(*paths):
        assert main(["verify", *paths, "-j", "1", "--no-cache", "--time-limit", "1"]) == 0
        lines = capsys.readouterr().out.splitlines()
        return [line.split()[:4] for line in lines if line.startswith("softplus ")]

    alone = outcomes(softplus)
    assert outcomes(str(RUNS / "thread_in_step.py"), softplus) == alone
    assert not any("timeout" in line for line in alone)


# -- signals: no worker left behind ---------------------------------------------------------


# A process with other threads (a Jupyter kernel's, whose interrupt is a SIGINT) may have the
# signal delivered to one of them; the run, asleep waiting for its workers, must still stop now.
INTERRUPTED_IN_A_THREADED_PROCESS = r"""
import signal, sys, threading, time
from smoothsym.loader import discover
from smoothsym.runner import verify_many
from smoothsym.settings import PROFILES

signal.signal(signal.SIGINT, signal.default_int_handler)  # as a kernel or a terminal has it
catalog = discover([sys.argv[1]])
sent = []

def interrupt_from_this_thread():
    time.sleep(float(sys.argv[2]))  # the hanging step is being waited for by then
    sent.append(time.monotonic())
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # delivered to this thread, not the main one
    time.sleep(3600)

threading.Thread(target=interrupt_from_this_thread, daemon=True).start()
try:
    list(verify_many(catalog.derivations, PROFILES["default"], jobs=2))
    print("finished")
except KeyboardInterrupt:
    print(f"interrupted {time.monotonic() - sent[0]:.2f} s after the signal")
"""


def test_ctrl_c_delivered_to_another_thread_stops_the_run_at_once():
    """The step hangs for an hour and its wall-clock bound is 120 s; the interrupt is acted on
    within a few seconds, not at that bound."""
    run = subprocess.run([sys.executable, "-c", INTERRUPTED_IN_A_THREADED_PROCESS, str(RUNS / "hangs_in_step.py"), "4"],
                         capture_output=True, text=True, cwd=ROOT, timeout=80)
    found = re.search(r"interrupted ([\d.]+) s after the signal", run.stdout)
    assert found, run.stdout + run.stderr
    assert float(found.group(1)) < 5, run.stdout


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _asleep(pid: int) -> bool:
    """The process waits in a sleep (time.sleep: the kernel's nanosleep), as read in /proc."""
    try:
        return "nanosleep" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/wchan").is_file(), reason="reads the process table from /proc")
@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_a_signal_to_the_run_leaves_no_worker_behind(signum, code):
    # The run starts as from a terminal, where Ctrl-C is not ignored: pytest may itself run as a
    # background job, whose shell ignores SIGINT, and an ignored signal stays ignored across exec
    # (the run then rightly ignores Ctrl-C, as any command started with `&`).
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        run = subprocess.Popen(
            [sys.executable, "-X", "faulthandler", "-m", "smoothsym.cli", "verify", str(RUNS / "hangs_in_step.py"), WRONG,
             "-j", "2", "--no-cache"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        # The signal is sent once a worker sleeps in the hanging step: the run is then verifying
        # (children seen earlier may be the trial imports of loading, which end on their own).
        deadline = time.monotonic() + 120
        while not any(map(_asleep, _children(run.pid))) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.1)
        workers = {p for p in _children(run.pid) if _alive(p)}
        assert any(map(_asleep, workers)), "the run never reached the step that sleeps"
        run.send_signal(signum)
        try:
            _, stderr = run.communicate(timeout=20)  # read while waiting: a full pipe must not stall the run
        except subprocess.TimeoutExpired:
            run.send_signal(signal.SIGABRT)  # -X faulthandler: where it is stuck, on stderr
            _, stderr = run.communicate()
            pytest.fail(f"the run did not end within 20 s of the signal; its stderr:\n{stderr[-4000:]}")
        assert run.returncode == code, stderr
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), "a worker outlived the run"
        if signum != signal.SIGKILL:
            assert "nothing more was written" in stderr
    finally:
        run.kill()
        run.wait()


# -- the pytest plugin -----------------------------------------------------------------------


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--smoothsym-no-cache", *args, str(folder)],
        capture_output=True, text=True, cwd=folder, timeout=300,
    )


def test_the_plugin_collects_what_the_loader_loads(tmp_path):
    for name in ("aliased.py", "wrong_step.py", "exits_at_import.py"):
        shutil.copy(RUNS / name, tmp_path / name)
    (tmp_path / "helpers.py").write_text('"""A helper module beside the derivations: not a derivation."""\nTWO = 2\n')
    result = _pytest(tmp_path, "-q")
    out = result.stdout
    assert "INTERNALERROR" not in out + result.stderr
    assert "aliased.py::aliased::step-2[slip] FAILED" in out or re.search(r"FAILED aliased.py::aliased::step-2\[slip\]", out)
    assert "importing it called sys.exit(0)" in out
    assert re.search(r"3 failed, 3 passed", out), out  # aliased step 2, wrong-step step 3, the exit; helpers.py: nothing


def test_the_plugin_verifies_a_claim_holding_3000_factorial(tmp_path):
    """Python refuses to print an integer of more than 4300 digits by default."""
    shutil.copy(RUNS.parent / "robust" / "big_integer.py", tmp_path / "big_integer.py")
    result = _pytest(tmp_path, "-rA")
    assert re.search(r"2 passed", result.stdout), result.stdout


def test_the_plugin_stops_a_hanging_step(tmp_path):
    shutil.copy(RUNS / "hangs_in_step.py", tmp_path / "hangs_in_step.py")
    result = _pytest(tmp_path, "-q", "--smoothsym-wall-limit", "3")
    assert "stopped at the wall-clock limit" in result.stdout
    assert re.search(r"1 failed, 2 passed", result.stdout), result.stdout


def test_pytest_xdist_gives_the_same_verdicts(tmp_path):
    pytest.importorskip("xdist")
    for name in ("aliased.py", "wrong_step.py"):
        shutil.copy(RUNS / name, tmp_path / name)
    shutil.copy(ROOT / "derivations" / "softplus.py", tmp_path / "softplus.py")

    def outcomes(*args):
        lines = _pytest(tmp_path, "-rA", *args).stdout.splitlines()
        return sorted(line for line in lines if re.match(r"^(PASSED|FAILED|XFAIL) ", line))

    serial = outcomes()
    assert len(serial) == 15 + 2 + 3 and sum(line.startswith("FAILED") for line in serial) == 2
    assert outcomes("-n", "2") == serial
