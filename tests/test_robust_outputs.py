"""Odd input never breaks a whole run, and no output escapes its folder or runs code (issue 10):
unsafe names refused at load, exported modules that run nothing of the derivation's on import,
a 9131-digit integer or a control character as one derivation's error or verdict, report runs at
once, stray temp files, read-only and full disks, `--json -`, non-UTF-8 file names, cached
verdicts marked, and `python -m smoothsym.mutate` on true mutants.

Each test runs the commands as a user would (the console script on the fixture folders in
`fixtures/robust/`, output into a temporary folder) and asserts the exit status, the message
(file, line, step) and that nothing else was lost: the other derivations are still verified
and reported.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from smoothsym import Derivation, Given, Rewrite, Status, mutate, render
from smoothsym.export import Export, Signature, module_source
from smoothsym.files import WriteError
from smoothsym.loader import discover
from smoothsym.runner import verify
from smoothsym.settings import PROFILES

ROOT = Path(__file__).resolve().parent.parent
ROBUST = ROOT / "tests" / "fixtures" / "robust"
GOOD = ROBUST / "good.py"
NAMES = ROBUST / "names"
SMOOTHSYM = [sys.executable, "-m", "smoothsym.cli"]


def smoothsym(*arguments, cwd=ROOT, timeout=300, **options):
    """The command line, as a user runs it: (exit status, stdout, stderr)."""
    done = subprocess.run([*SMOOTHSYM, *map(str, arguments)], cwd=cwd, capture_output=True, timeout=timeout,
                          **options)
    out, err = (done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))
    assert "Traceback" not in out + err, out + err
    return done.returncode, out, err


def shown(path: Path) -> str:
    """A fixture's path as the loader names it (relative to the working directory, the root)."""
    return os.path.relpath(path, ROOT)


# -- 1. names: one validation at load ------------------------------------------------------------

# fixture in names/ -> (line, step or None, words the message must contain)
REFUSED = {
    "path_name.py": (9, None, "derivation name '../escaped' may hold only letters, digits, '-', '_' and '.'"),
    "docstring_name.py": (9, None, "derivation name 'q\"\"\"; import os;"),
    "tex_symbol.py": (9, None, "symbol name '\\\\input{/etc/passwd}' is not a Python identifier"),
    "tex_function.py": (17, 3, "function name '\\\\input{/etc/passwd}' is not a Python identifier"),
    "control_character.py": (9, None, "symbol name 'x\\x1b[2J' is not a Python identifier"),
    "control_label.py": (13, 2, "the step's label '(1)\\x1b[2J' contains the control character '\\x1b'"),
}


def test_unsafe_names_are_refused_at_load_with_file_line_and_step():
    code, out, _ = smoothsym("verify", NAMES, GOOD, "--no-cache")
    assert code == 1
    for name, (line, step, words) in REFUSED.items():
        (message,) = [m for m in out.splitlines() if m.startswith(f"ERROR {shown(NAMES / name)}:")]
        assert message.startswith(f"ERROR {shown(NAMES / name)}:{line}"), message
        assert (f", step {step}" in message) == (step is not None), message
        assert words in message, message
    assert "\x1b" not in out  # a refused name is shown escaped, never raw
    assert "robust-good              2 rewrite       proved" in out  # the good one is still verified
    assert "7 derivations, 2 steps" in out


def test_the_catalog_names_stay_valid():
    catalog = discover([str(ROOT / "derivations")])
    assert not catalog.errors and len(catalog.derivations) >= 12
    symbols = {s.name for d in catalog.derivations for s in d.symbols}
    assert {"x", "z_1", "x_max", "d_ap", "M"} <= symbols


def test_a_name_is_never_a_path_and_no_report_leaves_the_out_folder(tmp_path):
    out = tmp_path / "deep" / "out"
    code, stdout, _ = smoothsym("report", NAMES / "path_name.py", GOOD, "--out", out, "--no-cache")
    assert code == 1
    assert f"FAILED {shown(NAMES / 'path_name.py')}" in stdout
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        ["index.html", "path_name.py.html", "path_name.py.tex", "robust-good.html", "robust-good.tex"])
    assert all(p.parent == out for p in tmp_path.rglob("*") if p.is_file())
    assert "derivation name &#39;../escaped&#39;" in (out / "path_name.py.html").read_text()


