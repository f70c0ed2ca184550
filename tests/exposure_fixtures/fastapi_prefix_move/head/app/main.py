from fastapi import FastAPI

from .routers import items, users

app = FastAPI()
app.include_router(users.router)
app.include_router(items.router, prefix="/v1")


@app.get(
    "/healthz",
)
def healthz() -> dict[str, str]:
    return {"status": "ok"}
