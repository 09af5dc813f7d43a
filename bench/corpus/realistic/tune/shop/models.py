"""Database models."""

import hashlib
import secrets

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String, unique=True)
    password_hash = db.Column(db.String)
    activation_code = db.Column(db.String)
    login_code = db.Column(db.String)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def check_login_code(self, submitted):
        return self.login_code is not None and self.login_code == submitted  # error: CRY401

    @property
    def avatar_hash(self):
        return hashlib.md5(self.email.lower().encode()).hexdigest()

    def same_avatar(self, other):
        return self.avatar_hash == other.avatar_hash


class ResetRequest(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String, index=True)


class ApiKey(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner = db.Column(db.String)
    value = db.Column(db.String, default=lambda: secrets.token_hex(20))

    @classmethod
    def find(cls, presented):
        return cls.query.filter(cls.value == presented).first()
