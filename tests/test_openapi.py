"""The API's OpenAPI description is kept true by schemathesis against the live, served app."""

from __future__ import annotations

from xml.etree import ElementTree

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_api_matches_its_description(live_url):
    schema = schemathesis.openapi.from_url(f"{live_url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/search", "/healthz"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            # Status, content type and body must be what the description says; never a 500.
            case.call_and_validate()

        check()


def test_opensearch_description_is_linked_and_valid(client):
    home = client.get("/").get_data(as_text=True)
    assert 'rel="search" type="application/opensearchdescription+xml"' in home
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ElementTree.fromstring(response.get_data())
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    template = root.find("os:Url[@type='text/html']", ns).get("template")
    assert template.endswith("/search?q={searchTerms}")
    assert root.find("os:ShortName", ns).text
