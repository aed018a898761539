"""claude-tui: run and watch Claude API prompts, with every retry visible."""

__version__ = "0.1.0"
