"""The whole life of a UserPoolClient through the published client, against a live `ccplane serve`
(CCPLANE_URL, CCPLANE_TOKEN; scripts/test-clients.sh starts one)."""

import json
import os
import pathlib
import time

from ccplane_client import AuthenticatedClient
from ccplane_client.api.events import list_user_pool_client_events
from ccplane_client.api.user_pool_clients import (
    delete_user_pool_client,
    get_user_pool_client,
    list_user_pool_clients,
    patch_user_pool_client,
    plan_user_pool_client,
    put_user_pool_client,
)
from ccplane_client.models import (
    Phase,
    Problem,
    UserPoolClient,
    UserPoolClientDocument,
    UserPoolClientPatch,
    UserPoolClientPatchLabelsType0,
    UserPoolClientPropertiesPatch,
)
from ccplane_client.types import Response

BASE_URL = os.environ.get("CCPLANE_URL", "http://127.0.0.1:8080")
TOKEN = os.environ.get("CCPLANE_TOKEN", "")
FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "tests" / "fixtures"
NAMESPACE = "python-client"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def resource(response: Response) -> UserPoolClient:
    assert isinstance(response.parsed, UserPoolClient), response.content
    return response.parsed


def wait_until_ready(api: AuthenticatedClient, name: str) -> Response:
    """Reads the client until it is Ready at its latest generation (the reconciler runs on its own)."""
    deadline = time.monotonic() + 120
    while True:
        response = get_user_pool_client.sync_detailed(NAMESPACE, name, client=api)
        current = resource(response)
        assert current.status.phase != Phase.FAILED, response.content
        if current.status.phase == Phase.READY and current.status.observed_generation == current.metadata.generation:
            return response
        assert time.monotonic() < deadline, f"{name} did not become Ready"
        time.sleep(0.5)


def test_a_client_goes_from_put_to_ready_is_patched_listed_planned_and_deleted():
    api = AuthenticatedClient(base_url=BASE_URL, token=TOKEN)
    name = f"web-{int(time.time() * 1000)}"

    document = UserPoolClientDocument.from_dict({"labels": {"suite": "python"}, "properties": fixture("seed-basic")})
    created = put_user_pool_client.sync_detailed(NAMESPACE, name, client=api, body=document, if_none_match="*")
    assert created.status_code == 201, created.content
    assert resource(created).paused is False, "defaults are applied by the server"
    assert created.headers["location"] == f"/v1/namespaces/{NAMESPACE}/user-pool-clients/{name}"

    ready = wait_until_ready(api, name)
    assert resource(ready).status.observed_properties.client_name == "exampleAppClient"
    etag = ready.headers["etag"]

    patch = UserPoolClientPatch(
        labels=UserPoolClientPatchLabelsType0.from_dict({"tier": "gold"}),
        properties=UserPoolClientPropertiesPatch(client_name="renamedAppClient", logout_ur_ls=None),
    )
    patched = patch_user_pool_client.sync_detailed(NAMESPACE, name, client=api, body=patch, if_match=etag)
    assert patched.status_code == 200, patched.content
    assert resource(patched).properties.client_name == "renamedAppClient"
    assert "LogoutURLs" not in resource(patched).properties.to_dict()
    stale = patch_user_pool_client.sync_detailed(
        NAMESPACE, name, client=api, body=UserPoolClientPatch(paused=True), if_match=etag
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, Problem) and stale.parsed.type_.endswith("/precondition-failed")
    wait_until_ready(api, name)

    gold = list_user_pool_clients.sync(NAMESPACE, client=api, labels="tier=gold")
    assert [item.name for item in gold.items] == [name]

    events = list_user_pool_client_events.sync(NAMESPACE, name, client=api)
    kinds = [event.kind for event in events.items]
    assert "SpecCreated" in kinds and "SpecChanged" in kinds, kinds
    change = next(event for event in events.items if event.kind == "SpecChanged")
    assert "/properties/ClientName" in change.data.changed_fields

    planned = plan_user_pool_client.sync(
        NAMESPACE,
        name,
        client=api,
        body=UserPoolClientDocument.from_dict({"properties": {**fixture("seed-basic"), "ClientName": "plannedAppClient"}}),
    )
    assert planned.action == "update"
    assert any(op.path == "/ClientName" and op.value == "plannedAppClient" for op in planned.patch)

    deleting = delete_user_pool_client.sync_detailed(NAMESPACE, name, client=api)
    assert deleting.status_code == 202
    assert resource(deleting).status.phase == Phase.DELETING
    deadline = time.monotonic() + 120
    while get_user_pool_client.sync_detailed(NAMESPACE, name, client=api).status_code != 404:
        assert time.monotonic() < deadline, f"{name} was not deleted"
        time.sleep(0.5)


def test_a_rejected_document_names_every_wrong_field():
    api = AuthenticatedClient(base_url=BASE_URL, token=TOKEN)
    document = UserPoolClientDocument.from_dict(
        {"region": "moon", "properties": {"UserPoolId": "us-east-1_examplePoolId", "CallbackURLs": ["http://example.com/cb"]}}
    )
    rejected = put_user_pool_client.sync_detailed(NAMESPACE, "invalid", client=api, body=document)
    assert rejected.status_code == 422
    assert isinstance(rejected.parsed, Problem)
    pointers = [error.pointer for error in rejected.parsed.errors]
    assert "/region" in pointers and "/properties/CallbackURLs/0" in pointers, pointers
