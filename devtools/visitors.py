"""A simulated visitor: a small client of Streamlit's own websocket protocol, no browser.

It speaks what the browser's frontend speaks on `/_stcore/stream`: it sends `BackMsg`
rerun requests (a `ClientState` with the page, the query string, widget states, the
fragment a widget belongs to and the hashes of the large messages it already holds) and
reads the `ForwardMsg` stream back (deltas, page info, auto-reruns, script_finished). The
message classes are the ones that ship with streamlit (`streamlit.proto`), so the client
follows the installed server's protocol.

What it keeps of the page is what a benchmark needs to act like a person: every widget's id,
fragment and current value (from the deltas), the query string, and the fragments that ask
to be rerun on a timer (`st.fragment(run_every=...)`). Like the frontend, it sends the value
of every widget it knows with every rerun: sliders, select sliders, select boxes, radios,
number inputs, segmented controls and pills, checkboxes and toggles. (Tab bars, expanders
and file uploaders are not sent: the server keeps their last state.)

Used by benchmarks/class_pages.py. Only for a server on this machine (127.0.0.1).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from websockets.asyncio.client import connect

FULL_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FRAGMENT_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
ID_PREFIX = "$$ID-"      # Streamlit's generated widget ids: "$$ID-<hash>-<user key>"


@dataclass
class Widget:
    """A widget as the deltas described it: its id, kind, fragment and value."""

    id: str
    kind: str                      # the element's type: "slider", "button", "selectbox", ...
    fragment_id: str               # "" outside any fragment
    value: list[float] | None = None   # a plain slider's value, which the visitor moves
    low: float = 0.0
    high: float = 0.0
    step: float = 0.0
    state: tuple[str, object] | None = None   # (WidgetState field, value) of any other widget


def widget_state(kind: str, proto) -> tuple[str, object] | None:
    """The (WidgetState field, value) the frontend sends for a widget drawn as `proto`: the value
    the server set, else the widget's default (None for a widget with no value to send)."""
    if kind == "slider" and proto.type == Slider.SELECT_SLIDER:
        chosen = list(proto.raw_value) or [proto.options[int(i)] for i in proto.default]
        return "string_array_value", chosen
    if kind in ("selectbox", "radio"):
        if proto.set_value or proto.raw_value:
            return "string_value", proto.raw_value
        return ("string_value", proto.options[proto.default]) if 0 <= proto.default < len(proto.options) else None
    if kind == "number_input":
        return "double_value", proto.value if proto.set_value else proto.default
    if kind == "button_group":
        chosen = list(proto.raw_values) if proto.set_value else [proto.options[i].content for i in proto.default]
        return "string_array_value", chosen
    if kind == "checkbox":
        return "bool_value", proto.value if proto.set_value else proto.default
    return None


@dataclass
class _Waiter:
    """A rerun request waiting for its script_finished."""

    fragment_id: str
    future: asyncio.Future
    sent: float = field(default_factory=time.perf_counter)


