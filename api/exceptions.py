"""Every error of the API is JSON: {"detail": "<a sentence>", "code": "<machine code>", ...}."""
import logging

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger("api")


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"

    def __init__(self, detail, code=None, **extra):
        super().__init__(detail, code)
        self.extra = extra


class NotFound(exceptions.NotFound):
    pass


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        # A fault of ours: logged with its traceback for us, a plain JSON 500 for the client,
        # never the debug page (which shows settings) whatever DEBUG says.
        logger.error("Unhandled error in %s", context.get("view"), exc_info=exc)
        return Response(
            {"detail": "The server failed to answer this request; it has been logged.",
             "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid request.", "code": "invalid", "errors": exc.detail}
        return response
    detail = getattr(exc, "detail", None)
    response.data = {
        "detail": str(detail) if detail is not None else str(exc),
        "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
        **getattr(exc, "extra", {}),
    }
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response.data["retry_after"] = int(exc.wait) + (exc.wait % 1 > 0)
    return response
