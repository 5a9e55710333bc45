from django.conf import settings


def site(request):
    """Values every page template may use."""
    return {"urbangrid": settings.URBANGRID}
