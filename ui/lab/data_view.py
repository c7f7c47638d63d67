"""The Lab page's data section: the source picker, the drawing canvas, the mixture editor.

Whatever the student makes becomes a `gan_engine.lab.data.LabTarget` (through
`ui.lab.state.current_target`); messages about their input are shown here, beside it.
"""

from __future__ import annotations

import streamlit as st

from gan_engine.config import TOY_TARGETS
from gan_engine.errors import GanExplorerError
from gan_engine.lab import data as lab_data
from gan_engine.plots import lab as plots
from ui.i18n import error_text, labelled, t
from ui.lab import state

CANVAS_GRID = plots.canvas_grid(*lab_data.CANVAS, state.GRID_STEP)


def plot_labels() -> dict[str, str]:
    """The figures' text in the session's language."""
    return {key: t(f"lab.plot.{key}") for key in plots.DEFAULT_LABELS}


def data_section() -> tuple[lab_data.LabTarget, tuple] | None:
    """Source picker and the chosen source's editor; the target (and its key), or None with a message."""
    st.subheader(t("lab.data.title"))
    st.caption(t("lab.data.explain"))
    names = {source: t(f"lab.source.{source}") for source in state.SOURCES}
    source = st.segmented_control(t("lab.source"), list(names), format_func=names.get, required=True,
                                  key=labelled("lab_source"))
    if source == "draw":
        drawing_editor()
    elif source == "mixture":
        mixture_editor()
    else:
        presets = {name: t(f"lab.preset.{name}") for name in TOY_TARGETS}
        st.selectbox(t("lab.preset"), list(presets), key="lab_preset", on_change=state.preset_changed)
        st.caption(presets[st.session_state["lab_preset"]])
    try:
        described = state.current_target()
    except GanExplorerError as exc:
        st.info(error_text(exc))
        return None
    target = described[0]
    for note_id, values in target.notes:
        if note_id in ("single", "capped") or target.source == "mixture":
            st.warning(t(f"lab.note.{note_id}", **values))
    return described


def drawing_editor() -> None:
    """The canvas (click, box, lasso) beside the shape tools."""
    st.caption(t("lab.draw.help"))
    canvas, tools = st.columns([3, 2], gap="large")
    points = st.session_state["lab_points"]
    with canvas:
        figure = plots.canvas_figure(points[: lab_data.MAX_POINTS * 4], CANVAS_GRID, lab_data.CANVAS, plot_labels())
        st.plotly_chart(figure, width="stretch", key="lab_canvas", theme=None, on_select=state.canvas_selected,
                        selection_mode=("points", "box", "lasso"), config={"displaylogo": False})
        st.caption(t("lab.draw.count", count=len(points), limit=lab_data.MAX_POINTS))
    with tools:
        shapes = {shape: t(f"lab.shape.{shape}") for shape in lab_data.SHAPES}
        st.radio(t("lab.shape"), list(shapes), format_func=shapes.get, horizontal=True, key=labelled("lab_shape"))
        low, high = lab_data.CANVAS
        left, right = st.columns(2)
        left.slider(t("lab.shape.x"), low, high, step=0.05, key="lab_shape_x")
        right.slider(t("lab.shape.y"), low, high, step=0.05, key="lab_shape_y")
        st.slider(t("lab.shape.size"), 0.0, 2.0, step=0.05, key="lab_shape_size")
        left, right = st.columns(2)
        left.slider(t("lab.shape.count"), 1, lab_data.MAX_SHAPE_POINTS, key="lab_shape_count")
        right.slider(t("lab.shape.angle"), -90.0, 90.0, step=5.0, key="lab_shape_angle",
                     disabled=st.session_state["lab_shape"] != "line")
        left, right = st.columns(2)
        left.button(t("lab.place"), key="lab_place", on_click=state.place_shape, icon=":material/add:")
        right.button(t("lab.clear"), key="lab_clear", on_click=state.clear_points, icon=":material/delete:")
    for key, values in st.session_state["lab_notes"]:
        if key.startswith("lab.note.") or key == "lab.added":
            (st.success if key == "lab.added" else st.warning)(t(key, **values))
    st.session_state["lab_notes"] = [n for n in st.session_state["lab_notes"]
                                     if not (n[0].startswith("lab.note.") or n[0] == "lab.added")]


def mixture_editor() -> None:
    """Up to MAX_COMPONENTS normals, each with a mean, a standard deviation and a weight."""
    st.number_input(t("lab.mixture.count"), 1, lab_data.MAX_COMPONENTS, key="lab_mix_count")
    count = int(st.session_state["lab_mix_count"])
    for index, column in zip(range(count), st.columns(lab_data.MAX_COMPONENTS)):
        with column, st.container(border=True):
            st.markdown(f"**{t('lab.mixture.component', index=index + 1)}**")
            for field in ("mean", "sd", "weight"):
                st.number_input(t(f"lab.mixture.{field}"), step=0.1, format="%g", key=f"lab_mix_{index}_{field}")
