from django.core.checks import Error, register

from tandem.homework.content import ContentError, load_library


@register()
def exercise_files_are_valid(app_configs, **kwargs):
    """Start-up refuses broken content: the file, the field and why."""
    try:
        load_library()
    except ContentError as error:
        return [Error(f"Broken content file {error.path}: {error.field}: {error.why}", id="tandem.E001")]
    return []
