"""Django views of the billing service."""

import hashlib
import hmac
import json
import random
import secrets
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt

from .keys import generate_key, hash_key, key_prefix
from .models import Account, ApiCredential, Invoice, PasswordReset


def _token(length=32):
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(length))  # error: CRY101


def start_password_reset(request):
    account = get_object_or_404(Account, email=request.POST["email"])
    reset = PasswordReset.objects.create(account=account, token=_token())
    send_mail("Password reset", f"{settings.SITE_URL}/reset/{reset.token}", None, [account.email])
    return redirect("reset-sent")


def finish_password_reset(request, token):
    reset = get_object_or_404(PasswordReset, token=token)
    reset.account.password = make_password(request.POST["password"])
    reset.account.save()
    return redirect("login")


def create_api_credential(request):
    raw = generate_key()
    ApiCredential.objects.create(account=request.user.account, prefix=key_prefix(raw), digest=hash_key(raw))
    return JsonResponse({"key": raw})


def authenticate_api(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    raw = header.removeprefix("Bearer ").strip()
    credential = ApiCredential.objects.filter(prefix=key_prefix(raw)).first()
    if credential is None or credential.digest != hash_key(raw):  # error: CRY401
        return None
    return credential.account


def authenticate_api_safely(request):
    raw = request.headers.get("Authorization", "").removeprefix("Bearer ")
    credential = ApiCredential.objects.filter(prefix=key_prefix(raw)).first()
    if credential is None or not hmac.compare_digest(credential.digest, hash_key(raw)):
        return None
    return credential.account


@csrf_exempt
def stripe_webhook(request):
    header = request.META["HTTP_STRIPE_SIGNATURE"]
    parts = dict(item.split("=", 1) for item in header.split(","))
    signed = f"{parts['t']}.{request.body.decode()}"
    digest = hmac.new(settings.STRIPE_ENDPOINT_SECRET.encode(), signed.encode(), hashlib.sha256).hexdigest()
    if parts.get("v1") != digest:  # error: CRY401
        return HttpResponseForbidden()
    event = json.loads(request.body)
    return HttpResponse(event["type"])


def invoice_pdf(request, number):
    invoice = get_object_or_404(Invoice, number=number)
    if invoice.account_id != request.user.account.id:
        return HttpResponseForbidden()
    if request.GET.get("format") == "pdf":
        return HttpResponse(invoice.pdf, content_type="application/pdf")
    return JsonResponse({"number": invoice.number})


def coupon_code(request):
    code = "".join(random.choice(string.ascii_uppercase) for _ in range(10))  # error: CRY101
    request.user.account.coupons.create(code=code)
    return JsonResponse({"coupon": code})


def lucky_draw(request):
    winner = random.choice(list(Account.objects.values_list("id", flat=True)))
    return JsonResponse({"winner": winner})


def confirm_email(request):
    account = request.user.account
    if request.POST.get("code") == account.email_code:  # error: CRY401
        account.email_confirmed = True
        account.save()
    return redirect("profile")


def change_password(request):
    account = request.user.account
    if request.POST["new_password"] != request.POST["new_password2"]:
        return HttpResponseForbidden()
    if not check_password(request.POST["old_password"], account.password):
        return HttpResponseForbidden()
    account.password = make_password(request.POST["new_password"])
    account.save()
    return redirect("profile")


def issue_session_cookie(request):
    response = redirect("home")
    response.set_cookie("sid", "%032x" % random.getrandbits(128))  # error: CRY101
    response.set_cookie("theme", random.choice(["light", "dark"]))
    return response


def share_link(request, invoice_id):
    slug = secrets.token_urlsafe(16)
    return JsonResponse({"url": f"{settings.SITE_URL}/s/{slug}", "id": invoice_id})
