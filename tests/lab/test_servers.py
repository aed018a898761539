"""Server models beyond capacity: outage windows, token-bucket rate limits, and their files."""

from __future__ import annotations

import pytest

from tui_app.lab import load_faults
from tui_app.lab.servers import server_from_dict
from tui_app.simulator.steps import ScenarioError


def test_an_outage_window_cuts_capacity(compare):
    got = compare("outage", "none", requests=100, arrival=2)["none"]
    steady = compare("crowded", "none", requests=100, arrival=2)["none"]
    assert got["succeeded"] < steady["succeeded"] == 100


def test_a_token_bucket_refuses_with_retry_after_at_its_refill(compare):
    """60 a minute, 80 arriving together: 60 in the bucket, then one a second; every 429
    says retry-after 1 (whole seconds), which the SDK's policy obeys and the article ignores."""
    got = compare("token-bucket", "none", "sdk-default", requests=80)
    assert got["none"]["succeeded"] == 60 and got["none"]["give_ups"] == {"max_attempts": 20}
    sdk = got["sdk-default"]
    assert sdk["waiting_seconds"] == pytest.approx(sdk["attempts"] - 80)  # each retry waited 1 s


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"server": {"capacity": 0}}, "server.capacity: must be a whole number >= 1, not 0 (e.g. capacity = 20)"),
        ({"server": {"capacty": 3}}, "server.capacty: unknown key (allowed: "),
        ({"server": {"status": 404}}, "server.status: unsupported status 404 (use one of: 429, 500,"),
        ({"server": {"ttft": -1}}, "server.ttft: must be a number > 0, not -1 (e.g. ttft = 1.5)"),
        (
            {"server": {"outages": [{"start": 5, "end": 2, "capacity": 1}]}},
            "server.outages[0].end: must be after start (5), not 2 (make end > start)",
        ),
        ({"server": {"rate_limit": {"rpm": 3}}}, "server.rate_limit: must hold requests_per_minute only"),
        ({"server": 3}, "server: must be a table (write it as [server])"),
    ],
)
def test_a_bad_server_model_is_one_line_naming_the_field(data, message):
    with pytest.raises(ScenarioError) as caught:
        server_from_dict(data, source="busy.toml", default_name="busy")
    assert str(caught.value).startswith(f"busy.toml: {message}") and "\n" not in str(caught.value)


def test_a_file_with_a_server_table_is_a_server_model(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text("[server]\ncapacity = 2\nretry_after = 1.5\n", encoding="utf-8")
    server = load_faults(str(path))
    assert (server.name, server.capacity, server.retry_after, server.error_type) == ("tiny", 2, 1.5, "overloaded_error")
