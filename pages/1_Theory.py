"""Theory page: V(D,G), the optimal discriminator D* and the Jensen-Shannon divergence, live.

The student picks p_data and p_g from families of 1-D densities; every quantity is computed
by `gan_engine.theory` on a fine grid and drawn by `gan_engine.plots.theory`. The page runs
in fragments, so a slider reruns only what it changes: sections 1-7 (the distributions and
everything they move), within it section 3 (the student's discriminator), and section 8
(Figure 1 and its stage scrubber). The sections are drawn by ui/theory/sections.py. What the student sees
lives in the address (ui/theory/url.py), so a link shares it.
"""

import streamlit as st

from gan_engine.errors import GanExplorerError
from ui.i18n import t
from ui.navigation import require_navigation
from ui.links import show_link_notes
from ui.theory import controls, results, sections, state, url
from ui.theory.controls import Spec

require_navigation()


@st.fragment
def distributions_and_divergences(label_items: tuple[tuple[str, str], ...]) -> None:
    """Sections 1-7: everything a distribution slider changes (section 3's own sliders rerun
    only `value_function`, the fragment inside this one).

    A fragment, so moving a slider reruns only these sections: the title and the Figure-1
    section (two static figures and the stage scrubber) are not rebuilt or sent again.
    Sections 3-7 sit in tabs that run lazily: only the open one is computed and sent.
    """
    labels = dict(label_items)
    state.keep_hidden_widgets()
    # ---- (1) the two distributions (the section's heading is above; the preset picker is in here,
    # since it shows "custom settings" as soon as a slider leaves the preset) ------------------------
    controls.preset_picker()
    specs = controls.both_distributions()
    try:
        result, sweep, notes = results.comparison(specs["data"], specs["g"])
    except GanExplorerError as exc:
        st.error(t("theory.error", detail=str(exc)))
        state.keep_hidden_widgets(force=True)   # the sliders below are not drawn this time
        return
    sections.density_notes(result, notes)
    sections.identity_at_a_glance(result)
    pair = (specs["data"], specs["g"])
    # ---- (2) the optimal discriminator ------------------------------------------------------------
    sections.optimal_discriminator_section(pair, label_items)
    # ---- (3)-(7) in lazy tabs: only the open one is computed and drawn ----------------------------
    sections.lazy_tabs({"s3": lambda: value_function(pair, label_items),
                        "s4": lambda: sections.divergences_section(result),
                        "s5": lambda: sections.gradients_section(sweep, labels),
                        "s6": lambda: sections.losses_section(label_items),
                        "s7": lambda: sections.equilibrium_section(result.p_data.values, result.x)})
    url.write_link()
    state.remember()


@st.fragment
def value_function(specs: tuple[Spec, Spec], label_items: tuple[tuple[str, str], ...]) -> None:
    """Section 3, inside the first: its sliders (the student's D and the point x) rerun only this
    section, not the distributions, D* and the metrics above it, which they do not change."""
    sections.value_function_section(specs, label_items)
    url.write_link()          # the student's discriminator is part of the shared link too
    state.remember()


@st.fragment
def figure1(label_items: tuple[tuple[str, str], ...]) -> None:
    """Section 8: the Figure-1 simulation and its stage scrubber (reruns on its own)."""
    sections.figure1_section(label_items)
    url.write_stage()
    state.remember()


state.init_state()
link_notes = url.read_link()        # a shared link's settings, on the session's first visit
st.title(t("theory.title"))
st.write(t("theory.intro"))
show_link_notes(link_notes)
label_items = results.plot_texts()

# Section 1's heading is outside the fragment: it does not change when a slider moves.
sections.explain("s1")
distributions_and_divergences(label_items)
figure1(label_items)
