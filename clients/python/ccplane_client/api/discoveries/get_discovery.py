from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.discovery import Discovery
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    namespace: str,
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/namespaces/{namespace}/discoveries/{id}".format(
            namespace=quote(str(namespace), safe=""),
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Discovery | Problem:
    if response.status_code == 200:
        response_200 = Discovery.from_dict(response.json())

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
    id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Discovery | Problem]:
    """Read a discovery

     Its phase and counts, and every client it listed: its state, the AWS service that owns it if
    any, and for each client read the proposed name and document (`adopt.identifier` set).

    Args:
        namespace (str):
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Discovery | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        id=id,
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
) -> Discovery | Problem | None:
    """Read a discovery

     Its phase and counts, and every client it listed: its state, the AWS service that owns it if
    any, and for each client read the proposed name and document (`adopt.identifier` set).

    Args:
        namespace (str):
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Discovery | Problem
    """

    return sync_detailed(
        namespace=namespace,
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Discovery | Problem]:
    """Read a discovery

     Its phase and counts, and every client it listed: its state, the AWS service that owns it if
    any, and for each client read the proposed name and document (`adopt.identifier` set).

    Args:
        namespace (str):
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Discovery | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    id: str,
    *,
    client: AuthenticatedClient,
) -> Discovery | Problem | None:
    """Read a discovery

     Its phase and counts, and every client it listed: its state, the AWS service that owns it if
    any, and for each client read the proposed name and document (`adopt.identifier` set).

    Args:
        namespace (str):
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Discovery | Problem
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            id=id,
            client=client,
        )
    ).parsed
