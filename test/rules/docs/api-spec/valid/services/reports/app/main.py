from fastapi import FastAPI

app = FastAPI(title="Reports", docs_url=None)


@app.get("/reports/{report_id}")
def get_report(report_id: str):
    return {"id": report_id}
