"""Example plugins for roost: one of each kind (see README.md beside this package)."""

ENTRY_POINTS = {
    "roost.activate": {"rc": "roost_example_plugins.activate:RcActivator"},
    "roost.create": {"pyversion": "roost_example_plugins.create:PythonVersionCreator"},
    "roost.seed": {"pth": "roost_example_plugins.seed:PthSeeder"},
    "roost.discovery": {"pinfile": "roost_example_plugins.discovery:PinFileDiscovery"},
}
