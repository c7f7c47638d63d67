"""The Theory page's shared caches (ui/theory/results.py): a parameter set is computed and
drawn once for every visitor of the server, what they hold cannot be changed by one of
them, and they stay within their bounds."""

from __future__ import annotations

import numpy as np
import pytest
from apphelpers import app_session

from gan_engine.plots import theory as plots
from gan_engine.theory import model as theory_model
from ui.theory import controls, results

PAGE = "pages/1_Theory.py"
DEFAULT = theory_model.DEFAULT_PRESET
LABELS = tuple((key, key) for key in plots.TEXT_KEYS)


def spec(role: str, **changes: object) -> controls.Spec:
    """The default preset's spec of `role` as the page builds it (family and its parameters)."""
    full = {**theory_model.preset_spec(DEFAULT, role), **changes}
    return (("family", full["family"]),) + tuple((p, full[p]) for p in theory_model.FAMILIES[full["family"]])


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Empty caches, and a count of the comparisons and figures actually computed."""
    for cache in (results.comparison, results.densities_figure, results.student_view):
        cache.cache_clear()
    calls = {"compare": 0, "densities": 0, "discriminators": 0}

    def counting(name: str, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(theory_model, "compare", counting("compare", theory_model.compare))
    monkeypatch.setattr(plots, "densities_figure", counting("densities", plots.densities_figure))
    monkeypatch.setattr(plots, "discriminators_figure", counting("discriminators", plots.discriminators_figure))
    return calls


def test_two_sessions_on_the_same_settings_compute_them_once(counted: dict[str, int]) -> None:
    first = app_session(PAGE, timeout=60)
    first.run()
    assert counted == {"compare": 1, "densities": 1, "discriminators": 1}
    second = app_session(PAGE, timeout=60)
    second.run()                                     # another visitor, the same preset: nothing new
    assert counted == {"compare": 1, "densities": 1, "discriminators": 1}
    first.slider(key="theory_g_mu").set_value(1.0).run()
    second.slider(key="theory_g_mu").set_value(1.0).run()
    assert counted == {"compare": 2, "densities": 2, "discriminators": 2}
    second.slider(key="theory_disc_a").set_value(0.5).run()    # the student's D: a new figure, not new maths
    assert counted == {"compare": 2, "densities": 2, "discriminators": 3}
    for at in (first, second):
        assert not at.exception
    assert [m.value for m in first.metric][:3] == [m.value for m in second.metric][:3]


def test_a_value_reached_by_other_float_arithmetic_finds_the_same_entry(counted: dict[str, int]) -> None:
    assert controls.rounded(0.1 + 0.2) == controls.rounded(0.3) == 0.3
    assert controls.rounded("normal") == "normal" and controls.rounded(2) == 2
    results.comparison(spec("data"), spec("g", mu=controls.rounded(2.0999999999999996)))
    results.comparison(spec("data"), spec("g", mu=controls.rounded(2.1)))
    assert counted["compare"] == 1


def test_what_the_caches_share_cannot_be_changed_by_one_session() -> None:
    result, sweep, _ = results.comparison(spec("data"), spec("g"))
    for array in (result.x, result.p_data.values, result.p_g.log_values, result.d_star, sweep.jsd):
        with pytest.raises(ValueError):
            array[0] = 1.0
    figure = results.densities_figure(spec("data"), spec("g"), LABELS)
    assert figure.to_dict() is figure.to_dict()          # serialised once, however often it is drawn
    fresh = plots.densities_figure(result.x, result.p_data.values, result.p_g.values, result.d_star, dict(LABELS))
    assert str(fresh.to_dict()) == str(figure.to_dict())
    # A kept figure holds its own thinned curves, not views that would pin the whole grid.
    assert all(np.asarray(trace.x).base is None for trace in figure.data)


def test_the_caches_are_bounded(counted: dict[str, int]) -> None:
    means = np.round(np.arange(-5.0, 5.0, 0.05), 6)[: results.COMPARISONS + 10]
    for mean in means:
        results.comparison(spec("data"), spec("g", mu=float(mean)))
    info = results.comparison.cache_info()
    assert info.maxsize == results.COMPARISONS and info.currsize == results.COMPARISONS
    assert counted["compare"] == len(means)
    results.comparison(spec("data"), spec("g", mu=float(means[-1])))     # the newest is kept ...
    assert counted["compare"] == len(means)
    results.comparison(spec("data"), spec("g", mu=float(means[0])))      # ... the oldest was dropped
    assert counted["compare"] == len(means) + 1
    slopes = np.round(np.linspace(-6.0, 6.0, results.FIGURES + 5), 6)
    for slope in slopes:
        results.student_view(spec("data"), spec("g"), float(slope), 1.0, 0.5, LABELS)
    assert results.student_view.cache_info().currsize == results.FIGURES == results.student_view.cache_info().maxsize
    assert results.densities_figure.cache_info().maxsize == results.FIGURES
