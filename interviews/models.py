"""Checklist interviews (清单式约谈) and rectification (整改) — see issue 6."""
