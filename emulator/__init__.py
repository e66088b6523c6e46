"""Central emulator: a standalone stand-in for StackRox / Red Hat ACS Central's
image integration API (``/v1/imageintegrations``), for testing without a cluster.

See emulator/README.md. Start it with ``python -m emulator`` or, from Python,
``emulator.server.EmulatorServer``.
"""

__all__ = ["EmulatorServer"]


def __getattr__(name):
    if name == "EmulatorServer":
        from .server import EmulatorServer
        return EmulatorServer
    raise AttributeError(name)
