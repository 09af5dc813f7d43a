"""Outgoing mail and SMS."""

import smtplib

from . import settings


def send_mail(to, subject, body):
    with smtplib.SMTP("localhost") as smtp:
        smtp.sendmail("shop@example.com", [to], f"Subject: {subject}\n\n{body}")


def send_sms(phone, text):
    print("SMS", phone, text, settings.DEBUG)
