"""The Lab page's helpers: session state (`state`), the data section (`data_view`), the game (`game_view`), the hand-over (`handover`)."""
