from fastapi import APIRouter
from sqlalchemy.orm import Session

router = APIRouter()


@router.put("/products/{sku}")
def save_product(sku: str) -> dict:
    return {"sku": sku}
