from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.adopt_clients import AdoptClients
from ...models.adopted import Adopted
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    namespace: str,
    id: str,
    *,
    body: AdoptClients,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/namespaces/{namespace}/discoveries/{id}/adopt".format(
            namespace=quote(str(namespace), safe=""),
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Adopted | Problem:
    if response.status_code == 201:
        response_201 = Adopted.from_dict(response.json())

        return response_201

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
) -> Response[Adopted | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: AdoptClients,
) -> Response[Adopted | Problem]:
    """Adopt clients from a discovery

     Creates one resource per client in one transaction: all or none, every refusal listed as a
    rejected document's errors are (an unknown or unread client, one already managed, a name
    taken, a proposed document ccplane would refuse). No Cloud Control call changes anything: each
    resource's first step reads its client and, the document being the client's own, it becomes
    `Ready` with plan `none`. With `all`, clients another AWS service owns and clients already
    managed are skipped, and listed as such.

    Args:
        namespace (str):
        id (str):
        body (AdoptClients): What to adopt from a discovery: the clients (by id, or all), and what
            their documents add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Adopted | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: AdoptClients,
) -> Adopted | Problem | None:
    """Adopt clients from a discovery

     Creates one resource per client in one transaction: all or none, every refusal listed as a
    rejected document's errors are (an unknown or unread client, one already managed, a name
    taken, a proposed document ccplane would refuse). No Cloud Control call changes anything: each
    resource's first step reads its client and, the document being the client's own, it becomes
    `Ready` with plan `none`. With `all`, clients another AWS service owns and clients already
    managed are skipped, and listed as such.

    Args:
        namespace (str):
        id (str):
        body (AdoptClients): What to adopt from a discovery: the clients (by id, or all), and what
            their documents add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Adopted | Problem
    """

    return sync_detailed(
        namespace=namespace,
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: AdoptClients,
) -> Response[Adopted | Problem]:
    """Adopt clients from a discovery

     Creates one resource per client in one transaction: all or none, every refusal listed as a
    rejected document's errors are (an unknown or unread client, one already managed, a name
    taken, a proposed document ccplane would refuse). No Cloud Control call changes anything: each
    resource's first step reads its client and, the document being the client's own, it becomes
    `Ready` with plan `none`. With `all`, clients another AWS service owns and clients already
    managed are skipped, and listed as such.

    Args:
        namespace (str):
        id (str):
        body (AdoptClients): What to adopt from a discovery: the clients (by id, or all), and what
            their documents add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Adopted | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: AdoptClients,
) -> Adopted | Problem | None:
    """Adopt clients from a discovery

     Creates one resource per client in one transaction: all or none, every refusal listed as a
    rejected document's errors are (an unknown or unread client, one already managed, a name
    taken, a proposed document ccplane would refuse). No Cloud Control call changes anything: each
    resource's first step reads its client and, the document being the client's own, it becomes
    `Ready` with plan `none`. With `all`, clients another AWS service owns and clients already
    managed are skipped, and listed as such.

    Args:
        namespace (str):
        id (str):
        body (AdoptClients): What to adopt from a discovery: the clients (by id, or all), and what
            their documents add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Adopted | Problem
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            id=id,
            client=client,
            body=body,
        )
    ).parsed
