"""Glide's URLs plus one page that fails, to see the styled server-error page."""

from django.urls import path

from clinic.urls import urlpatterns as glide_urlpatterns


def broken_page(request):
    raise RuntimeError("A page that fails, for the server-error page's test.")


urlpatterns = [path("broken/", broken_page), *glide_urlpatterns]
