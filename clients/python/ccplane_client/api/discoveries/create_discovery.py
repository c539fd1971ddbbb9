from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.discovery import Discovery
from ...models.new_discovery import NewDiscovery
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    namespace: str,
    *,
    body: NewDiscovery,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/namespaces/{namespace}/discoveries".format(
            namespace=quote(str(namespace), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Discovery | Problem:
    if response.status_code == 202:
        response_202 = Discovery.from_dict(response.json())

        return response_202

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
) -> Response[Discovery | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    *,
    client: AuthenticatedClient,
    body: NewDiscovery,
) -> Response[Discovery | Problem]:
    """Start a discovery of a user pool

     Lists the pool through Cloud Control (every page) and reads each client ccplane does not
    manage, as background work within the read budget: it never delays a tenant's change. Answers
    at once; `GET` the `Location` to watch it (or the namespace's events, `Discovery…` kinds).

    Args:
        namespace (str):
        body (NewDiscovery): The body of a new discovery.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Discovery | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    *,
    client: AuthenticatedClient,
    body: NewDiscovery,
) -> Discovery | Problem | None:
    """Start a discovery of a user pool

     Lists the pool through Cloud Control (every page) and reads each client ccplane does not
    manage, as background work within the read budget: it never delays a tenant's change. Answers
    at once; `GET` the `Location` to watch it (or the namespace's events, `Discovery…` kinds).

    Args:
        namespace (str):
        body (NewDiscovery): The body of a new discovery.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Discovery | Problem
    """

    return sync_detailed(
        namespace=namespace,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    *,
    client: AuthenticatedClient,
    body: NewDiscovery,
) -> Response[Discovery | Problem]:
    """Start a discovery of a user pool

     Lists the pool through Cloud Control (every page) and reads each client ccplane does not
    manage, as background work within the read budget: it never delays a tenant's change. Answers
    at once; `GET` the `Location` to watch it (or the namespace's events, `Discovery…` kinds).

    Args:
        namespace (str):
        body (NewDiscovery): The body of a new discovery.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Discovery | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    *,
    client: AuthenticatedClient,
    body: NewDiscovery,
) -> Discovery | Problem | None:
    """Start a discovery of a user pool

     Lists the pool through Cloud Control (every page) and reads each client ccplane does not
    manage, as background work within the read budget: it never delays a tenant's change. Answers
    at once; `GET` the `Location` to watch it (or the namespace's events, `Discovery…` kinds).

    Args:
        namespace (str):
        body (NewDiscovery): The body of a new discovery.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Discovery | Problem
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            client=client,
            body=body,
        )
    ).parsed
