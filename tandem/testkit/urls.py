"""Every named URL of the site, for tests that must cover all pages."""

import uuid

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter


def _named(patterns=None, namespace: str = ""):
    """Yield (name, {parameter: converter}) for every named URL pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", dict(entry.pattern.converters)


def walk(patterns=None, namespace: str = ""):
    """Yield (name, parameter names) for every named URL pattern."""
    for name, converters in _named(patterns, namespace):
        yield name, set(converters)


def all_url_names() -> set[str]:
    return {name for name, _params in walk()}


def urls_with_params() -> dict[str, set[str]]:
    return {name: params for name, params in walk() if params}


def _sample(converter):
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    return "x"  # str, slug and path converters


def sample_urls() -> dict[str, str]:
    """Every named URL, with made-up parameters of the right shape: enough to
    reach the view (which may then find nothing there)."""
    return {
        name: reverse(name, kwargs={param: _sample(converter) for param, converter in converters.items()})
        for name, converters in _named()
    }
