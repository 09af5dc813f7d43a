"""Small helpers shared by the views."""

import random
import secrets
import string

ALPHABET = string.ascii_letters + string.digits


def random_string(length=16):
    return "".join(random.choice(ALPHABET) for _ in range(length))


def secure_string(length=32):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def random_color():
    return "#%06x" % random.randint(0, 0xFFFFFF)


def pick_banner(banners):
    return random.choice(banners)


def order_number():
    # Shown on the receipt; guessing one gains nothing without the session.
    return "SO-%08d" % random.randint(0, 99999999)
