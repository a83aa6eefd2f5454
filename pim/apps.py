from django.contrib.staticfiles.apps import StaticFilesConfig


class PimStaticFilesConfig(StaticFilesConfig):
    """Static files, less jQuery UI's stylesheets and themes.

    The admin's translation tabs need only jQuery UI's script. Its stylesheets carry a
    ThemeRoller link with ``url(%22images%2F...%22)`` in a comment, which the manifest storage
    of the production settings cannot resolve, so they are not collected.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "jquery-ui*.css", "themes"]
