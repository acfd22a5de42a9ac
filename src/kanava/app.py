"""create_app(): the API routers and the home page, on an engine made from settings."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from kanava import problems
from kanava.auth.api import router as auth_router
from kanava.booking.api import router as booking_router
from kanava.catalogue.api import router as catalogue_router
from kanava.clock import now as clock_now
from kanava.config import Settings, get_settings
from kanava.db import make_engine, make_session_factory

_HOME = """<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>kanava</title></head>
<body>
<main>
<h1>kanava</h1>
<p lang="fi">Kelan henkilöasiakkaiden palvelukanavat, palveluverkko ja ajanvaraus.</p>
<p lang="sv">FPA:s servicekanaler för personkunder, servicenätet och tidsbokning.</p>
<p lang="en">Kela's service channels for personal customers, its service network
and appointments.</p>
<ul>
<li><a href="/api/docs">API documentation (OpenAPI)</a></li>
<li><a href="/api/v1/">API index</a></li>
<li><a href="/api/v1/guide?topic=toimeentulotuki&amp;municipality=Laukaa">Channel guide:
social assistance, Laukaa</a></li>
<li><a href="/api/v1/channels?kind=phone_line">Phone lines</a></li>
</ul>
</main>
</body>
</html>
"""


@asynccontextmanager
async def _freeze_long_lived_objects(_app: FastAPI) -> AsyncIterator[None]:
    """Keep what is loaded at start (modules, data, caches) out of the collector's full
    scans, which otherwise stall requests periodically."""
    gc.collect()
    gc.freeze()
    yield


def create_app(
    settings: Settings | None = None, clock: Callable[[], datetime] = clock_now
) -> FastAPI:
    """Build the application; nothing connects until the first request."""
    settings = settings or get_settings()
    engine = make_engine(settings)
    app = FastAPI(
        title="kanava",
        version="0.1.0",
        description="Kela's service channels, network and figures (fi/sv/en).",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_freeze_long_lived_objects,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.clock = clock
    problems.install(app)
    app.include_router(catalogue_router)
    app.include_router(booking_router)
    app.include_router(auth_router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return _HOME

    return app
