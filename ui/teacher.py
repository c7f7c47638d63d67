"""The teacher's unlock and each session's role on a shared demo (the rules are ui/roles.py).

A visitor is identified by a random id kept in their session state (no accounts): a run
remembers which session launched it and which sessions watch it for as long as the server
runs. The passphrase comes from `st.secrets["teacher_password"]` or
`$GAN_EXPLORER_TEACHER_PASSWORD`; it is typed into a form that clears itself, compared in
constant time, never shown, logged or put in the address, and wrong attempts are slowed
per session and per client address. Where the app has an identity provider for `st.login`,
the e-mails in `st.secrets["teacher_emails"]` unlock too.
"""

from __future__ import annotations

import os
import secrets
import time

import streamlit as st

from gan_engine.data.paths import local_paths_allowed
from gan_engine.runs import ACTIVE
from ui import roles
from ui.i18n import t
from ui.training import engine

PASSPHRASE_ENV = "GAN_EXPLORER_TEACHER_PASSWORD"
DELAY_ENV = "GAN_EXPLORER_TEACHER_DELAY"   # seconds after the first wrong passphrase (doubling after)
_VISITOR = "_visitor_id"
_UNLOCKED = "_teacher_unlocked"
_CLEAR = "teacher_clear_pending"


def _secret(name: str, default: object = None) -> object:
    """A value of `st.secrets`, or `default` when there is no secrets file or no such key."""
    try:
        return st.secrets[name] if name in st.secrets else default
    except Exception:   # noqa: BLE001 - no secrets.toml at all is the usual case on a laptop
        return default


def passphrase() -> str:
    """The teacher's passphrase ("" when none is set)."""
    return str(_secret("teacher_password", "") or os.environ.get(PASSPHRASE_ENV, ""))


def teacher_emails() -> list[str]:
    """E-mails that unlock through `st.login`, when an identity provider is configured."""
    if _secret("auth") is None:
        return []
    return [str(mail).strip().lower() for mail in (_secret("teacher_emails", []) or [])]


def visitor_id() -> str:
    """This browser session's random id (made on its first run)."""
    if _VISITOR not in st.session_state:
        st.session_state[_VISITOR] = secrets.token_hex(8)
    return st.session_state[_VISITOR]


def client_id() -> str:
    """The visitor's address as the server sees it (slows wrong passphrases per client)."""
    address = st.context.ip_address
    return f"client:{address if isinstance(address, str) and address else 'localhost'}"


def _logged_in_teacher() -> bool:
    emails = teacher_emails()
    if not emails:
        return False
    try:
        return bool(st.user.is_logged_in) and str(st.user.get("email", "")).lower() in emails
    except Exception:   # noqa: BLE001 - st.user without an identity provider
        return False


def owner_mode() -> bool:
    """A laptop: `GAN_EXPLORER_LOCAL=1` and no passphrase, so one user owns everything."""
    return roles.default_role(local_paths_allowed(), bool(passphrase())) == roles.TEACHER


def role() -> str:
    """This session's role: TEACHER when unlocked (or the laptop's owner), else VISITOR."""
    if owner_mode() or st.session_state.get(_UNLOCKED) or _logged_in_teacher():
        return roles.TEACHER
    return roles.VISITOR


@st.cache_resource(show_spinner=False)
def attachments() -> roles.Attachments:
    """Which sessions launched and watch which runs, for the whole server."""
    return roles.Attachments()


@st.cache_resource(show_spinner=False)
def throttle() -> roles.Throttle:
    """Wrong passphrases, for the whole server."""
    try:
        first = float(os.environ.get(DELAY_ENV, roles.FIRST_DELAY_SECONDS))
    except ValueError:
        first = roles.FIRST_DELAY_SECONDS
    return roles.Throttle(first_delay=min(max(first, roles.FIRST_DELAY_SECONDS), roles.MAX_DELAY_SECONDS))


# ---- the sidebar panel ------------------------------------------------------------------

