"""The home page's cards, gathered from every app through a registry.

branches sits low in the layout (ARCHITECTURE.md) and must not import the apps above it, so each
app registers the function that makes its cards in its own `AppConfig.ready()`:

    home.register(home_cards, order=30)

A provider is called as `provider(user)` and returns a list of HomeCard; providers are shown in
ascending `order`, so the page does not depend on the order apps are installed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class HomeCard:
    """One block of the home page: a title, a line or two, and the links that act on it."""

    title: str
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    tone: str = "secondary"  # bootstrap contextual colour of the card's border


HomeProvider = Callable[..., list[HomeCard]]

# provider's dotted name → (order, provider): registering the same function twice keeps one.
_providers: dict[str, tuple[int, HomeProvider]] = {}


def register(provider: HomeProvider, *, order: int) -> None:
    """Show `provider(user)`'s cards on the home page, at `order` among the others."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = (order, provider)


def providers() -> list[HomeProvider]:
    """The registered providers in display order."""
    return [provider for _order, provider in sorted(_providers.values(), key=lambda item: item[0])]


def home_sections(user) -> list[HomeCard]:
    cards: list[HomeCard] = []
    for provider in providers():
        cards.extend(provider(user))
    return cards
