"""Celery tasks: invitations, digests and housekeeping."""

import random
import string
import uuid
from datetime import datetime, timedelta

from celery import shared_task

from shop.mail import send_mail
from shop.models import db

CHARS = string.ascii_uppercase + string.digits


def b(text):
    return text.encode("ascii")


def make_code(n):
    return "".join(random.choice(CHARS) for _ in range(n))


@shared_task
def send_invite(email, inviter):
    invite_token = make_code(24)  # error: CRY101
    db.session.execute("insert into invites values (?, ?)", (email, invite_token))
    send_mail(email, f"{inviter} invited you", f"https://shop.example/join?t={invite_token}")


@shared_task
def rotate_session_keys(store):
    for entry in store.entries():
        session_key = b("".join(random.choice(CHARS) for _ in range(16)))  # error: CRY101
        entry.rekey(session_key)


@shared_task
def issue_ticket(ticket):
    ticket["key"]["keyvalue"] = "".join(random.choice(CHARS) for _ in range(16))  # error: CRY101
    ticket["id"] = str(uuid.uuid4())
    ticket["retry_after"] = random.uniform(0.5, 2.0)
    return ticket


@shared_task
def schedule_reminders(user_ids):
    jitter = random.randint(0, 300)
    when = datetime.utcnow() + timedelta(seconds=jitter)
    batch = random.sample(user_ids, k=min(50, len(user_ids)))
    return when, batch


@shared_task
def new_download_link(file_id):
    link_id = uuid.uuid1().hex  # error: CRY102
    return f"https://cdn.shop.example/d/{file_id}?token={link_id}"


@shared_task
def trace_job():
    trace_id = uuid.uuid4().hex
    return {"trace": trace_id, "sample": random.random() < 0.1}
