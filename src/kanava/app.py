"""create_app(): the API, the pages and their middleware, on an engine made from settings."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from anyio import CapacityLimiter
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from kanava import problems
from kanava.auth.api import router as auth_router
from kanava.auth.signin import SignIns
from kanava.booking.api import router as booking_router
from kanava.catalogue.api import router as catalogue_router
from kanava.clock import now as clock_now
from kanava.config import Settings, get_settings
from kanava.contacts.api import router as stats_router
from kanava.db import make_async_engine, make_engine, make_session_factory, write_concurrency
from kanava.deps import LoopTransactions, ThreadTransactions, Transactions
from kanava.network.api import router as network_router
from kanava.request_guard import RequestGuard
from kanava.staffing.api import router as staffing_router
from kanava.web import pages
from kanava.web.public import error_page
from kanava.web.security import SecurityHeaders


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Keep what is loaded at start (modules, data, caches) out of the collector's full
    scans, which otherwise stall requests periodically; close the asyncio engine's
    connections at the end."""
    gc.collect()
    gc.freeze()
    yield
    if app.state.async_engine is not None:
        await app.state.async_engine.dispose()


def _write_transactions(
    settings: Settings, factory: sessionmaker[Session], async_engine: AsyncEngine | None
) -> Transactions:
    """On the event loop with PostgreSQL, in threads with SQLite."""
    limiter = CapacityLimiter(write_concurrency(settings))
    if async_engine is None:
        return ThreadTransactions(factory, limiter)
    return LoopTransactions(async_sessionmaker(async_engine, expire_on_commit=False), limiter)


def create_app(
    settings: Settings | None = None, clock: Callable[[], datetime] = clock_now
) -> FastAPI:
    """Build the application; nothing connects until the first request."""
    settings = settings or get_settings()
    engine = make_engine(settings)
    # Swagger UI from the installed package, not a CDN: the docs work offline.
    app = FastAPIOffline(
        title="kanava",
        version="0.1.0",
        description="Kela's service channels, network and figures (fi/sv/en).",
        docs_url="/api/docs",
        redoc_url=None,
        static_url="/api/docs/assets",
        favicon_url="/static/favicon.svg",
        openapi_url="/api/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.async_engine = make_async_engine(settings)
    app.state.write_transactions = _write_transactions(
        settings, app.state.session_factory, app.state.async_engine
    )
    app.state.clock = clock
    app.state.sign_ins = SignIns.new()
    problems.install(app, page=error_page)
    app.include_router(catalogue_router)
    app.include_router(booking_router)
    app.include_router(auth_router)
    app.include_router(staffing_router)
    app.include_router(stats_router)
    app.include_router(network_router)
    app.mount("/static", StaticFiles(packages=[("kanava.web", "static")]), name="static")
    for router in pages.routers():
        app.include_router(router)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="kanava_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(RequestGuard)
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: problems.documented_openapi(app)  # type: ignore[method-assign]
    return app
