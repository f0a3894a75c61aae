"""The verification cache: a hit spares the verification, any change to what is checked is a miss
(wherever the change came from: the file, a helper package, a data file, the environment), and a
damaged, forged or foreign entry is ignored and rebuilt, never trusted."""

import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy as sp
from sympy.utilities.lambdify import implemented_function

import smoothsym.cache as cache_module
import smoothsym.files
from smoothsym import Derivation, Generalise, Given, Rewrite
from smoothsym.cache import FORMAT, VerificationCache, cache_key, key_content
from smoothsym.cli import main
from smoothsym.loader import discover
from smoothsym.runner import WALL_CLOCK_METHOD, DerivationResult, StepResult, verify
from smoothsym.settings import PROFILES
from smoothsym.verdict import Status, Verdict

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests/fixtures/cache"
SETTINGS = PROFILES["default"]
HELPER_MODULES = ("helpers", "_claim_source")  # imported by the fixtures from their own folder
_LOAD = VerificationCache.load  # the tests' own look-ups, not counted by ``verified``

x = sp.Symbol("x", real=True)


@pytest.fixture(autouse=True)
def secret(tmp_path_factory, monkeypatch):
    """The signing secret of these tests: a file of their own, never ~/.config's. Bytecode is
    not written, so that a helper rewritten within the same second is not read from a stale .pyc."""
    path = tmp_path_factory.mktemp("config") / "cache-key"
    monkeypatch.setenv("SMOOTHSYM_CACHE_SECRET", str(path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    yield path
    for name in HELPER_MODULES:
        sys.modules.pop(name, None)


@pytest.fixture
def catalog(tmp_path):
    """A copy of smooth_abs.py in a temporary folder."""
    shutil.copy(ROOT / "derivations/smooth_abs.py", tmp_path / "smooth_abs.py")
    return tmp_path


@pytest.fixture
def sources(tmp_path):
    """A copy of tests/fixtures/cache: derivations whose claims come from outside their file."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    return tmp_path / "sources"


@pytest.fixture
def verified(monkeypatch):
    """The names of the derivations the cache had no entry for, which the run therefore verified."""
    names = []
    load = VerificationCache.load

    def counting(self, derivation, settings):
        hit = load(self, derivation, settings)
        if hit is None:
            names.append(derivation.name)
        return hit

    monkeypatch.setattr(VerificationCache, "load", counting)
    return names


def _fresh():
    """Forget the fixtures' helper modules, as a new process would not have them."""
    for name in HELPER_MODULES:
        sys.modules.pop(name, None)


def _load(path):
    _fresh()
    (derivation,) = discover([str(path)]).derivations
    return derivation


def _verify(path, *options):
    """``smoothsym verify PATH`` as a new run: helper modules imported afresh."""
    _fresh()
    return main(["verify", str(path), *options])


def _result(derivation, *verdicts):
    """A complete result with the given verdicts, as if verified (the cache only stores them)."""
    steps = tuple(StepResult(n, step, before, v) for (n, step, before), v in zip(derivation.chain(), verdicts, strict=True))
    return DerivationResult(derivation.name, derivation.location.file, derivation, steps)


GIVEN = Verdict(Status.GIVEN, "stated", detail="the starting expression")
PROVED = Verdict(Status.PROVED, "sympy: expand")


def _untimed(output):
    """The lines of ``verify``'s output but the timing summary, each step's time (or its
    cached marker) left out."""
    return [re.sub(r"\s+(\d+\.\d+s|cached)\s+", " ", line) for line in output.splitlines()[:-1]]


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


# -- hits and misses ---------------------------------------------------------------------------


def test_the_second_run_is_a_hit_with_the_same_verdicts(catalog, verified, cache_dir, capsys):
    assert main(["verify", str(catalog)]) == 0
    first = capsys.readouterr().out
    assert main(["verify", str(catalog)]) == 0
    second = capsys.readouterr().out
    assert verified == ["smooth-abs"]
    assert _untimed(first) == _untimed(second)
    assert len(list(cache_dir.glob("*.json"))) == 1


def test_a_loaded_entry_equals_the_verified_result_and_is_marked_cached(catalog):
    derivation = _load(catalog / "smooth_abs.py")
    result = verify(derivation, SETTINGS)
    cache = VerificationCache()
    assert cache.store(result, SETTINGS)
    loaded = cache.load(derivation, SETTINGS)
    assert [r.verdict for r in loaded.steps] == [r.verdict for r in result.steps]
    assert [repr(r.verdict) for r in loaded.steps] == [repr(r.verdict) for r in result.steps]  # dict order too
    assert [r.before for r in loaded.steps] == [r.before for r in result.steps]
    assert [r.cached for r in result.steps] == [False] * 10
    assert [r.cached for r in loaded.steps] == [True] * 10


CHANGES = {
    "claim_from_package.py": lambda folder, env: _edit(folder / "helpers/__init__.py", "CLAIM = (x - 1) * (x + 1)", "CLAIM = (x - 1) ** 2"),
    "claim_from_data_file.py": lambda folder, env: (folder / "claim.txt").write_text("(x - 1)**2\n"),
    "claim_from_environment.py": lambda folder, env: env.setenv("SMOOTHSYM_TEST_CLAIM", "(x - 1)**2"),
    "claim_from_importlib.py": lambda folder, env: _edit(folder / "_claim_source.py", "CLAIM = (x - 1) * (x + 1)", "CLAIM = (x - 1) ** 2"),
    "generalise_reads_at_check_time.py": lambda folder, env: env.setenv("SMOOTHSYM_TEST_BOUND", "1"),
}


@pytest.mark.parametrize("fixture", sorted(CHANGES))
def test_a_claim_made_false_outside_its_file_is_verified_again(sources, verified, cache_dir, capsys, monkeypatch, fixture):
    """The derivation file is not touched: its claim changes through a helper package, a data
    file, an environment variable, an importlib import, or what an instance function reads."""
    path = sources / fixture
    source = path.read_bytes()
    name = _load(path).name
    assert _verify(path) == 0
    assert "refuted" not in capsys.readouterr().out
    assert len(list(cache_dir.glob("*.json"))) == 1  # stored: the next run could have reused it
    CHANGES[fixture](sources, monkeypatch)
    assert _verify(path) == 1
    assert " refuted " in capsys.readouterr().out
    assert path.read_bytes() == source
    assert verified == [name, name]
    assert _verify(path) == 1  # and the false claim's own entry is reused
    assert verified == [name, name]


def test_a_comment_in_the_file_is_a_hit_and_a_claim_is_a_miss(sources, verified):
    """The file's source is not in the key, only what it builds: a comment, or the same claim
    written another way, is a hit; another claim is a miss."""
    path = sources / "claim_from_environment.py"
    _verify(path)
    with open(path, "a") as f:
        f.write("# a comment\n")
    _verify(path)
    _edit(path, '"(x - 1)*(x + 1)"', '"(x + 1)*(x - 1) + 0*x"')  # SymPy builds the same product
    _verify(path)
    assert verified == ["claim-from-environment"]
    _edit(path, '"(x + 1)*(x - 1) + 0*x"', '"x**2 - 1"')
    _verify(path)
    assert verified == ["claim-from-environment", "claim-from-environment"]


def test_other_settings_oracles_or_engine_are_a_miss(sources, monkeypatch):
    derivation = _load(sources / "claim_from_environment.py")
    cache = VerificationCache()
    assert cache.store(_result(derivation, GIVEN, PROVED), SETTINGS)
    assert cache.load(derivation, SETTINGS) is not None
    assert cache.load(derivation, SETTINGS.replace(seed=1)) is None
    versions = cache_module._oracle_versions()
    monkeypatch.setattr(cache_module, "_oracle_versions", lambda: {**versions, "sympy": "0.0"})
    assert cache.load(derivation, SETTINGS) is None
    monkeypatch.undo()
    monkeypatch.setattr(cache_module, "engine_fingerprint", lambda: "0.1.0+changed")
    assert cache.load(derivation, SETTINGS) is None


def test_the_engine_fingerprint_covers_the_engine_sources():
    fingerprint = cache_module.engine_fingerprint()
    assert fingerprint.startswith(smoothsym_version() + "+") and len(fingerprint.split("+")[1]) == 16


def smoothsym_version():
    import smoothsym

    return smoothsym.__version__


def test_no_cache_verifies_again(sources, verified, cache_dir, capsys):
    path = sources / "claim_from_environment.py"
    _verify(path)
    capsys.readouterr()
    _verify(path, "--no-cache")
    assert " proved " in capsys.readouterr().out
    assert verified == ["claim-from-environment"]  # the second run never asked the cache


# -- what the key holds ------------------------------------------------------------------------


def test_the_key_holds_each_step_as_built(sources):
    content = key_content(_load(sources / "claim_from_environment.py"), SETTINGS)
    x_ = "Symbol('x', real=True)"
    assert content["derivation"] == "claim-from-environment"
    assert content["symbols"] == ["tuple", [["sympy", x_, []]]]
    assert content["steps"][1] == {
        "number": 2,
        "step": {
            "kind": "rewrite",
            "fields": {
                "label": ["str", "(1)"],
                "why": ["str", "a difference of squares"],
                "where": ["tuple", []],
                "by": ["str", ""],
                "expect_refuted": ["str", ""],
                "export": ["str", ""],
                "shown": ["none"],
                "claim": ["sympy", f"Mul(Add({x_}, Integer(-1)), Add({x_}, Integer(1)))", []],
            },
        },
        "before": ["sympy", f"Add(Pow({x_}, Integer(2)), Integer(-1))", []],
        "constraints": ["tuple", []],
    }
    assert content["settings"]["seed"] == 0 and content["settings"]["digits"] == 50
    assert set(content["oracles"]) == {"python", "sympy", "mpmath", "python-flint", "numpy"}
    assert content["engine"] == cache_module.engine_fingerprint()


def test_the_key_holds_an_instance_functions_outputs(sources):
    step = key_content(_load(sources / "generalise_reads_at_check_time.py"), SETTINGS)["steps"][1]["step"]
    x1, x2, x3 = (f"Symbol('x_{j}', real=True)" for j in (1, 2, 3))
    square = "Pow({}, Integer(2))".format
    assert step["fields"]["instance"] == [
        "outputs",
        [
            ["2", ["tuple", [["sympy", f"Add({square(x1)}, {square(x2)})", []], ["sympy", "Integer(0)", []]]]],
            ["3", ["tuple", [["sympy", f"Add({square(x1)}, {square(x2)}, {square(x3)})", []], ["sympy", "Integer(0)", []]]]],
        ],
    ]
    assert step["fields"]["variables"] == ["none"]
    assert step["fields"]["ns"] == ["tuple", [["int", "2"], ["int", "3"]]]


def _pair(claim, symbols=(x,), where=()):
    return Derivation(name="pair", title="two steps", symbols=symbols, steps=[Given(x + 1), Rewrite(claim, where=where)])


def test_assumptions_constraints_and_undefined_functions_are_in_the_key():
    positive = sp.Symbol("x", positive=True)
    real_pair = Derivation(name="pair", title="t", symbols=(x,), steps=[Given(x + 1), Rewrite(1 + x)])
    positive_pair = Derivation(name="pair", title="t", symbols=(positive,), steps=[Given(positive + 1), Rewrite(1 + positive)])
    assert cache_key(real_pair, SETTINGS) != cache_key(positive_pair, SETTINGS)
    assert cache_key(_pair(x + 1), SETTINGS) != cache_key(_pair(x + 1, where=(x > 0,)), SETTINGS)
    plain, real = sp.Function("f")(x), sp.Function("f", real=True)(x)
    assert sp.srepr(plain) == sp.srepr(real)  # srepr alone would not tell them apart
    assert cache_key(_pair(plain), SETTINGS) != cache_key(_pair(real), SETTINGS)
    assert cache_key(_pair(x + 1), SETTINGS) == cache_key(_pair(x + 1), SETTINGS)


def test_the_key_is_the_same_in_another_process():
    """String hashing differs between processes: the key must not depend on it."""
    script = (
        "import sys; from smoothsym.loader import discover; from smoothsym.cache import cache_key; "
        "from smoothsym.settings import PROFILES; "
        "print(*(cache_key(d, PROFILES['default']) for d in discover(sys.argv[1:]).derivations))"
    )
    files = [str(ROOT / "derivations/smooth_abs.py"), str(SOURCES / "generalise_reads_at_check_time.py")]
    keys = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("SMOOTHSYM_TEST_BOUND", None)
        done = subprocess.run([sys.executable, "-c", script, *files], capture_output=True, text=True, env=env, check=True)
        keys.append(done.stdout.split())
    assert len(keys[0]) == 2 and all(len(k) == 64 for k in keys[0])
    assert keys[0] == keys[1]


class Lenient(Rewrite):
    """A step class of a derivation file's own: its check is code the key cannot see."""

    def check(self, before, context):
        return Verdict(Status.PROVED, "trusted")


def _raising_at_3(count):
    if count == 3:
        raise ValueError("no instance for 3")
    xs = sp.symbols(f"x_1:{count + 1}", real=True)
    return sum(xs), sum(xs)


def _exiting_at_3(count):
    if count == 3:
        os._exit(3)
    return _raising_at_3(count)


def _generalise(instance):
    return Derivation(
        name="generalise", title="t", symbols=(x,),
        steps=[Given(x), Generalise(sp.Eq(x, x), instance, ns=(2, 3))],
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: _pair(implemented_function("g", lambda t: t + 1)(x)),
        lambda: Derivation(name="lenient", title="t", symbols=(x,), steps=[Given(x + 1), Lenient(x)]),
        lambda: _generalise(_raising_at_3),
        lambda: _generalise(_exiting_at_3),
        lambda: _pair(sp.Integer(10) ** 5000),  # srepr cannot print it (Python's 4300-digit limit)
    ],
    ids=["implemented-function", "step-subclass", "instance-raises", "instance-exits", "huge-integer"],
)
def test_what_has_no_canonical_form_is_never_cached(build, cache_dir):
    derivation = build()
    assert cache_key(derivation, SETTINGS) is None
    cache = VerificationCache()
    assert cache.load(derivation, SETTINGS) is None
    assert not cache.store(_result(derivation, GIVEN, PROVED), SETTINGS)
    assert not list(cache_dir.iterdir())


def test_a_function_subclass_from_a_derivation_file_is_verified_every_run(sources, verified, cache_dir, capsys):
    path = sources / "custom_function.py"
    assert _verify(path) == 0
    assert " checked " in capsys.readouterr().out  # verified, and a pass: yet not stored
    assert _verify(path) == 0
    assert verified == ["custom-function", "custom-function"]
    assert not list(cache_dir.iterdir())


def test_a_hanging_instance_function_does_not_hang_the_keying(monkeypatch):
    def sleeping(count):
        if count == 3:
            time.sleep(60)
        return _raising_at_3(count)

    monkeypatch.setattr(cache_module, "KEY_WALL_SECONDS", 1.0)
    started = time.monotonic()
    assert cache_key(_generalise(sleeping), SETTINGS) is None
    assert time.monotonic() - started < 20


# -- damaged and forged entries ----------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "tamper", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_rebuilt(sources, verified, cache_dir, damage):
    path = sources / "claim_from_environment.py"
    _verify(path)
    (entry,) = cache_dir.glob("*.json")
    text = entry.read_text()
    damaged = {
        "truncate": text[: len(text) // 2],
        "tamper": text.replace('"status": "proved"', '"status": "refuted"', 1),  # valid JSON, wrong signature
        "garbage": "\x00\x01 not a cache entry",
        "empty": "",
    }[damage]
    assert damaged != text
    entry.write_text(damaged)
    assert _LOAD(VerificationCache(), _load(path), SETTINGS) is None
    assert _verify(path) == 0
    assert verified == ["claim-from-environment", "claim-from-environment"]
    assert _LOAD(VerificationCache(), _load(path), SETTINGS) is not None  # rebuilt


def _sign(secret_file, payload):
    secret = Path(secret_file).read_bytes().strip()
    return hmac.new(secret, f"{FORMAT}\n{payload}".encode(), hashlib.sha256).hexdigest()


def test_a_forged_entry_is_not_trusted(sources, verified, cache_dir, capsys, monkeypatch, secret, tmp_path):
    """A refuted step edited to "proved" and re-checksummed: with the old plain SHA-256 header,
    with SHA-256 under the new header, or signed with another user's secret."""
    monkeypatch.setenv("SMOOTHSYM_TEST_CLAIM", "(x - 1)**2")
    path = sources / "claim_from_environment.py"
    assert _verify(path) == 1
    (entry,) = cache_dir.glob("*.json")
    _, payload = entry.read_text().split("\n", 1)
    forged = payload.replace('"status": "refuted"', '"status": "proved"')
    assert forged != payload and '"refuted"' not in forged
    other_secret = tmp_path / "other-key"
    other_secret.write_text("b" * 64 + "\n")
    digest = hashlib.sha256(forged.encode()).hexdigest()
    headers = [f"smoothsym-cache 1 {digest}", f"{FORMAT} {digest}", f"{FORMAT} {_sign(other_secret, forged)}"]
    derivation = _load(path)
    for header in headers:
        entry.write_text(f"{header}\n{forged}")
        assert _LOAD(VerificationCache(), derivation, SETTINGS) is None
    assert _verify(path) == 1  # refuted again, verified again
    assert " refuted " in capsys.readouterr().out
    assert verified == ["claim-from-environment", "claim-from-environment"]
    entry.write_text(f"{FORMAT} {_sign(secret, forged)}\n{forged}")  # only the secret's holder can sign
    assert VerificationCache().load(derivation, SETTINGS).steps[1].verdict.status is Status.PROVED


def test_an_entry_written_under_another_secret_is_ignored(sources, monkeypatch, tmp_path):
    derivation = _load(sources / "claim_from_environment.py")
    assert VerificationCache().store(_result(derivation, GIVEN, PROVED), SETTINGS)
    assert VerificationCache().load(derivation, SETTINGS) is not None
    monkeypatch.setenv("SMOOTHSYM_CACHE_SECRET", str(tmp_path / "another-users-key"))
    assert VerificationCache().load(derivation, SETTINGS) is None


# -- the secret --------------------------------------------------------------------------------


def test_the_secret_is_created_private_under_xdg_config_home(sources, monkeypatch, tmp_path, cache_dir):
    monkeypatch.delenv("SMOOTHSYM_CACHE_SECRET")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    derivation = _load(sources / "claim_from_environment.py")
    assert VerificationCache().store(_result(derivation, GIVEN, PROVED), SETTINGS)
    secret = tmp_path / "config/smoothsym/cache-key"
    assert cache_module.secret_path() == secret
    assert secret.stat().st_mode & 0o777 == 0o600
    assert secret.parent.stat().st_mode & 0o777 == 0o700
    text = secret.read_text()
    assert len(text) == 65 and int(text, 16) >= 0  # 32 random bytes in hex, and a newline
    assert sorted(p.name for p in cache_dir.iterdir()) == [VerificationCache().entry_path(derivation).name]
    assert VerificationCache().load(derivation, SETTINGS) is not None  # the same secret next time
    assert secret.read_text() == text


def test_the_secret_defaults_to_dot_config(monkeypatch, tmp_path):
    monkeypatch.delenv("SMOOTHSYM_CACHE_SECRET")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_module.secret_path() == tmp_path / ".config/smoothsym/cache-key"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")  # not absolute: ignored, as XDG says
    assert cache_module.secret_path() == tmp_path / ".config/smoothsym/cache-key"


def test_two_first_runs_agree_on_one_secret(tmp_path):
    path = tmp_path / "smoothsym/cache-key"
    cache_module._create_secret(path)
    first = path.read_text()
    cache_module._create_secret(path)
    assert path.read_text() == first
    assert sorted(p.name for p in path.parent.iterdir()) == ["cache-key"]


@pytest.mark.parametrize(
    "content, mode, problem",
    [("a" * 64, 0o644, "is not private to you"), ("short", 0o600, "is shorter than 32 bytes")],
)
def test_an_unsafe_secret_disables_the_cache(sources, secret, cache_dir, content, mode, problem):
    secret.write_text(content)
    secret.chmod(mode)
    derivation = _load(sources / "claim_from_environment.py")
    cache = VerificationCache()
    assert not cache.store(_result(derivation, GIVEN, PROVED), SETTINGS)
    assert cache.load(derivation, SETTINGS) is None
    assert cache.problem == f"the cache secret {secret} {problem}" + (
        " (chmod 600 it, or delete it to make a new one)" if mode != 0o600 else " (delete it to make a new one)"
    )
    assert not list(cache_dir.iterdir())


# -- what is stored ----------------------------------------------------------------------------


def test_timeouts_are_stored_but_errors_and_wall_clock_stops_are_not(sources, cache_dir):
    derivation = _load(sources / "claim_from_environment.py")
    cache = VerificationCache()
    wall = Verdict(Status.TIMEOUT, WALL_CLOCK_METHOD, detail="no verdict within 120 s of wall-clock time")
    error = Verdict(Status.ERROR, "", detail="ValueError: no point satisfies the domain")
    assert not cache.store(_result(derivation, GIVEN, wall), SETTINGS)
    assert not cache.store(_result(derivation, GIVEN, error), SETTINGS)
    assert not list(cache_dir.iterdir())
    timeout = Verdict(Status.TIMEOUT, "", detail="no result within 5 s", seconds=5.01)
    assert cache.store(_result(derivation, GIVEN, timeout), SETTINGS)
    loaded = cache.load(derivation, SETTINGS)
    assert [(r.verdict, r.cached) for r in loaded.steps] == [(GIVEN, True), (timeout, True)]


def test_a_signed_entry_holding_a_wall_clock_stop_is_not_loaded(sources, cache_dir, secret):
    derivation = _load(sources / "claim_from_environment.py")
    assert VerificationCache().store(_result(derivation, GIVEN, Verdict(Status.TIMEOUT, "")), SETTINGS)
    (entry,) = cache_dir.glob("*.json")
    _, payload = entry.read_text().split("\n", 1)
    data = json.loads(payload)
    data["steps"]["2"]["method"] = WALL_CLOCK_METHOD
    payload = json.dumps(data)
    entry.write_text(f"{FORMAT} {_sign(secret, payload)}\n{payload}")
    assert VerificationCache().load(derivation, SETTINGS) is None


def test_a_partial_run_is_not_stored(sources, cache_dir):
    derivation = _load(sources / "claim_from_environment.py")
    (first, *_) = _result(derivation, GIVEN, PROVED).steps
    partial = DerivationResult(derivation.name, derivation.location.file, derivation, (first,))
    assert not VerificationCache().store(partial, SETTINGS)
    assert not list(cache_dir.iterdir())


def test_an_interrupted_write_leaves_the_old_entry_whole(sources, cache_dir, monkeypatch):
    """Ctrl-C while an entry is written: the previous entry still loads, no temporary is left."""
    derivation = _load(sources / "claim_from_environment.py")
    result = _result(derivation, GIVEN, PROVED)
    cache = VerificationCache()
    cache.store(result, SETTINGS)
    before = sorted(p.name for p in cache_dir.iterdir())

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(smoothsym.files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.store(result, SETTINGS)
    monkeypatch.undo()
    assert sorted(p.name for p in cache_dir.iterdir()) == before
    assert cache.load(derivation, SETTINGS) is not None


def test_the_folder_is_beside_the_derivation_without_the_environment_variable(catalog, monkeypatch):
    monkeypatch.delenv("SMOOTHSYM_CACHE_DIR")
    derivation = _load(catalog / "smooth_abs.py")
    assert VerificationCache().entry_path(derivation).parent == catalog / ".smoothsym_cache"


def test_parallel_runs_use_the_cache_too(catalog, verified, capsys):
    shutil.copy(ROOT / "tests/fixtures/cases/checked_arctan.py", catalog / "arctan.py")
    main(["verify", str(catalog), "-j", "2"])
    first = capsys.readouterr().out
    main(["verify", str(catalog), "-j", "2"])
    assert _untimed(capsys.readouterr().out) == _untimed(first)
    assert sorted(verified) == ["arctan-complement", "smooth-abs"]  # the first run only