def sidebar_panel() -> None:
    """The teacher's corner of the sidebar: unlock, lock, the queue and the clean-up."""
    if owner_mode():
        return
    with st.sidebar.expander(t("teacher.title"), expanded=bool(st.session_state.get(_UNLOCKED))):
        if role() == roles.TEACHER:
            _unlocked_panel()
        elif passphrase() or teacher_emails():
            _unlock_form()
        else:
            st.caption(t("teacher.not_configured"))


def _unlock_form() -> None:
    if passphrase():
        with st.form("teacher_unlock", clear_on_submit=True, border=False):
            given = st.text_input(t("teacher.passphrase"), type="password", key="teacher_passphrase")
            submitted = st.form_submit_button(t("teacher.unlock"))
        if submitted:
            _try_unlock(given)
    if teacher_emails():
        if st.user.is_logged_in:
            st.caption(t("teacher.not_a_teacher"))
            st.button(t("teacher.logout"), on_click=st.logout, key="teacher_logout")
        else:
            st.button(t("teacher.login"), on_click=st.login, key="teacher_login")
    st.caption(t("teacher.visitor_rights"))


def _try_unlock(given: str) -> None:
    who = (visitor_id(), client_id())
    wait = throttle().wait_seconds(*who)
    if wait > 0:
        st.error(t("teacher.wait", seconds=roles.ceil_seconds(wait)))
        return
    if roles.passphrase_matches(given, passphrase()):
        throttle().succeeded(*who)
        st.session_state[_UNLOCKED] = True
        st.rerun()
    delay = throttle().failed(*who)
    st.error(t("teacher.wrong", seconds=roles.ceil_seconds(delay)))


def _lock() -> None:
    st.session_state.pop(_UNLOCKED, None)
    st.session_state.pop(_CLEAR, None)


def _unlocked_panel() -> None:
    st.success(t("teacher.unlocked"))
    if st.session_state.get(_UNLOCKED):
        st.button(t("teacher.lock"), key="teacher_lock", on_click=_lock)
    queue = engine.runner().queue()
    st.caption(t("teacher.queue", count=len(queue)))
    for position, key in enumerate(queue, start=1):
        summary = engine.store().summary(key)
        st.caption(f"{position}. {summary.config.preset if summary else '?'} · `{key}`")
    _clear_old_runs()


def _clear_old_runs() -> None:
    """'Clear runs older than N days', with a confirmation that says what will go."""
    days = st.number_input(t("teacher.older_than"), min_value=0, max_value=3650, value=7, step=1,
                           key="teacher_clear_days")
    if st.button(t("teacher.clear"), key="teacher_clear"):
        st.session_state[_CLEAR] = int(days)
    pending = st.session_state.get(_CLEAR)
    if pending is None:
        return
    doomed = old_runs(pending)
    if not doomed:
        st.info(t("teacher.clear_none", days=pending))
        st.session_state.pop(_CLEAR, None)
        return
    size_mb = sum(engine.store().run_path(key).stat().st_size for key in doomed if
                  engine.store().run_path(key).exists()) / 2**20
    st.warning(t("teacher.clear_confirm", count=len(doomed), days=pending, size=f"{size_mb:.1f}"))
    yes, no = st.columns(2)
    if yes.button(t("teacher.clear_yes"), key="teacher_clear_yes", type="primary"):
        removed = 0
        for key in doomed:
            try:
                engine.store().delete(key)
                removed += 1
            except Exception:   # noqa: BLE001 - a run that started meanwhile stays
                continue
        st.session_state.pop(_CLEAR, None)
        st.toast(t("teacher.cleared", count=removed))
        st.rerun()
    if no.button(t("teacher.clear_no"), key="teacher_clear_no"):
        st.session_state.pop(_CLEAR, None)
        st.rerun()


def old_runs(days: int) -> list[str]:
    """Keys of runs created more than `days` days ago that are not queued or training."""
    runs = engine.store().list_runs()
    if runs.empty:
        return []
    cutoff = time.time() - days * 86400.0
    return [str(key) for key, when, status in zip(runs["key"], runs["created"].astype(float), runs["status"])
            if when < cutoff and status not in ACTIVE]
