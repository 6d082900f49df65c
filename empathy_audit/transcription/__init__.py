"""Local transcription: engines, the worker process that runs them, and conversation building.

Nothing here imports an engine at module level; engines load inside the worker.
"""
