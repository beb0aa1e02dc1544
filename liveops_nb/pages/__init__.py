"""Pages: widgets and page controllers (landing, session review, A/B test) for JupyterLab, Voila and batch."""
