"""A small module to hover over: classes, closures, comprehensions, async."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Circle:
    radius: float

    def area(self) -> float:
        return math.pi * self.radius ** 2

    def scaled(self, factor: float) -> "Circle":
        return Circle(self.radius * factor)


def total_area(shapes):
    total = 0.0
    for shape in shapes:
        if shape.radius <= 0:
            continue
        total += shape.area()
    return total


def make_counter(start=0):
    count = start

    def increment(step=1):
        nonlocal count
        count += step
        return count

    return increment


def squares(n):
    return [i * i for i in range(n) if i % 2 == 0]


async def fetch_all(fetch, urls):
    results = {}
    for url in urls:
        try:
            results[url] = await fetch(url)
        except OSError as exc:
            results[url] = exc
    return results


if __name__ == "__main__":
    circles = [Circle(r) for r in range(1, 4)]
    print(total_area(circles), squares(10), make_counter()(2))
