"""Every router of the pages, in the order their paths must be matched."""

from __future__ import annotations

from fastapi import APIRouter

from kanava.web import (
    absence_pages,
    auth_pages,
    booking_pages,
    brief_pages,
    callback_pages,
    corrections_pages,
    manage_pages,
    manager_pages,
    network_pages,
    partner_pages,
    public,
    staff_pages,
    staffing_pages,
    statistics_pages,
)


def routers() -> list[APIRouter]:
    return [
        public.router,
        booking_pages.router,
        manage_pages.router,
        callback_pages.router,
        auth_pages.router,
        staff_pages.router,
        partner_pages.router,
        manager_pages.router,
        absence_pages.router,
        corrections_pages.router,
        staffing_pages.router,
        statistics_pages.router,
        network_pages.router,
        brief_pages.router,
    ]
