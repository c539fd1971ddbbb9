from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.new_user_pool_client import NewUserPoolClient
from ...models.problem import Problem
from ...models.user_pool_client import UserPoolClient
from ...types import UNSET, Response, Unset


def _get_kwargs(
    namespace: str,
    *,
    body: NewUserPoolClient,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/namespaces/{namespace}/user-pool-clients".format(
            namespace=quote(str(namespace), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UserPoolClient:
    if response.status_code == 201:
        response_201 = UserPoolClient.from_dict(response.json())

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
) -> Response[Problem | UserPoolClient]:
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
    body: NewUserPoolClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | UserPoolClient]:
    """Create a UserPoolClient named in the body

     Like PUT, but answers 409 when the name exists. Retries with the same `Idempotency-Key` (and
    the same body) replay the first answer for 24 hours, with `Idempotent-Replayed: true`.

    Args:
        namespace (str):
        idempotency_key (str | Unset):
        body (NewUserPoolClient): The body of a POST: a name and the desired state; only `name`
            and `properties` are required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClient]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    *,
    client: AuthenticatedClient,
    body: NewUserPoolClient,
    idempotency_key: str | Unset = UNSET,
) -> Problem | UserPoolClient | None:
    """Create a UserPoolClient named in the body

     Like PUT, but answers 409 when the name exists. Retries with the same `Idempotency-Key` (and
    the same body) replay the first answer for 24 hours, with `Idempotent-Replayed: true`.

    Args:
        namespace (str):
        idempotency_key (str | Unset):
        body (NewUserPoolClient): The body of a POST: a name and the desired state; only `name`
            and `properties` are required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPoolClient
    """

    return sync_detailed(
        namespace=namespace,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    *,
    client: AuthenticatedClient,
    body: NewUserPoolClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | UserPoolClient]:
    """Create a UserPoolClient named in the body

     Like PUT, but answers 409 when the name exists. Retries with the same `Idempotency-Key` (and
    the same body) replay the first answer for 24 hours, with `Idempotent-Replayed: true`.

    Args:
        namespace (str):
        idempotency_key (str | Unset):
        body (NewUserPoolClient): The body of a POST: a name and the desired state; only `name`
            and `properties` are required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClient]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    *,
    client: AuthenticatedClient,
    body: NewUserPoolClient,
    idempotency_key: str | Unset = UNSET,
) -> Problem | UserPoolClient | None:
    """Create a UserPoolClient named in the body

     Like PUT, but answers 409 when the name exists. Retries with the same `Idempotency-Key` (and
    the same body) replay the first answer for 24 hours, with `Idempotent-Replayed: true`.

    Args:
        namespace (str):
        idempotency_key (str | Unset):
        body (NewUserPoolClient): The body of a POST: a name and the desired state; only `name`
            and `properties` are required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPoolClient
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
