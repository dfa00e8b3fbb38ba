"""Environments that last: ``roost check`` (:mod:`.check`), ``roost repair`` (:mod:`.repair`).

Nothing here is imported while an environment is created; the subcommands load it.
"""
