"""What a starting server says about where its shared state lives, in one line."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def _without_password(url):
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))


def background_work():
    """Where Celery's tasks run: eagerly in the web process without REDIS_URL."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "background work (exports, batch printing) runs in the web process"
    broker = _without_password(settings.CELERY_BROKER_URL)
    return f"background work goes to Celery workers through Redis at {broker}"


def shared_state_line():
    """E.g. ``Glide: cache in the database (table glide_cache), shared by every process
    and server; background work (exports, batch printing) runs in the web process.``"""
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith(".RedisCache"):
        where = f"cache in Redis at {_without_password(cache['LOCATION'])}"
    elif cache["BACKEND"].endswith(".DatabaseCache"):
        where = f"cache in the database (table {cache['LOCATION']})"
    else:
        return f"Glide: cache {cache['BACKEND']}, NOT shared between processes; {background_work()}."
    return f"Glide: {where}, shared by every process and server; {background_work()}."
