"""Theory page: V(D,G), the optimal discriminator D* and the Jensen-Shannon divergence, live.

The student picks p_data and p_g from families of 1-D densities; every quantity is computed
by `gan_engine.theory` on a fine grid and drawn by `gan_engine.plots.theory`. The page runs
in two fragments, so a slider reruns only what it changes: sections 1-7 (the distributions
and everything they move) and section 8 (Figure 1 and its stage scrubber). The sections
are drawn by ui/theory/sections.py.
"""

import streamlit as st

from gan_engine.errors import GanExplorerError
from ui.i18n import t
from ui.navigation import require_navigation
from ui.theory import controls, results, sections, state

require_navigation()


@st.fragment
def distributions_and_divergences(label_items: tuple[tuple[str, str], ...]) -> None:
    """Sections 1-7: everything a distribution or discriminator slider changes.

    A fragment, so moving a slider reruns only these sections: the title and the Figure-1
    section (two static figures and the stage scrubber) are not rebuilt or sent again.
    Sections 3-7 sit in tabs that run lazily: only the open one is computed and sent.
    """
    labels = dict(label_items)
    state.keep_hidden_widgets()
    # ---- (1) the two distributions ----------------------------------------------------------------
    sections.explain("s1")
    controls.preset_picker()
    specs = controls.both_distributions()
    try:
        result, sweep, notes = results.comparison(specs["data"], specs["g"])
    except GanExplorerError as exc:
        st.error(t("theory.error", detail=str(exc)))
        return
    sections.density_notes(result, notes)
    sections.identity_at_a_glance(result)
    # ---- (2) the optimal discriminator ------------------------------------------------------------
    sections.optimal_discriminator_section(result, labels)
    # ---- (3)-(7) in lazy tabs: only the open one is computed and drawn ----------------------------
    sections.lazy_tabs({"s3": lambda: sections.value_function_section(result, labels),
                        "s4": lambda: sections.divergences_section(result),
                        "s5": lambda: sections.gradients_section(sweep, labels),
                        "s6": lambda: sections.losses_section(label_items),
                        "s7": lambda: sections.equilibrium_section(result.p_data.values, result.x)})


@st.fragment
def figure1(label_items: tuple[tuple[str, str], ...]) -> None:
    """Section 8: the Figure-1 simulation and its stage scrubber (reruns on its own)."""
    sections.figure1_section(label_items)


state.init_state()
st.title(t("theory.title"))
st.write(t("theory.intro"))
label_items = results.plot_texts()

distributions_and_divergences(label_items)
figure1(label_items)
