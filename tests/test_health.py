"""GET /healthz, for the load balancer in front of several app servers: it checks the database
and the file store, answers on any host name, and says which part fails."""

import pytest

from shortbreaks.core import health


def test_healthy_on_any_host_the_load_balancer_uses(client, db):
    response = client.get("/healthz", HTTP_HOST="10.0.0.5")  # by address, not a council's host
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert client.head("/healthz", HTTP_HOST="10.0.0.5").status_code == 200


@pytest.mark.parametrize("part", ["database", "storage"])
def test_a_failing_part_makes_it_unhealthy_and_is_named(client, db, monkeypatch, part, caplog):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, part, broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()[part] == "failing"
    assert "connection refused" not in response.content.decode()  # the reason goes to the log only
    assert f"Health check failed: {part}" in caplog.text


def test_only_get_and_head(client, db):
    assert client.post("/healthz", HTTP_HOST="testserver").status_code != 200
