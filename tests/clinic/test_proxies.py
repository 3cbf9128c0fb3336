"""The client's address: the socket's peer, unless a trusted proxy forwarded the
request. The audit trail, the API's throttles and the sign-in lockout all read it the
same way, so an invented X-Forwarded-For neither escapes a throttle nor lands in the
audit trail."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from rest_framework.test import APIClient

from clinic.models import AuditEvent
from clinic.proxies import client_ip

from ..factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.5"
CLIENT = "203.0.113.7"


def request_from(peer, forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_address_is_the_sockets():
    assert client_ip(request_from(CLIENT, forwarded="198.51.100.1")) == CLIENT


def test_a_trusted_proxy_forwards_the_client_it_was_connected_from(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(PROXY, forwarded=CLIENT)) == CLIENT


def test_entries_the_client_wrote_before_the_proxys_are_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(PROXY, forwarded=f"198.51.100.1, {CLIENT}")) == CLIENT


def test_a_chain_of_trusted_proxies_is_walked_from_the_nearest(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    forwarded = f"198.51.100.1, {CLIENT}, [2001:db8::7]:443, 10.1.2.3"
    assert client_ip(request_from(PROXY, forwarded=forwarded)) == CLIENT


def test_a_request_straight_from_an_untrusted_peer_keeps_the_peers_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(CLIENT, forwarded="198.51.100.1")) == CLIENT


def test_a_count_of_proxies_trusts_that_many_hops(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    forwarded = f"198.51.100.1, {CLIENT}, 192.0.2.44"
    assert client_ip(request_from("192.0.2.45", forwarded=forwarded)) == CLIENT


def test_a_hop_that_is_not_an_address_ends_the_walk(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(PROXY, forwarded="not-an-address")) == PROXY


def test_a_setting_that_is_not_a_network_is_a_clear_startup_error():
    from .test_settings import run_python

    process = run_python("import django; django.setup()", TRUSTED_PROXIES="10.0.0.0/8,the-load-balancer")
    assert process.returncode != 0
    assert "TRUSTED_PROXIES" in process.stderr and "the-load-balancer" in process.stderr


# Over the API and the sign-in page.


def ask_for_a_token(client, **headers):
    return client.post(TOKEN_URL, {"username": "thera", "password": "wrong"}, format="json", **headers)


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_sign_in_throttle(therapist, settings):
    client = APIClient()
    statuses = [
        ask_for_a_token(client, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code
        for number in range(11)
    ]
    assert statuses == [400] * 10 + [429]


@pytest.mark.django_db
def test_a_forged_header_does_not_reach_the_audit_trail(therapist):
    APIClient().post(
        TOKEN_URL,
        {"username": "thera", "password": PASSWORD},
        format="json",
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN).ip_address == CLIENT


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(therapist, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    client = APIClient()
    for _ in range(10):
        assert ask_for_a_token(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT).status_code == 400
    assert ask_for_a_token(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT).status_code == 429
    assert ask_for_a_token(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.8").status_code == 400


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_audit_trail_names_the_forwarded_client(therapist, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    ask_for_a_token(APIClient(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}")
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED).ip_address == CLIENT


@pytest.mark.django_db
def test_the_sign_in_lockout_reads_the_address_the_same_way(client, therapist, settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXIES = [PROXY]
    client.post(
        "/accounts/login/",
        {"username": "thera", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}",
    )
    assert AccessAttempt.objects.get(username="thera").ip_address == CLIENT
