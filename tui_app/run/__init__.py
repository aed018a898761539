"""The one run service: what every front end (the TUI, ``claude-tui run``, replay) shares.

- :mod:`.choice` decides where requests go (the simulator or the real API) from the
  environment and flags, before anything heavy is imported;
- :mod:`.backend` owns the SDK import, the one shared client, the simulator's lifecycle and
  the session store;
- :mod:`.recording` records a run so that no store failure can ever break it;
- :mod:`.controller` runs one prompt at a time and fans each event out to consumers.

Nothing here imports Textual, and importing this package imports neither ``anthropic`` nor
the simulator: the TUI's first frame and ``--help`` stay fast.
"""