def _sneaked(derivation: Derivation, claim) -> Derivation:
    """A derivation whose step 2 claim is swapped after the model validated it: what a page sees
    if validation is ever bypassed."""
    step = derivation.steps[1]
    object.__setattr__(step, "claim", claim)
    return derivation


def test_a_page_refuses_a_raw_name_even_past_validation_and_the_others_are_whole():
    x = sp.Symbol("x", real=True)
    good = Derivation(name="fine", title="t", symbols=(x,), steps=[Given(x + x), Rewrite(2 * x)])
    sneaky = Derivation(name="sneaky", title="t", symbols=(x,), steps=[Given(x + x), Rewrite(2 * x)])
    results = [verify(good, PROFILES["fast"]), verify(sneaky, PROFILES["fast"])]
    _sneaked(sneaky, sp.Symbol(r"\input{/etc/passwd}") + x)
    files, failures = render.render_pages(results, PROFILES["fast"])
    assert [f.name for f in failures] == ["sneaky"]
    assert "will not print" in failures[0].message and "\\\\input{/etc/passwd}" in failures[0].message
    assert all(r"\input{" not in text for name, text in files.items() if name.endswith(".tex"))  # escaped
    assert "its page could not be rendered" in files["sneaky.tex"]
    assert "fine.html" in files and "could not be rendered" not in files["fine.tex"]


def test_write_reports_refuses_a_file_name_that_is_a_path(tmp_path):
    with pytest.raises(render.ReportError, match=r"refusing to write the report file '../x.html'"):
        render.write_reports(str(tmp_path / "out"), {"../x.html": "<p>outside</p>", "a.html": "a"})
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "out" / "a.html").exists()


# -- 2. export: nothing runs on import, no docstring escapes -------------------------------------


def test_a_signature_default_that_is_code_is_refused_and_never_runs(tmp_path):
    module = tmp_path / "exported.py"
    code, out, err = smoothsym("export", ROBUST / "export" / "code_default.py", "-o", module, cwd=tmp_path)
    assert code == 2
    assert "export signature \"twice(x, k=open('EXPORT_DEFAULT_RAN', 'w').close())\": the default of k is" in err
    assert "not a literal number, string or None (it would run when the exported module is imported)" in err
    assert not module.exists() and not (tmp_path / "EXPORT_DEFAULT_RAN").exists()


