from django.http import JsonResponse


def api_not_found(request):
    """Unknown API addresses answer in JSON like the rest of the API."""
    return JsonResponse(
        {"detail": f"No API endpoint at {request.path[:200]}.", "code": "not_found"}, status=404
    )
