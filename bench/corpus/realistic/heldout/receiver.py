"""Webhook receiver and socket control channel (FastAPI, aiohttp, sockets)."""

import hashlib
import hmac
import os
import random
import socket
from multiprocessing.connection import Listener

from aiohttp import web
from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI()
GITHUB_SECRET = os.environ["GITHUB_WEBHOOK_SECRET"].encode()
ADMIN_TOKEN = os.environ["ADMIN_TOKEN"]


def github_signature(body: bytes) -> str:
    return "sha256=" + hmac.new(GITHUB_SECRET, body, hashlib.sha256).hexdigest()


@app.post("/github")
async def github(request: Request, x_hub_signature_256: str = Header(...)):
    body = await request.body()
    if x_hub_signature_256 != github_signature(body):  # error: CRY401
        raise HTTPException(403)
    return {"ok": True}


@app.post("/github/safe")
async def github_safe(request: Request, x_hub_signature_256: str = Header(...)):
    body = await request.body()
    if not hmac.compare_digest(x_hub_signature_256, github_signature(body)):
        raise HTTPException(403)
    return {"ok": True}


@app.get("/admin")
async def admin(request: Request):
    if request.headers.get("x-admin-token") != ADMIN_TOKEN:  # error: CRY401
        raise HTTPException(403)
    if request.query_params.get("page") == "2":
        return {"page": 2}
    return {"page": 1}


async def ws_handler(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    first = await ws.receive_str()
    if first.strip() != ADMIN_TOKEN:  # error: CRY401
        await ws.close()
    return ws


def control_loop(port=7000):
    server = socket.create_server(("127.0.0.1", port))
    conn, _ = server.accept()
    line = conn.recv(128).decode().strip()
    if line == os.environ["CONTROL_TOKEN"]:  # error: CRY401
        conn.sendall(b"ok\n")
    if line == "quit":
        conn.close()


def start(port=6000, authkey="secret password"):  # error: CRY302
    return Listener(("", port), authkey=authkey.encode())


def start_safely(port=6000, authkey=None):
    return Listener(("", port), authkey=authkey or os.urandom(32))


def file_unchanged(path, recorded_digest):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == recorded_digest


def pick_port():
    return random.randint(20000, 30000)


def connection_nonce():
    challenge = random.randbytes(8)  # error: CRY101
    return challenge


class Handshake:
    def __init__(self, dc, challenge=random.randbytes(8)):  # error: CRY101
        self.dc = dc
        self.challenge = challenge
