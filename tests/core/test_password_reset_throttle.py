"""Password reset throttling: at most 3 mails per address and 10 requests per client address an hour.
Past the address's limit the page answers as usual and sends nothing; past the client's, 429."""

from django.core import mail
from django.test import Client

CLIENT = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def ask_reset(client, email: str, *, ip: str = CLIENT):
    return client.post("/password-reset/", {"email": email}, REMOTE_ADDR=ip, follow=True)


def test_the_fourth_request_for_one_address_sends_no_mail_but_answers_the_same(client, sales_rep):
    answers = [ask_reset(client, sales_rep.email) for _ in range(3)]
    assert len(mail.outbox) == 3

    fourth = ask_reset(Client(), sales_rep.email.upper(), ip=ELSEWHERE)  # any case, any client

    assert len(mail.outbox) == 3
    assert fourth.status_code == 200
    assert fourth.redirect_chain == answers[0].redirect_chain == [("/password-reset/sent/", 302)]
    assert fourth.content == answers[0].content


def test_a_look_alike_address_that_reaches_the_same_user_shares_the_count(client, sales_rep):
    """Django matches "ſally@…" (a long s) to sally@… when it picks whom to mail (on PostgreSQL):
    three look-alike requests use up the address's hour, whatever the database matched."""
    assert sales_rep.email.startswith("s")
    for _ in range(3):
        ask_reset(client, "ſ" + sales_rep.email[1:])
    mails_before = len(mail.outbox)

    ask_reset(Client(), sales_rep.email, ip=ELSEWHERE)

    assert len(mail.outbox) == mails_before


def test_the_address_limit_is_per_address(client, sales_rep, other_rep):
    for _ in range(3):
        ask_reset(client, sales_rep.email)

    ask_reset(client, other_rep.email)

    assert [message.to for message in mail.outbox[-1:]] == [[other_rep.email]]
    assert len(mail.outbox) == 4


def test_an_unknown_address_looks_the_same_before_and_after_its_limit(client, db):
    answers = [ask_reset(client, "nobody@nowhere.test") for _ in range(4)]

    assert len(mail.outbox) == 0
    assert {answer.content for answer in answers} == {answers[0].content}


def test_a_client_asking_too_often_gets_a_429_saying_so(client, sales_rep):
    for n in range(10):
        assert ask_reset(client, f"person{n}@example.test").status_code == 200

    refused = ask_reset(client, sales_rep.email)

    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert len(mail.outbox) == 0
    assert ask_reset(Client(), sales_rep.email, ip=ELSEWHERE).status_code == 200
    assert len(mail.outbox) == 1


def test_malformed_requests_count_against_the_client(client, db):
    for _ in range(10):
        assert ask_reset(client, "not an address").status_code == 200  # the form's error

    assert ask_reset(client, "not an address").status_code == 429
