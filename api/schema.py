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
