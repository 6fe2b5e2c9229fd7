import uvicorn

if __name__ == "__main__":
    uvicorn.run("admin.app:app", host="0.0.0.0", reload=True)
  # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/dev-server appRun
