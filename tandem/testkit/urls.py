"""Every named URL of the site, for tests that must cover all pages."""

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns=None, namespace: str = ""):
    """Yield (name, parameter names) for every named URL pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", set(entry.pattern.converters)


def all_url_names() -> set[str]:
    return {name for name, _params in walk()}


def urls_with_params() -> dict[str, set[str]]:
    return {name: params for name, params in walk() if params}
