"""Pelican's side: its content objects and generators fed from our model, and our errors
through its command."""
