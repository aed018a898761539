"""The async retry core: policy, classification, the attempt loop and its events.

UI-free by rule (no Textual import anywhere in this package). This ``__init__`` imports
nothing on purpose: ``settings`` needs ``retry.policy`` on the ``--help`` path, and the
runner pulls in ``anthropic`` (about a second to import). Import submodules directly.
"""
