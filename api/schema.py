from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ChannelTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ChannelTokenAuthentication"
    name = "channelToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A channel token (manage.py create_channel_token <channel>). "
            "It reads that channel only.",
        }


def channel_locales_hook(result, generator, request, public):
    """With a channel token, the document names that channel's locales: the `locale`
    parameters list them as their enum, instead of every locale of the catalog."""
    if request is None or not request.headers.get("Authorization"):
        return result
    from rest_framework import exceptions

    from api.auth import ChannelTokenAuthentication

    try:
        authenticated = ChannelTokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return result
    if not authenticated:
        return result
    channel = authenticated[1].channel
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "locale" and parameter.get("in") == "query":
                    parameter["schema"] = {"type": "string", "enum": list(channel.locales)}
                    parameter["description"] = (
                        f"One of the locales of “{channel.code}”; {channel.locales[0]} by "
                        "default." if channel.locales else parameter.get("description", ""))
    result.setdefault("info", {})["x-channel"] = channel.code
    return result
