"""Adapters from the OS, through Qt, to the engine's plain-Python interfaces."""
