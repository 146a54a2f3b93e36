"""The project's URLs plus one page that fails, for the 500 page's tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from palermo.urls import handler500
from palermo.urls import urlpatterns as project_urls


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fail/", fail), *project_urls]
__all__ = ["handler500", "urlpatterns"]
