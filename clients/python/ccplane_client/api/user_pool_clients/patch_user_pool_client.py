from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user_pool_client import UserPoolClient
from ...models.user_pool_client_patch import UserPoolClientPatch
from ...types import UNSET, Response, Unset


def _get_kwargs(
    namespace: str,
    name: str,
    *,
    body: UserPoolClientPatch,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/namespaces/{namespace}/user-pool-clients/{name}".format(
            namespace=quote(str(namespace), safe=""),
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/merge-patch+json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UserPoolClient:
    if response.status_code == 200:
        response_200 = UserPoolClient.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
    name: str,
    *,
    client: AuthenticatedClient,
    body: UserPoolClientPatch,
    if_match: str | Unset = UNSET,
) -> Response[Problem | UserPoolClient]:
    """Change part of a UserPoolClient

     A JSON Merge Patch (RFC 7396) of the desired state, sent as `application/merge-patch+json`:
    fields present replace, `null` removes, objects merge. The result is validated as a whole.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):
        body (UserPoolClientPatch): A JSON Merge Patch (RFC 7396) of a UserPoolClient's desired
            state: every field is optional.

            A field that is absent stays as it is; `null` removes it, which brings back its default
            (for
            a label or a property: removes it). Objects merge recursively, arrays are replaced whole.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClient]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        body=body,
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
    body: UserPoolClientPatch,
    if_match: str | Unset = UNSET,
) -> Problem | UserPoolClient | None:
    """Change part of a UserPoolClient

     A JSON Merge Patch (RFC 7396) of the desired state, sent as `application/merge-patch+json`:
    fields present replace, `null` removes, objects merge. The result is validated as a whole.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):
        body (UserPoolClientPatch): A JSON Merge Patch (RFC 7396) of a UserPoolClient's desired
            state: every field is optional.

            A field that is absent stays as it is; `null` removes it, which brings back its default
            (for
            a label or a property: removes it). Objects merge recursively, arrays are replaced whole.

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
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: UserPoolClientPatch,
    if_match: str | Unset = UNSET,
) -> Response[Problem | UserPoolClient]:
    """Change part of a UserPoolClient

     A JSON Merge Patch (RFC 7396) of the desired state, sent as `application/merge-patch+json`:
    fields present replace, `null` removes, objects merge. The result is validated as a whole.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):
        body (UserPoolClientPatch): A JSON Merge Patch (RFC 7396) of a UserPoolClient's desired
            state: every field is optional.

            A field that is absent stays as it is; `null` removes it, which brings back its default
            (for
            a label or a property: removes it). Objects merge recursively, arrays are replaced whole.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPoolClient]
    """

    kwargs = _get_kwargs(
        namespace=namespace,
        name=name,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    namespace: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: UserPoolClientPatch,
    if_match: str | Unset = UNSET,
) -> Problem | UserPoolClient | None:
    """Change part of a UserPoolClient

     A JSON Merge Patch (RFC 7396) of the desired state, sent as `application/merge-patch+json`:
    fields present replace, `null` removes, objects merge. The result is validated as a whole.

    Args:
        namespace (str):
        name (str):
        if_match (str | Unset):
        body (UserPoolClientPatch): A JSON Merge Patch (RFC 7396) of a UserPoolClient's desired
            state: every field is optional.

            A field that is absent stays as it is; `null` removes it, which brings back its default
            (for
            a label or a property: removes it). Objects merge recursively, arrays are replaced whole.

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
            body=body,
            if_match=if_match,
        )
    ).parsed
