"""The project's corpus of damaged datasets (issue 9): one defect each, the exact outcome asserted."""