class Visitor:
    """One visitor's websocket session with a Streamlit server on 127.0.0.1.

    `await open()` connects and runs the page (returns the seconds to the first finished
    run); `await rerun(...)` sends one rerun request and returns the seconds until the
    server reports that run (or a later full run) finished.
    """

    def __init__(self, port: int, page: str = "", query: str = "", max_cached_runs: int = 2) -> None:
        self.port, self.page, self.query = port, page, query
        self.widgets: dict[str, Widget] = {}          # by user key
        self.timers: dict[str, float] = {}            # fragment id -> rerun interval (s)
        self.page_script_hash = ""
        self.metrics: dict[str, str] = {}             # st.metric values by label, as last drawn
        self.errors: list[str] = []
        self.finished_runs = 0
        self._cached: dict[str, int] = {}             # message hash -> run count when last seen
        self._max_cached_runs = max_cached_runs
        self._waiters: list[_Waiter] = []
        self._socket = None
        self._reader: asyncio.Task | None = None
        self.bytes_received = 0

    # ---- connection -----------------------------------------------------------------------------

    async def open(self) -> float:
        """Connect, request the page as a browser opening its address does, and wait for the run."""
        started = time.perf_counter()
        self._socket = await connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
            origin=f"http://127.0.0.1:{self.port}", max_size=None, open_timeout=120, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        await self.rerun()
        return time.perf_counter() - started

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):   # noqa: BLE001 - closing; its error is moot
                pass
        for waiter in self._waiters:
            waiter.future.cancel()

    # ---- requests -------------------------------------------------------------------------------

    def slider(self, key: str) -> Widget:
        """The plain slider with user key `key`, as last drawn."""
        widget = self.widgets[key]
        if widget.kind != "slider" or widget.value is None:
            raise KeyError(f"{key} is not a plain slider")
        return widget

    async def rerun(self, sliders: dict[str, float] | None = None, *, fragment_id: str = "",
                    triggers: tuple[str, ...] = (), auto: bool = False, timeout: float = 120.0) -> float:
        """Send one rerun request (new slider values by user key, buttons pressed by user key) and
        return the seconds until it finished."""
        for key, value in (sliders or {}).items():
            self.slider(key).value = [float(value)]
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        state.page_name = self.page if not self.page_script_hash else ""
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.cached_message_hashes.extend(self._cached)
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"http://127.0.0.1:{self.port}/{self.page}"
        for widget in self.widgets.values():
            if widget.kind == "slider" and widget.value is not None:
                state.widget_states.widgets.add(id=widget.id).double_array_value.data.extend(widget.value)
            elif widget.state is not None:
                field_name, value = widget.state
                sent = state.widget_states.widgets.add(id=widget.id)
                if field_name == "string_array_value":
                    sent.string_array_value.data.extend(value)
                else:
                    setattr(sent, field_name, value)
        for key in triggers:
            state.widget_states.widgets.add(id=self.widgets[key].id, trigger_value=True)
        waiter = _Waiter(fragment_id, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        await self._socket.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(waiter.future, timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            raise
        return time.perf_counter() - waiter.sent

    # ---- the forward stream ---------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            async for data in self._socket:
                self.bytes_received += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as exc:   # noqa: BLE001 - handed to whoever waits, not lost in a task
            for waiter in self._waiters:
                if not waiter.future.done():
                    waiter.future.set_exception(exc)
            raise

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            self._cached[msg.hash] = self.finished_runs
        if kind == "ref_hash":
            self._cached[msg.ref_hash] = self.finished_runs
        elif kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
            self._max_cached_runs = msg.new_session.config.max_cached_message_age or self._max_cached_runs
        elif kind == "navigation":     # with st.navigation, the page this session is on
            self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            self.timers[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                self.timers.pop(fragment, None)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._note_widget(msg.delta.new_element, msg.delta.fragment_id)
        elif kind == "script_finished":
            self._finished(msg)

    def _note_widget(self, element, fragment_id: str) -> None:
        kind = element.WhichOneof("type")
        proto = getattr(element, kind)
        if kind == "exception" or (kind == "alert" and proto.format == proto.ERROR):
            self.errors.append(proto.message if kind == "exception" else proto.body)
        elif kind == "metric":
            self.metrics[proto.label] = proto.body
        widget_id = getattr(proto, "id", "")
        if not (isinstance(widget_id, str) and widget_id.startswith(ID_PREFIX)):
            return
        key = widget_id[len(ID_PREFIX):].split("-", 1)[-1]
        widget = Widget(widget_id, kind, fragment_id)
        if kind == "slider" and proto.type == Slider.SLIDER:
            known = self.widgets.get(key)
            drawn = list(proto.value) if proto.set_value else list(proto.default)
            # The frontend keeps the value the person chose; the server's default only fills a new widget.
            widget.value = known.value if known is not None and known.value and not proto.set_value else drawn
            widget.low, widget.high, widget.step = proto.min, proto.max, proto.step
        else:
            widget.state = widget_state(kind, proto)
        self.widgets[key] = widget

    def _finished(self, msg: ForwardMsg) -> None:
        status = msg.script_finished
        if status == ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR:
            self.errors.append("compile error")
        if status not in (FULL_RUN, FRAGMENT_RUN):
            return      # stopped early for a newer request: that request's run answers both
        self.finished_runs += 1
        # Like the frontend's message cache: forget what the last runs no longer used.
        self._cached = {h: run for h, run in self._cached.items() if self.finished_runs - run <= self._max_cached_runs}
        fragments = set(msg.metadata.run.fragment_ids)
        done = [w for w in self._waiters
                if status == FULL_RUN or (w.fragment_id and (w.fragment_id in fragments or not fragments))]
        if status == FRAGMENT_RUN and not fragments:
            done = done[:1]
        for waiter in done:
            self._waiters.remove(waiter)
            if not waiter.future.done():
                waiter.future.set_result(None)
