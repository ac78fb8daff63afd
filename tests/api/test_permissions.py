"""Who may call the API: the sales endpoints need the Sales or Reference manager role."""


def test_the_api_needs_a_sales_or_manager_role(client, marketer, references):
    assert client.get("/api/references/").status_code == 403
    client.force_login(marketer)
    assert client.get("/api/references/").status_code == 403
    assert client.get("/api/requests/").status_code == 403
