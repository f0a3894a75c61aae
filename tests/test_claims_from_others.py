"""Claims from the soundness corpus (``benchmarks/soundness_corpus.py``), as a specification.

Each claim's truth is decided from the mathematics, not by running the engine. The engine must
never refute (nor dispute) a true claim, and must refute every false one: a false claim that
comes back ``checked`` or ``proved`` is a false accept, whatever the evidence. The claims are
copied from other projects' test material (SymPy, Fungrim) or built to mislead a sampler:
limits false by 10^-30 or only at an irrational point, slow true limits, identities with
catastrophic cancellation, the GELU bound just below and above its true maximum, removable
singularities, integer-typed symbols. ``python benchmarks/soundness.py`` runs the whole corpus.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from smoothsym.checks import check_bound, check_equal, check_limit
from smoothsym.model import StepContext
from smoothsym.settings import PROFILES
from smoothsym.verdict import Status

_CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "soundness_corpus.py"
_spec = importlib.util.spec_from_file_location("soundness_corpus", _CORPUS)
corpus = sys.modules.get("soundness_corpus")
if corpus is None:
    corpus = importlib.util.module_from_spec(_spec)
    sys.modules["soundness_corpus"] = corpus  # dataclasses look the module up while it runs
    _spec.loader.exec_module(corpus)


def judge(claim_id: str):
    claim = corpus.BY_ID[claim_id]
    context = StepContext(settings=PROFILES["default"], symbols=claim.symbols, constraints=claim.where, seed=0)
    if claim.kind == "equal":
        verdict = check_equal(claim.lhs, claim.rhs, context, "lhs = rhs")
    elif claim.kind == "limit":
        verdict = check_limit(claim.expr, claim.var, claim.target, context, "lim expr = target")
    else:
        verdict = check_bound(claim.smaller, claim.larger, context, "smaller <= larger")
    return claim, verdict


def expect(claim_id: str):
    claim, verdict = judge(claim_id)
    said = f"{claim.id}: {claim.text()} ({claim.note}) -> {verdict.status.value}: {verdict.summary()[:400]}"
    if claim.truth:
        assert verdict.status not in (Status.REFUTED, Status.DISPUTED), "true claim " + said
    else:
        assert verdict.status is Status.REFUTED, "false claim not refuted: " + said


FAST = [
    # false limits that look true numerically for k <= 10^6
    "adv-lim-exp2-tiny",          # ((k-1)/(k+1))^k -> exp(-2) + 10^-30
    "adv-lim-power-1e-9",         # k^(10^-9 - 1) -> 10^-9
    "adv-lim-offset-1e-6",        # 1/k + 10^-6 -> 0
    "adv-lim-atan-1e-12",         # atan(k) -> pi/2 + 10^-12
    # limits false only at one point of the domain
    "adv-lim-spike-sqrt2",        # 1/(1 + k (x - sqrt 2)^2) -> 0 over real x
    "adv-lim-spike-1/7",          # 1/(1 + k (x - 1/7)^2) -> 0
    "adv-lim-spike-x2-2",         # 1/(1 + k (x^2 - 2)^2) -> 0
    # true slow or late limits
    "adv-lim-inv-log",            # 1/log(k) -> 0
    "adv-lim-k-03",               # k^(-3/10) -> 0
    "adv-lim-pow-1e5",            # (k/(k+1))^(10^5) -> 1
    "adv-lim-pole-10",            # 1/(k - 10) -> 0, a pole at k = 10
    "lim-25",                     # SymPy test_limits: n^(1/10^9 - 1) -> 0
    "lim-13",                     # SymPy test_limits: ((x-1)/(x+1))^x -> exp(-2)
    # true identities with catastrophic cancellation near large arguments
    "adv-eq-tanh-half",           # e^x = (1 + tanh(x/2))/(1 - tanh(x/2))
    "adv-eq-sigmoid",             # 1/(1 - 1/(1 + e^-t)) = 1 + e^t
    "adv-eq-cosh-cancel",         # cosh^2 x cosh^2 y - cosh^2 x sinh^2 y - sinh^2 x = 1
    "trig-58",                    # the same, from SymPy test_trigsimp
    "adv-eq-square-cancel",       # (e^y + 1)^2 - e^(2y) - 2 e^y = 1
    # and their false mutants
    "trig-58~tiny",               # ... = 1 + 10^-30
    "adv-eq-sigmoid-drop",        # 1/(1 - sigmoid(t)) = e^t
    # removable singularities
    "adv-eq-removable",           # (x^2 - 1)/(x - 1) = x + 1 on x != 1
    "adv-eq-removable-false",     # (y^2 + x y)/y = x + 8 y on x != 0
    # integer-typed symbols
    "adv-eq-even",                # (-1)^n = 1, n even
    "adv-eq-prime-false",         # (-1)^p = -1, p prime (false at p = 2)
    # from Fungrim and SymPy, with mutants
    "fun-4986ed~tight",           # log(x) <= x - 1 - 10^-30 (equality at x = 1)
    "fun-f516e3~domain",          # atan(tan x) = x without |x| < pi/2
    "fu-24",                      # cos(pi/7) cos(2pi/7) cos(4pi/7) = -1/8
    "rad-06~coef",                # 1/(sqrt2 + sqrt3 + sqrt5 + sqrt7) with one coefficient off by 1
    "lim-24",                     # SymPy test_limits: sqrt(x/(x + a)) -> 1 for every real a
    "lim-09~plus1",               # SymPy test_limits' x (|log x/x^3| / |log(x+1)/(x+1)^3| - 1) -> 3, plus 1
    "lim-02~tiny",                # 1/k - e^-k -> 10^-30
    "fun-cf64b3~plus1",           # Fungrim cf64b3: atan x + atan y = atan2(x + y, 1 - x y), plus 1
    # false bounds, tight at a single point (a simple one, or an irrational one)
    "fun-4039ec~tight",           # |sin x| <= 1 - 10^-30
    "adv-bnd-sin-tight",          # sin x <= 1 - 10^-20 (maximum at pi/2)
    "adv-bnd-parabola-tight",     # x (1 - x) <= 1/4 - 10^-20 (maximum at 1/2)
    # a true limit that grows along every k a sampler can reach (up to e^100)
    "adv-lim-log-over-root",      # log(k)/k^(1/100) -> 0
    # false only where the domain starts beyond 10^30
    "adv-eq-sqrt-asym",           # sqrt(x^2 + 1) - x = 1/(2x) for x > 10^30
]

SLOW = [
    "adv-bnd-gelu-473",           # |GELU_tanh - GELU| <= 4.73e-4: false, the maximum is 4.7324e-4
    "adv-bnd-gelu-474",           # |GELU_tanh - GELU| <= 4.74e-4: true
    "adv-lim-compound-1000",      # (1 + x/k)^k -> e^x for |x| <= 1000
]


def test_the_corpus_is_large_enough():
    claims = corpus.CLAIMS
    others = [c for c in claims if c.truth and c.source != "adversarial" and not c.mutant_of]
    mutated = {c.mutant_of for c in claims if c.mutant_of and not c.truth}
    assert len(claims) >= 300
    assert len(others) >= 150
    assert all(c.id in mutated for c in others), "every true claim from another project has a false mutant"
    assert len([c for c in claims if c.source == "adversarial"]) >= 40
    assert set(FAST + SLOW) <= set(corpus.BY_ID)


@pytest.mark.parametrize("claim_id", FAST)
def test_claim(claim_id):
    expect(claim_id)


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", SLOW)
def test_heavier_claim(claim_id):
    expect(claim_id)
