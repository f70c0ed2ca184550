from fastapi import APIRouter, Depends, Security

from ..auth import get_current_user

router = APIRouter(
    prefix="/items",
    dependencies=[Security(get_current_user, scopes=["items"])],
)


@router.post("/")
async def create_item(item: dict):
    return item
