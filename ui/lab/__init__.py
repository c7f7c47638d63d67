"""The Lab page's helpers: session state (`state`), sections and views (`view`), hand-over (`handover`)."""
