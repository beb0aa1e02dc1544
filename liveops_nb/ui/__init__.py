"""Display helpers: HTML snippets with one look, widgets and page controllers."""
