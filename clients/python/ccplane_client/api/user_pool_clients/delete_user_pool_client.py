from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user_pool_client import UserPoolClient
from ...types import UNSET, Response, Unset


def _get_kwargs(
    namespace: str,
    name: str,
    *,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/namespaces/{namespace}/user-pool-clients/{name}".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UserPoolClient:
    if response.status_code == 202:
        response_202 = UserPoolClient.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | UserPoolClient]:
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
    if_match: str | Unset = UNSET,
) -> Response[Problem | UserPoolClient]:
    """Delete a UserPoolClient

     Requests deletion and answers at once. The resource stays readable in phase `Deleting` until
    the reconciler has deleted the client in AWS (or, under `deletionPolicy: Retain`, let go of
    it); then reads answer 404. Its events stay readable.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClient]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        if_match=if_match,
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
    if_match: str | Unset = UNSET,
) -> Problem | UserPoolClient | None:
    """Delete a UserPoolClient

     Requests deletion and answers at once. The resource stays readable in phase `Deleting` until
    the reconciler has deleted the client in AWS (or, under `deletionPolicy: Retain`, let go of
    it); then reads answer 404. Its events stay readable.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPoolClient
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        client=client,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    if_match: str | Unset = UNSET,
) -> Response[Problem | UserPoolClient]:
    """Delete a UserPoolClient

     Requests deletion and answers at once. The resource stays readable in phase `Deleting` until
    the reconciler has deleted the client in AWS (or, under `deletionPolicy: Retain`, let go of
    it); then reads answer 404. Its events stay readable.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClient]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    if_match: str | Unset = UNSET,
) -> Problem | UserPoolClient | None:
    """Delete a UserPoolClient

     Requests deletion and answers at once. The resource stays readable in phase `Deleting` until
    the reconciler has deleted the client in AWS (or, under `deletionPolicy: Retain`, let go of
    it); then reads answer 404. Its events stay readable.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPoolClient
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            client=client,
            if_match=if_match,
        )
    ).parsed
