"""The project's URLs plus ``/hello/``, a bare view answering "Hello": the
throughput benchmark's baseline, served by the same gunicorn workers through the
same middleware as the rest."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("Hello")


urlpatterns = [path("hello/", hello), path("", include("clinic.urls"))]
