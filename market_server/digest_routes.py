"""Digest endpoints: the feed of out-of-province catalog digests, and one catalog record read in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Response

from market_server import digests
from market_server.body_encoding import compress_page
from market_server.deps import CurrentUser, EngineDep, ProtocolDep, SettingsDep, require_own_device
from market_server.errors import ApiError
from sync.digests import home_province
from sync.protocol import CatalogRecord, DigestRequest, DigestResponse, ErrorBody

router = APIRouter(tags=["digests"])
_ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorBody} for code in (401, 403, 404, 422, 426)}


@router.post("/sync/digests", responses={200: {"model": DigestResponse}, **_ERRORS})
def digest_feed(
    body: DigestRequest, user: CurrentUser, engine: EngineDep, settings: SettingsDep, _protocol: ProtocolDep,
    accept_encoding: Annotated[str, Header()] = "",
) -> Response:
    """The next page of digests of the catalog outside the user's home province (none without one)."""
    require_own_device(user, body.device_id)
    if body.province is not None:  # a province's public feed, for its digest snapshot
        if not user.is_admin:
            raise ApiError(403, "forbidden")
        page = digests.digest_page(engine, user, body.province, body, public=True)
    else:
        page = digests.digest_page(engine, user, home_province(settings.home_province, user.province,
                                                               user.is_admin), body)
    content, headers = compress_page(page.model_dump_json().encode(), accept_encoding)
    return Response(content, media_type="application/json", headers=headers)


@router.get("/catalog/{entity}/{row_id}", responses=_ERRORS)
def catalog_record(
    entity: Annotated[str, Path(pattern=r"^[a-z_]{1,32}$")],
    row_id: Annotated[str, Path(min_length=1, max_length=36)],
    user: CurrentUser, engine: EngineDep, _protocol: ProtocolDep,
) -> CatalogRecord:
    """One catalog record in full as this user may read it (a digest opened in the app)."""
    try:
        return digests.catalog_record(engine, user, entity, row_id)
    except digests.NotInCatalog:
        raise ApiError(404, "not_found") from None
