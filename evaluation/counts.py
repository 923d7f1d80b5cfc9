"""Counts shared by the scorers: expected, predicted and found items, with what was missed and extra."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Counts:
    """Counts for one kind of item, with what was missed and what was extra."""

    expected: int = 0
    predicted: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def add(self, other: Counts) -> None:
        self.expected += other.expected
        self.predicted += other.predicted
        self.found += other.found
        self.missed += other.missed
        self.extra += other.extra
