"""The demo-data pipeline behind `manage.py seed_demo`.

Each app that has demo data provides `<app>/demo.py` with a `seed(ctx: DemoContext)` function;
`seed_demo` calls them in INSTALLED_APPS order, all inside one transaction, so later apps build on
what earlier ones made (references first). Everything draws from `ctx.rng` so a seed is repeatable.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import import_module
from importlib.util import find_spec
from typing import Any, TextIO

from django.apps import apps
from django.utils import timezone


@dataclass
class DemoContext:
    """What every seeder shares. Every demo date and time is built from `today` and `now` (this
    moment on `today`), never from a fixed year: the demo is as alive as the day it is seeded."""

    rng: random.Random
    accounts: int
    today: date
    stdout: TextIO
    # Demo users by username: admin, manager, sales, sales2, marketing, exec.
    users: dict[str, Any] = field(default_factory=dict)
    # Free-form hand-over between apps' seeders (e.g. ids of demo opportunities).
    shared: dict[str, Any] = field(default_factory=dict)
    now: datetime | None = None

    def __post_init__(self):
        if self.now is None:
            self.now = timezone.now() + timedelta(days=(self.today - timezone.localdate()).days)

    def log(self, message: str) -> None:
        self.stdout.write(message + "\n")
        self.stdout.flush()


def demo_seeders() -> list:
    """The `seed` functions of every installed app that has a demo module, in app order."""
    seeders = []
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.demo"
        if find_spec(module_name) is not None:
            seeders.append(import_module(module_name).seed)
    return seeders
