"""A loopback TCP proxy that delays every byte by a fixed time in each direction (a stand-in for `tc netem`).

Each direction is a queue of (arrival time, chunk); the writer forwards a chunk once `delay` has passed since
it arrived, so the proxy adds latency without limiting throughput, like a long pipe. The TCP handshake to the
proxy itself is not delayed; everything after it (TLS handshakes, HTTP) pays `2 * delay` per round trip.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            arrived, chunk = await queue.get()
            wait = arrived + delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not chunk:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            writer.write(chunk)
            with contextlib.suppress(OSError):
                await writer.drain()

    delivery = asyncio.create_task(deliver())
    try:
        while True:
            try:
                chunk = await reader.read(65536)
            except OSError:
                chunk = b""
            queue.put_nowait((time.monotonic(), chunk))
            if not chunk:
                break
        await delivery
    finally:
        delivery.cancel()


async def _serve(upstream_port: int, delay: float, ready: threading.Event, box: dict[str, object]) -> None:
    alive: set[asyncio.Task[None]] = set()  # strong references: the loop keeps only weak ones

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            alive.add(task)  # type: ignore[arg-type]
            task.add_done_callback(alive.discard)  # type: ignore[arg-type]
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            _pump(client_reader, server_writer, delay),
            _pump(server_reader, client_writer, delay),
            return_exceptions=True,
        )
        for writer in (client_writer, server_writer):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
    box["port"] = server.sockets[0].getsockname()[1]
    box["loop"] = asyncio.get_running_loop()
    stop = asyncio.Event()
    box["stop"] = stop
    ready.set()
    async with server:
        await stop.wait()
    pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


@contextlib.contextmanager
def latency_proxy(upstream_port: int, *, delay_ms: float) -> Iterator[int]:
    """Run the proxy in a background thread; yields the port that adds `delay_ms` each way."""
    ready = threading.Event()
    box: dict[str, object] = {}
    thread = threading.Thread(
        target=asyncio.run, args=(_serve(upstream_port, delay_ms / 1000.0, ready, box),), daemon=True
    )
    thread.start()
    ready.wait()
    try:
        yield int(box["port"])  # type: ignore[call-overload]
    finally:
        loop = box["loop"]
        stop = box["stop"]
        loop.call_soon_threadsafe(stop.set)  # type: ignore[attr-defined]
        thread.join(timeout=5)
