"""Who may call the API: the sales endpoints need the Sales or Reference manager role; the
requests endpoint lets marketing in too (campaign requests, their own only)."""


def test_the_api_needs_a_sales_or_manager_role(client, marketer, references):
    assert client.get("/api/references/").status_code == 401
    client.force_login(marketer)
    assert client.get("/api/references/").status_code == 403


def test_marketing_lists_only_their_own_requests(client, marketer, ref_request):
    client.force_login(marketer)
    response = client.get("/api/requests/")
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert client.get(f"/api/requests/{ref_request.pk}/").status_code == 404
