from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.phase import Phase
from ...models.problem import Problem
from ...models.user_pool_client_page import UserPoolClientPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    phase: Phase | Unset = UNSET,
    user_pool_id: str | Unset = UNSET,
    labels: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_phase: str | Unset = UNSET
    if not isinstance(phase, Unset):
        json_phase = phase.value

    params["phase"] = json_phase

    params["userPoolId"] = user_pool_id

    params["labels"] = labels

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/user-pool-clients",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UserPoolClientPage:
    if response.status_code == 200:
        response_200 = UserPoolClientPage.from_dict(response.json())

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
) -> Response[Problem | UserPoolClientPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    phase: Phase | Unset = UNSET,
    user_pool_id: str | Unset = UNSET,
    labels: str | Unset = UNSET,
) -> Response[Problem | UserPoolClientPage]:
    """List UserPoolClients in every namespace

     Every namespace the token may view, ordered by namespace then name, in pages; the same
    filters as a namespace's list.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        phase (Phase | Unset): Where a resource is in its life.
        user_pool_id (str | Unset):
        labels (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClientPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        phase=phase,
        user_pool_id=user_pool_id,
        labels=labels,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    phase: Phase | Unset = UNSET,
    user_pool_id: str | Unset = UNSET,
    labels: str | Unset = UNSET,
) -> Problem | UserPoolClientPage | None:
    """List UserPoolClients in every namespace

     Every namespace the token may view, ordered by namespace then name, in pages; the same
    filters as a namespace's list.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        phase (Phase | Unset): Where a resource is in its life.
        user_pool_id (str | Unset):
        labels (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPoolClientPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        phase=phase,
        user_pool_id=user_pool_id,
        labels=labels,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    phase: Phase | Unset = UNSET,
    user_pool_id: str | Unset = UNSET,
    labels: str | Unset = UNSET,
) -> Response[Problem | UserPoolClientPage]:
    """List UserPoolClients in every namespace

     Every namespace the token may view, ordered by namespace then name, in pages; the same
    filters as a namespace's list.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        phase (Phase | Unset): Where a resource is in its life.
        user_pool_id (str | Unset):
        labels (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClientPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        phase=phase,
        user_pool_id=user_pool_id,
        labels=labels,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    phase: Phase | Unset = UNSET,
    user_pool_id: str | Unset = UNSET,
    labels: str | Unset = UNSET,
) -> Problem | UserPoolClientPage | None:
    """List UserPoolClients in every namespace

     Every namespace the token may view, ordered by namespace then name, in pages; the same
    filters as a namespace's list.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        phase (Phase | Unset): Where a resource is in its life.
        user_pool_id (str | Unset):
        labels (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPoolClientPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            phase=phase,
            user_pool_id=user_pool_id,
            labels=labels,
        )
    ).parsed
