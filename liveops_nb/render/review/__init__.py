"""Rendering of the session review's sections: text (中文 / English), HTML and charts from the analyses in :mod:`liveops_nb.review`."""
