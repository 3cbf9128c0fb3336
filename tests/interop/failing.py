"""A middleware that fails as a lost database connection does, for the tests of
errors raised outside the views."""

from django.db import OperationalError


class DatabaseDownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("the database server closed the connection")
