from fastapi import APIRouter, Depends

from ..auth import get_current_user

router = APIRouter(prefix="/v1/users", tags=["users"])


@router.get("/{user_id}")
async def read_user(
    user_id: int,
    user=Depends(get_current_user),
):
    return {"id": user_id}


@router.get("/")
async def list_users(user=Depends(get_current_user)):
    return []
