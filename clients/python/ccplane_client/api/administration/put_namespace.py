from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.namespace import Namespace
from ...models.namespace_settings import NamespaceSettings
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    namespace: str,
    *,
    body: NamespaceSettings,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/namespaces/{namespace}".format(
            namespace=quote(str(namespace), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Namespace | Problem:
    if response.status_code == 200:
        response_200 = Namespace.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Namespace.from_dict(response.json())

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
) -> Response[Namespace | Problem]:
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
    body: NamespaceSettings,
) -> Response[Namespace | Problem]:
    """Set a namespace's AWS targets

     The regions its documents may name (empty: any) and the IAM role Cloud Control assumes for its
    operations. Needs `admin` on every namespace.

    Args:
        namespace (str):
        body (NamespaceSettings): The body of `PUT /v1/namespaces/{namespace}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Namespace | Problem]
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
    body: NamespaceSettings,
) -> Namespace | Problem | None:
    """Set a namespace's AWS targets

     The regions its documents may name (empty: any) and the IAM role Cloud Control assumes for its
    operations. Needs `admin` on every namespace.

    Args:
        namespace (str):
        body (NamespaceSettings): The body of `PUT /v1/namespaces/{namespace}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Namespace | Problem
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
    body: NamespaceSettings,
) -> Response[Namespace | Problem]:
    """Set a namespace's AWS targets

     The regions its documents may name (empty: any) and the IAM role Cloud Control assumes for its
    operations. Needs `admin` on every namespace.

    Args:
        namespace (str):
        body (NamespaceSettings): The body of `PUT /v1/namespaces/{namespace}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Namespace | Problem]
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
    body: NamespaceSettings,
) -> Namespace | Problem | None:
    """Set a namespace's AWS targets

     The regions its documents may name (empty: any) and the IAM role Cloud Control assumes for its
    operations. Needs `admin` on every namespace.

    Args:
        namespace (str):
        body (NamespaceSettings): The body of `PUT /v1/namespaces/{namespace}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Namespace | Problem
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            client=client,
            body=body,
        )
    ).parsed
