from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.plan import Plan
from ...models.problem import Problem
from ...models.user_pool_client_document import UserPoolClientDocument
from ...types import Response


def _get_kwargs(
    namespace: str,
    name: str,
    *,
    body: UserPoolClientDocument,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/namespaces/{namespace}/user-pool-clients/{name}/plan".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Plan | Problem:
    if response.status_code == 200:
        response_200 = Plan.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Plan | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: UserPoolClientDocument,
) -> Response[Plan | Problem]:
    """Plan a document without storing it

     What a candidate document would do to the client: `create`, `update`, `replace`, `none`, or
    `reject` (a replacement the policy refuses), with the exact JSON Patch and the Cloud Control
    calls it would take. Under `managementPolicy: Observe` it is always `none`: the differences are
    listed (they are reported as drift) and a warning says nothing is sent. Reads the live client
    from AWS; stores and changes nothing.

    Args:
        namespace (str):
        name (str):
        body (UserPoolClientDocument): A UserPoolClient's desired state as PUT and plan take it;
            only `properties` is required.

            The server fills in every other field's default when it is absent or `null`, and the
            response
            shows the result. This type documents the body: the handlers validate the raw JSON, so
            that a
            bad document reports every violation at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Plan | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: UserPoolClientDocument,
) -> Plan | Problem | None:
    """Plan a document without storing it

     What a candidate document would do to the client: `create`, `update`, `replace`, `none`, or
    `reject` (a replacement the policy refuses), with the exact JSON Patch and the Cloud Control
    calls it would take. Under `managementPolicy: Observe` it is always `none`: the differences are
    listed (they are reported as drift) and a warning says nothing is sent. Reads the live client
    from AWS; stores and changes nothing.

    Args:
        namespace (str):
        name (str):
        body (UserPoolClientDocument): A UserPoolClient's desired state as PUT and plan take it;
            only `properties` is required.

            The server fills in every other field's default when it is absent or `null`, and the
            response
            shows the result. This type documents the body: the handlers validate the raw JSON, so
            that a
            bad document reports every violation at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Plan | Problem
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: UserPoolClientDocument,
) -> Response[Plan | Problem]:
    """Plan a document without storing it

     What a candidate document would do to the client: `create`, `update`, `replace`, `none`, or
    `reject` (a replacement the policy refuses), with the exact JSON Patch and the Cloud Control
    calls it would take. Under `managementPolicy: Observe` it is always `none`: the differences are
    listed (they are reported as drift) and a warning says nothing is sent. Reads the live client
    from AWS; stores and changes nothing.

    Args:
        namespace (str):
        name (str):
        body (UserPoolClientDocument): A UserPoolClient's desired state as PUT and plan take it;
            only `properties` is required.

            The server fills in every other field's default when it is absent or `null`, and the
            response
            shows the result. This type documents the body: the handlers validate the raw JSON, so
            that a
            bad document reports every violation at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Plan | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: UserPoolClientDocument,
) -> Plan | Problem | None:
    """Plan a document without storing it

     What a candidate document would do to the client: `create`, `update`, `replace`, `none`, or
    `reject` (a replacement the policy refuses), with the exact JSON Patch and the Cloud Control
    calls it would take. Under `managementPolicy: Observe` it is always `none`: the differences are
    listed (they are reported as drift) and a warning says nothing is sent. Reads the live client
    from AWS; stores and changes nothing.

    Args:
        namespace (str):
        name (str):
        body (UserPoolClientDocument): A UserPoolClient's desired state as PUT and plan take it;
            only `properties` is required.

            The server fills in every other field's default when it is absent or `null`, and the
            response
            shows the result. This type documents the body: the handlers validate the raw JSON, so
            that a
            bad document reports every violation at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Plan | Problem
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            client=client,
            body=body,
        )
    ).parsed
