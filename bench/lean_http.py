"""A lean HTTP/1.1 keep-alive client for load generation on the server's own machine.

The benchmarks run client and server on the same two cores: a general client (httpx
spends about 2 ms of CPU per request) would take the cores it is meant to measure.
This one writes prepared request bytes and reads the status line, the headers and a
Content-Length body, nothing more: a few tens of microseconds per request.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any


class Connection:
    """One persistent connection; requests on it are sent one after another."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader = reader
        self.writer = writer
        self.host = host

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer, f"{host}:{port}")

    async def get(self, path: str) -> tuple[int, bytes]:
        """The status code and the body of a GET."""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        return await self._response()

    async def post_json(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        """The status code and the body of a POST with a JSON body."""
        body = json.dumps(payload).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        return await self._response()

    async def _response(self) -> tuple[int, bytes]:
        headers = await self.reader.readuntil(b"\r\n\r\n")
        status = int(headers[9:12])
        length = 0
        for line in headers.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


class Visitor:
    """Requests on keep-alive connections, each closed after ``per_connection`` requests
    and a new one opened, as customers come and go. (Connections opened all at once and
    kept would be split between the server's worker processes once, by the chance of
    which was waiting to accept, and stay that way: one process might get most of them.)
    """

    def __init__(self, host: str, port: int, per_connection: int = 10) -> None:
        self.host = host
        self.port = port
        self.per_connection = per_connection
        self.connection: Connection | None = None
        self.used = 0

    async def _ready(self) -> Connection:
        if self.connection is not None and self.used == self.per_connection:
            self.close()
        if self.connection is None:
            self.connection = await Connection.open(self.host, self.port)
            self.used = 0
        self.used += 1
        return self.connection

    async def get(self, path: str) -> tuple[int, bytes]:
        return await (await self._ready()).get(path)

    async def post_json(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        return await (await self._ready()).post_json(path, payload)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
