"""SSRF: only http(s) URLs whose host resolves to public addresses, checked when a subscription
is saved and again at delivery, the connection pinned to the address checked."""

import socket

import pytest
from django.core.exceptions import ValidationError

from webhooks.addresses import UnsafeAddress, check_url, is_public
from webhooks.delivery import delivery_send
from webhooks.models import Delivery, Subscription
from webhooks.outbox import webhook_emit
from webhooks.statuses import DeliveryStatus, EventType

PUBLIC = "93.184.215.14"
# Deliveries are sent outside transactions: these tests commit (and flush afterwards).
SENDS = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFUSED_URLS = [
    "http://127.0.0.1/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.5/hook",
    "http://172.16.9.9/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fe80::1]/hook",
    "http://0.0.0.0/hook",
    "http://100.64.0.1/hook",
    "http://224.0.0.1/hook",
    "http://localhost:8000/hook",
    "ftp://hooks.example.com/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
]


def fake_dns(monkeypatch, *answers: str):
    """Resolve every name to the next of `answers` (the last one repeats; "a,b": two addresses);
    IP literals to themselves."""
    real = socket.getaddrinfo
    queue = list(answers)

    def getaddrinfo(host, port, *args, **kwargs):
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
            return real(host, port, *args, **kwargs)
        except OSError:
            pass
        if host == "localhost":
            return real(host, port, *args, **kwargs)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in answer.split(",")
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_a_subscription_to_an_address_outside_the_internet_is_refused_at_save(db, url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    subscription = Subscription(name="Evil", url=url, events=[EventType.LIMIT_REACHED])
    with pytest.raises(ValidationError) as refused:
        subscription.full_clean()
    assert "url" in refused.value.message_dict


def test_a_name_resolving_to_a_private_address_is_refused(db, monkeypatch, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    fake_dns(monkeypatch, f"{PUBLIC},10.0.0.7")  # one public, one private address: refused
    with pytest.raises(UnsafeAddress, match="10.0.0.7"):
        check_url("https://hooks.example.com/rms")


def test_a_public_https_url_is_accepted(db, monkeypatch, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    fake_dns(monkeypatch, PUBLIC)
    subscription = Subscription(
        name="CRM", url="https://hooks.example.com/rms", events=[EventType.LIMIT_REACHED]
    )
    subscription.full_clean()
    target = check_url(subscription.url)
    assert (target.host, target.ip, target.port, target.path) == ("hooks.example.com", PUBLIC, 443, "/rms")
    assert subscription.secret.startswith("whsec_")


def test_the_setting_allows_private_addresses_but_never_other_schemes(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    assert check_url("http://127.0.0.1:9/hook").ip == "127.0.0.1"
    with pytest.raises(UnsafeAddress):
        check_url("ftp://127.0.0.1/hook")


def test_mapped_and_tunnelled_addresses_are_judged_by_what_they_carry():
    assert not is_public("::ffff:10.0.0.1")
    assert not is_public("2002:7f00:1::1")  # 6to4 of 127.0.0.1
    assert is_public(PUBLIC)
    assert is_public("2606:4700:4700::1111")


def test_site_local_ipv6_addresses_are_refused():
    assert not is_public("fec0::1")  # fec0::/10, deprecated but routed inside some networks
    with pytest.raises(UnsafeAddress):
        check_url("http://[fec0::a9fe:a9fe]/hook")


@pytest.fixture
def delivery(db, subscribe, receiver, published, settings):
    """A delivery to the local receiver, saved while private addresses were allowed."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    subscribe(url=receiver.url())
    webhook_emit(EventType.LIMIT_REACHED, {"contact_id": 1, "limit_code": "contact_cap"})
    return Delivery.objects.get()


@SENDS
def test_an_address_refused_at_delivery_sends_nothing(delivery, receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False  # flipped off after the subscription was saved
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.DEAD
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Refused:")
    assert delivery.attempts_log.get().error.startswith("Refused:")
    assert receiver.received == []


@SENDS
def test_dns_rebinding_after_the_subscription_was_saved_is_refused(
    db, subscribe, receiver, published, monkeypatch, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    fake_dns(monkeypatch, PUBLIC, "127.0.0.1")  # public when saved, loopback at delivery
    subscription = Subscription(
        name="Rebind", url=f"http://rebind.example.com:{receiver.port}/", events=[EventType.LIMIT_REACHED]
    )
    subscription.full_clean()
    subscription.save()
    webhook_emit(EventType.LIMIT_REACHED, {"contact_id": 1})
    assert delivery_send(delivery_id=Delivery.objects.get().pk) == DeliveryStatus.DEAD
    assert receiver.received == []


@SENDS
def test_the_connection_goes_to_the_address_checked_with_the_host_named(
    db, subscribe, receiver, published, monkeypatch, settings
):
    """The name is resolved once, at the check; the connection uses that address, and the
    receiver reads the URL's host in the Host header."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    fake_dns(monkeypatch, "127.0.0.1", "10.255.255.1")  # a second resolution would go nowhere
    subscribe(url=f"http://crm.example.com:{receiver.port}/in")
    webhook_emit(EventType.LIMIT_REACHED, {"contact_id": 1})
    assert delivery_send(delivery_id=Delivery.objects.get().pk) == DeliveryStatus.DELIVERED
    (got,) = receiver.received
    assert got.headers["Host"] == f"crm.example.com:{receiver.port}"
    assert got.path == "/in"
