"""Shortbreaks: the platform local authorities use to run the market for short breaks."""
