from dataclasses import dataclass
from datetime import date, timedelta


@dataclass
class Crop:
    name: str
    planted: date
    days_to_harvest: int

    def ready_on(self) -> date:
        return self.planted + timedelta(days=self.days_to_harvest)


def ready(crops: list[Crop], today: date) -> list[str]:
    """Names of the crops that can be harvested today."""
    return [c.name for c in crops if c.ready_on() <= today]