def test_literal_defaults_are_printed_with_repr_and_a_backslash_in_a_path_is_harmless(tmp_path):
    folder = tmp_path / "a\\new\\N"  # \n and \N: escapes in a docstring that did not double them
    folder.mkdir()
    shutil.copy(ROBUST / "export" / "literal_defaults.py", folder / "literal_defaults.py")
    module = tmp_path / "exported.py"
    code, out, err = smoothsym("export", folder, "-o", module, "--target", "math", cwd=tmp_path)
    assert code == 0, out + err
    text = module.read_text()
    assert "def affine(x, k=0.5, t=-1):" in text
    assert "a\\\\new\\\\N" in text  # the path, its backslashes doubled
    run = subprocess.run([sys.executable, "-c", f"import runpy; m = runpy.run_path({str(module)!r}); "
                          "print(m['affine'](2.0)); print(m['__doc__'].splitlines()[2])"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "0.0"  # -1 + 0.5 * 2
    assert "a\\new\\N" in run.stdout  # the docstring shows the path as it is


def test_a_name_with_three_quotes_cannot_end_the_module_docstring():
    x = sp.Symbol("x", real=True)
    export = Export(Signature("f", ("x",)), 2 * x, None, 'q"""; import os; """', 'dir\\N"""/f.py', 3, (1, 2),
                    "(1)", Status.PROVED, 'step 2 """: proved')
    source = module_source([export], "math", 'smoothsym export C:\\new """ -o x.py')
    namespace: dict = {}
    exec(compile(source, "<exported>", "exec"), namespace)  # one docstring, one function: nothing else runs
    assert sorted(k for k in namespace if not k.startswith("_")) == ["f", "math"]
    assert namespace["f"](3.0) == 6.0
    assert "q'''; import os; '''" in namespace["__doc__"] and "C:\\new '''" in namespace["__doc__"]


# -- 3. odd expressions: one derivation's error, never the run's ---------------------------------

ODD = [ROBUST / "big_integer.py", NAMES / "control_character.py", GOOD]


def test_a_huge_integer_and_a_control_character_do_not_stop_the_json(tmp_path):
    data_file = tmp_path / "verdicts.json"
    code, out, _ = smoothsym("verify", *ODD, "--json", data_file, "--no-cache")
    assert code == 1
    assert f"ERROR {shown(NAMES / 'control_character.py')}:9, derivation 'robust-control-character': symbol name" in out
    data = json.loads(data_file.read_text(encoding="utf-8"))
    by_name = {d["name"]: d for d in data["derivations"]}
    assert by_name["robust-big-integer"]["status"] == "proved"
    assert len(by_name["robust-big-integer"]["steps"][1]["claim"]) > 9131  # printed in full
    assert by_name["robust-good"]["status"] == "proved"
    (failed,) = [d for d in data["derivations"] if d["status"] == "error"]
    assert failed["error"].startswith(f"{shown(NAMES / 'control_character.py')}:9")


def test_a_huge_integer_and_a_control_character_do_not_stop_the_reports(tmp_path):
    out = tmp_path / "reports"
    code, stdout, _ = smoothsym("report", *ODD, "--out", out, "--no-cache")
    assert code == 1
    assert "FAILED robust-control-character" in stdout
    assert sorted(os.listdir(out)) == ["index.html", "robust-big-integer.html", "robust-big-integer.tex",
                                       "robust-control-character.html", "robust-control-character.tex",
                                       "robust-good.html", "robust-good.tex"]
    page = (out / "robust-big-integer.tex").read_text()
    assert r"\ldots 000000000000\,(9131\text{ digits})" in page and len(page) < 20000  # abbreviated
    assert "(9131 digits)" in (out / "robust-big-integer.html").read_text()
    assert "\x1b" not in (out / "robust-control-character.tex").read_text()
    assert "symbol name" in (out / "robust-control-character.html").read_text()


# -- 4. runs at once, stray files, read-only and full disks --------------------------------------


def test_two_report_runs_at_once_both_succeed(tmp_path):
    out = tmp_path / "reports"
    command = [*SMOOTHSYM, "report", str(GOOD), str(ROBUST / "big_integer.py"), "--out", str(out), "--no-cache"]
    for _ in range(3):
        runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
        outputs = [run.communicate(timeout=300)[0].decode() for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(os.listdir(out)) == ["index.html", "robust-big-integer.html", "robust-big-integer.tex",
                                       "robust-good.html", "robust-good.tex"]  # no temp file left
    code, stdout, _ = smoothsym("report", GOOD, ROBUST / "big_integer.py", "--out", out, "--check", "--no-cache")
    assert code == 0, stdout


def test_stray_temp_files_do_not_fail_the_check(tmp_path):
    out = tmp_path / "reports"
    assert smoothsym("report", GOOD, "--out", out, "--no-cache")[0] == 0
    (out / ".tmp-k2j3robust-good.html").write_text("left by a run killed mid-write (the old temp name)\n")
    (out / ".tmp-x81h.part").write_text("left by a killed run\n")
    (out / ".staging-abc").mkdir()
    (out / ".staging-abc" / "robust-good.html").write_text("half a staged set\n")
    code, stdout, _ = smoothsym("report", GOOD, "--out", out, "--check", "--no-cache")
    assert code == 0, stdout
    assert "3 report files" in stdout and "are current" in stdout


def test_an_out_folder_that_cannot_be_made_is_named_without_a_traceback(tmp_path):
    (tmp_path / "file").write_text("not a folder\n")
    code, out, err = smoothsym("report", GOOD, "--out", tmp_path / "file" / "reports", "--no-cache")
    assert code == 2
    assert f"smoothsym: error: cannot write {tmp_path / 'file' / 'reports'}: Not a directory" in err
    code, out, err = smoothsym("verify", GOOD, "--json", tmp_path / "file" / "v.json", "--no-cache")
    assert code == 2 and "robust-good" in out
    assert f"smoothsym: error: cannot write {tmp_path / 'file'}: it is a file, not a folder" in err


def _can_mount() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason="needs root and unshare -m (a private mount namespace)")


def _in_mount_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace: its mounts vanish with it."""
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "T": str(tmp_path), "PY": sys.executable})


def _edited_good(folder: Path) -> Path:
    """The good fixture with a new justification: its new pages differ from the old ones."""
    folder.mkdir()
    path = folder / "good.py"
    path.write_text(GOOD.read_text().replace("a difference of squares", "a new justification, a longer one " * 40))
    return path


@needs_mount
def test_a_full_disk_leaves_every_old_page_and_names_the_path(tmp_path):
    new = _edited_good(tmp_path / "new")
    script = """
set -e
mkdir -p "$T/disk"
mount -t tmpfs -o size=256k tmpfs "$T/disk"
"$PY" -m smoothsym.cli report tests/fixtures/robust/good.py tests/fixtures/robust/big_integer.py \\
    --out "$T/disk/reports" --no-cache > "$T/first.txt"
cp -r "$T/disk/reports" "$T/before"
dd if=/dev/zero of="$T/disk/filler" bs=1k 2>/dev/null || true   # fill the disk
truncate -s -12k "$T/disk/filler"                                # leave room for part of the new set
set +e
"$PY" -m smoothsym.cli report "$T/new/good.py" tests/fixtures/robust/big_integer.py \\
    --out "$T/disk/reports" --no-cache
echo "exit $?"
cp -r "$T/disk/reports" "$T/after"
"""
    done = _in_mount_namespace(script, tmp_path)
    assert "exit 2" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"smoothsym: error: cannot write {tmp_path}/disk/reports/" in done.stderr
    assert "No space left on device; no report in" in done.stderr and "was changed" in done.stderr
    before = {p.name: p.read_bytes() for p in (tmp_path / "before").iterdir()}
    after = {p.name: p.read_bytes() for p in (tmp_path / "after").iterdir()}
    assert after == before and len(before) == 5  # the old set, whole; no temp file, no staging left
    assert "verified robust-good" in done.stdout and "verified robust-big-integer" in done.stdout


@needs_mount
def test_a_read_only_folder_leaves_the_reports_and_names_the_path(tmp_path):
    out = tmp_path / "reports"
    assert smoothsym("report", GOOD, "--out", out, "--no-cache")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    new = _edited_good(tmp_path / "new")
    script = f"""
mount --bind "$T/reports" "$T/reports" && mount -o remount,ro,bind "$T/reports" || exit 9
"$PY" -m smoothsym.cli report {new} --out "$T/reports" --no-cache
echo "exit $?"
"""
    done = _in_mount_namespace(script, tmp_path)
    assert "exit 2" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"smoothsym: error: cannot write {out}: Read-only file system; no report was changed" in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_write_error_is_a_smoothsym_error_naming_the_path(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(WriteError, match=r"cannot write .*/file: it is a file, not a folder; no report was changed") as caught:
        render.write_reports(str(tmp_path / "file"), {"x.html": "x"})
    assert caught.value.path == str(tmp_path / "file")


# -- 5. the command line ---------------------------------------------------------------------------


def test_json_dash_writes_the_json_to_stdout_and_the_lines_to_stderr(tmp_path):
    code, out, err = smoothsym("verify", GOOD, "--json", "-", "--no-cache", cwd=ROOT)
    assert code == 0
    data = json.loads(out)  # nothing but the JSON
    assert data["derivations"][0]["name"] == "robust-good"
    assert "robust-good              2 rewrite       proved" in err
    assert not (ROOT / "-").exists()


def test_cached_verdicts_are_marked_and_strict_runs_without_the_cache(tmp_path):
    first, second, strict = (tmp_path / f"{n}.json" for n in ("first", "second", "strict"))
    code, out, _ = smoothsym("verify", GOOD, "--json", first)
    assert code == 0 and "cached" not in out
    code, out, _ = smoothsym("verify", GOOD, "--json", second)
    lines = [line for line in out.splitlines() if line.startswith("robust-good")]
    assert code == 0 and len(lines) == 2
    assert all(line.split()[4] == "cached" for line in lines)  # in the time column
    fresh = [line for line in smoothsym("verify", GOOD, "--no-cache")[1].splitlines() if line.startswith("robust-good")]
    assert [len(line.split("  [")[0]) for line in lines] == [len(line.split("  [")[0]) for line in fresh]  # aligned
    assert [s["cached"] for s in json.loads(first.read_text())["derivations"][0]["steps"]] == [False, False]
    assert [s["cached"] for s in json.loads(second.read_text())["derivations"][0]["steps"]] == [True, True]
    code, out, _ = smoothsym("verify", GOOD, "--strict", "--json", strict)
    assert code == 0 and "cached" not in out
    assert [s["cached"] for s in json.loads(strict.read_text())["derivations"][0]["steps"]] == [False, False]


def test_a_file_name_that_is_not_utf8_aborts_nothing(tmp_path):
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.py")
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.py")
    with open(odd, "wb") as handle:
        handle.write(GOOD.read_bytes().replace(b'"robust-good"', b'"robust-cafe"'))
    data_file = tmp_path / "v.json"
    code, out, err = smoothsym("verify", folder, "--json", data_file, "--no-cache")
    assert code in (0, 1)
    assert "robust-good              2 rewrite       proved" in out
    assert "\udce9" not in out + err
    data = json.loads(data_file.read_bytes().decode("utf-8"))  # valid UTF-8
    assert "robust-good" in [d["name"] for d in data["derivations"]]
    if code == 1:  # the loader could not import it: named with its byte escaped
        assert "caf\\xe9.py" in out
    reports = tmp_path / "reports"
    code, out, _ = smoothsym("report", folder, "--out", reports, "--no-cache")
    assert code in (0, 1) and "robust-good.html" in os.listdir(reports)
    assert all(name.isascii() for name in os.listdir(reports))


def _survivors_proofs() -> dict:
    (d,) = discover([str(ROBUST / "mutate" / "true_mutant.py")]).derivations
    key = (d.name, "(2)", "x")
    return {key + ("negate", "claim negated"): "|x| >= -x: |x| is the larger of x and -x",
            key + ("swap", "x -> -x"): "the same claim as the negated one"}


def test_mutate_fails_on_a_survivor_without_a_hand_proof():
    done = subprocess.run([sys.executable, "-m", "smoothsym.mutate", str(ROBUST / "mutate" / "true_mutant.py"),
                           "--jobs", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SURVIVED robust-true-mutant step 2 (bound): negate: claim negated: proved" in done.stdout
    assert "2 survived, 0 true claims refuted, 0 files not loaded: FAILED" in done.stdout


def test_mutate_reports_hand_proved_true_mutants_as_true_and_exits_0(capsys):
    assert mutate.main([str(ROBUST / "mutate" / "true_mutant.py"), "--jobs", "1"], hand_proofs=_survivors_proofs()) == 0
    out = capsys.readouterr().out
    assert "TRUE robust-true-mutant step 2 (bound): negate: claim negated: a true claim, rightly not refuted" in out
    assert "SURVIVED" not in out
    assert "0 survived, 0 true claims refuted, 0 files not loaded: every mutant that should be killed is killed" in out


def test_mutate_fails_when_a_hand_proved_claim_is_refuted(capsys):
    proofs = {("robust-true-mutant", "(2)", "x", "shift", "constant +1 added"): "a wrong hand proof"}
    assert mutate.main([str(ROBUST / "mutate" / "true_mutant.py"), "--jobs", "1"], hand_proofs=proofs) == 1
    out = capsys.readouterr().out
    assert "REFUTED A TRUE CLAIM robust-true-mutant step 2 (bound): shift: constant +1 added: refuted" in out
    assert "TRUE robust-true-mutant" not in out


def test_the_hand_proofs_name_steps_the_catalog_still_has():
    """A hand proof keyed to a claim the catalog no longer states would silently never apply."""
    catalog = discover([str(ROOT / "derivations")])
    steps = {(d.name, s.label, str(s.claim)) for d in catalog.derivations for s in d.steps}
    assert len(mutate.HAND_PROOFS) == 5
    for derivation, label, claim, _, _ in mutate.HAND_PROOFS:
        assert (derivation, label, claim) in steps
