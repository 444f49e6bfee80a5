"""Further CLI commands, one module per job (opinion, registry, report, serve, …).

Each module defines ``COMMANDS``: a list of click commands or groups, added to the `expertise`
group by :func:`expertise.cli.load_commands`.
"""
