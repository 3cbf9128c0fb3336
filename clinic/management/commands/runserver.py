"""
``runserver`` for Glide's local runs: the development server, with two changes.

- Each request's database connections are closed when its thread ends. Django's
  threaded development server runs every request in a new thread, and a connection
  kept for ``CONN_MAX_AGE`` belongs to the thread that opened it: nobody would reuse
  or close it, and with PostgreSQL a few hundred requests would hold a hundred
  connections open until the server refuses more.
- It starts even when the database is unreachable: the migrations check is skipped
  with a warning, and every request is answered 503 until the database is back
  (``clinic.errors``).

It extends whichever ``runserver`` comes next (WhiteNoise's, then staticfiles'),
which is why ``clinic`` is listed before ``whitenoise.runserver_nostatic``.
"""

from django.core.servers.basehttp import WSGIServer
from django.db import DatabaseError, connections
from whitenoise.runserver_nostatic.management.commands.runserver import Command as NextRunserver


class ConnectionClosingWSGIServer(WSGIServer):
    """With threading on, ``close_request`` runs in the request's own thread."""

    def close_request(self, request):
        connections.close_all()
        super().close_request(request)


class Command(NextRunserver):
    server_cls = ConnectionClosingWSGIServer

    def check_migrations(self):
        try:
            super().check_migrations()
        except DatabaseError as exc:
            self.stdout.write(
                self.style.WARNING(
                    f"\nThe database is unreachable ({str(exc).strip()}).\n"
                    "Glide starts anyway and answers 503 until the database is back.\n"
                )
            )
