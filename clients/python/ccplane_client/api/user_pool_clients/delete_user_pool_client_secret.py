from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    namespace: str,
    name: str,
    secret_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/namespaces/{namespace}/user-pool-clients/{name}/secrets/{secret_id}".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
            secret_id=quote(str(secret_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    namespace: str,
    name: str,
    secret_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | Problem]:
    """Retire a secret

     Deletes one of the client's secrets in Cognito: whoever still uses it is refused from then on.
    The last one cannot be retired (`409`). Needs `editor`.

    Args:
        namespace (str):
        name (str):
        secret_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        secret_id=secret_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    namespace: str,
    name: str,
    secret_id: str,
    *,
    client: AuthenticatedClient,
) -> Any | Problem | None:
    """Retire a secret

     Deletes one of the client's secrets in Cognito: whoever still uses it is refused from then on.
    The last one cannot be retired (`409`). Needs `editor`.

    Args:
        namespace (str):
        name (str):
        secret_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        namespace=namespace,
        name=name,
        secret_id=secret_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    secret_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | Problem]:
    """Retire a secret

     Deletes one of the client's secrets in Cognito: whoever still uses it is refused from then on.
    The last one cannot be retired (`409`). Needs `editor`.

    Args:
        namespace (str):
        name (str):
        secret_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        secret_id=secret_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    secret_id: str,
    *,
    client: AuthenticatedClient,
) -> Any | Problem | None:
    """Retire a secret

     Deletes one of the client's secrets in Cognito: whoever still uses it is refused from then on.
    The last one cannot be retired (`409`). Needs `editor`.

    Args:
        namespace (str):
        name (str):
        secret_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            namespace=namespace,
            name=name,
            secret_id=secret_id,
            client=client,
        )
    ).parsed
