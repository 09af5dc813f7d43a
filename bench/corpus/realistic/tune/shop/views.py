"""Views of the shop: accounts, password resets, API keys, webhooks."""

import hashlib
import hmac
import random
import secrets

from flask import Flask, abort, jsonify, redirect, request, url_for

from . import settings
from .crypto import content_etag, cookie_mac
from .mail import send_mail, send_sms
from .models import ApiKey, ResetRequest, User, db
from .util import order_number, pick_banner, random_color, random_string, secure_string

app = Flask(__name__)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def create_reset_request(user):
    token = "".join(random.choices(ALPHABET, k=40))  # error: CRY101
    ResetRequest.create(user=user, token=token)
    send_mail(user.email, "Reset your password", url_for("reset", token=token, _external=True))


def create_reset_request_securely(user):
    token = secrets.token_urlsafe(32)
    ResetRequest.create(user=user, token=token)
    send_mail(user.email, "Reset your password", url_for("reset", token=token, _external=True))


@app.route("/reset/<token>", methods=["POST"])
def reset(token):
    pending = ResetRequest.query.filter(ResetRequest.token == token).first_or_404()
    if request.form["confirm"] != request.form["password"]:
        abort(400)
    pending.user.set_password(request.form["password"])
    return redirect(url_for("login"))


@app.route("/signup", methods=["POST"])
def signup():
    user = User(email=request.form["email"])
    user.activation_code = random_string(8)  # error: CRY101
    user.display_color = random_color()
    db.session.add(user)
    send_mail(user.email, "Welcome", "Your code: " + user.activation_code)
    return jsonify(ok=True, banner=pick_banner(["a", "b"]), order=order_number())


@app.route("/activate", methods=["POST"])
def activate():
    user = User.query.get_or_404(request.form["user_id"])
    if request.form["code"] != user.activation_code:  # error: CRY401
        abort(403)
    user.active = True
    return jsonify(ok=True)


@app.route("/keys", methods=["POST"])
def new_api_key():
    key = ApiKey(owner=request.form["owner"], value=secure_string(40))
    db.session.add(key)
    return jsonify(key=key.value)


@app.route("/keys/legacy", methods=["POST"])
def new_legacy_key():
    value = random_string(32)  # error: CRY101
    ApiKey(owner=request.form["owner"], value=value).save()
    return jsonify(api_key=value)


@app.route("/api/orders")
def orders():
    presented = request.headers.get(settings.API_KEY_HEADER, "")
    stored = ApiKey.query.filter_by(owner=request.args["owner"]).first()
    if stored is None or stored.value != presented:  # error: CRY401
        abort(401)
    return jsonify([])


@app.route("/hooks/payment", methods=["POST"])
def payment_hook():
    expected = hmac.new(settings.WEBHOOK_SECRET.encode(), request.data, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        abort(400)
    return "", 204


@app.route("/hooks/shipping", methods=["POST"])
def shipping_hook():
    received = request.headers.get("X-Hub-Signature", "")
    expected = "sha256=" + hmac.new(settings.WEBHOOK_SECRET.encode(), request.data, hashlib.sha256).hexdigest()
    if received == expected:  # error: CRY401
        return "", 204
    abort(400)


@app.route("/cart", methods=["POST"])
def cart():
    if request.cookies.get("cart_mac") not in (cookie_mac(request.cookies.get("cart", "")),):  # error: CRY401
        abort(400)
    return jsonify(ok=True)


@app.route("/static/<path:name>")
def static_file(name):
    etag = content_etag(name.encode())
    if request.headers.get("If-None-Match") == etag:
        return "", 304
    return name


@app.route("/login", methods=["POST"])
def login():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or request.form["email"] == "":
        abort(401)
    if request.form.get("next") == url_for("index"):
        return redirect(url_for("index"))
    return jsonify(ok=True)


def send_login_code(user):
    code = f"{random.randint(0, 999999):06d}"  # error: CRY101
    user.login_code = code
    send_sms(user.phone, f"Your login code is {code}")


def send_login_code_securely(user):
    code = f"{secrets.randbelow(1000000):06d}"
    user.login_code = code
    send_sms(user.phone, f"Your login code is {code}")


def shuffle_recommendations(items):
    random.shuffle(items)
    return items[:5]


def sample_for_ab_test(user_ids):
    return random.sample(user_ids, k=min(100, len(user_ids)))
