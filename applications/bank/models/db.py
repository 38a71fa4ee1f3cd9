# -*- coding: utf-8 -*-
# Bank account system: accounts, and a history of every movement of money.
# (A real bank would also need logins - see the login example - this one is about
# transactions: money is never created, lost or taken below zero.)

from decimal import Decimal

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True)

db.define_table(
    "account",
    Field("owner", requires=IS_NOT_EMPTY()),
    # The balance only changes through deposit(), withdraw() and transfer() below.
    Field("balance", "decimal(12,2)", default=Decimal("0.00"), writable=False),
    format=lambda account: "%s (#%s)" % (account.owner, account.id),
)

KINDS = ("deposit", "withdrawal", "transfer in", "transfer out")
db.define_table(
    "movement",
    Field("account", "reference account"),
    Field("kind", requires=IS_IN_SET(KINDS)),
    Field("amount", "decimal(12,2)"),
    Field("balance_after", "decimal(12,2)"),
    Field("other_account", "reference account"),
    Field("made_on", "datetime", default=request.now),
)

def money(amount):
    """How amounts are shown everywhere: 1234.5 -> "1234.50"."""
    return "%.2f" % amount


AMOUNT = IS_DECIMAL_IN_RANGE(Decimal("0.01"), Decimal("1000000"), dot=".",
                             error_message=T("an amount from 0.01 to 1000000"))


def _change(account_id, amount, kind, other=None):
    """Add ``amount`` (negative: take) to one account and write the movement.

    The UPDATE itself refuses to go below zero ("balance + amount >= 0" is part of its
    query), so the check and the change happen in one step inside the database: two requests
    at the same moment cannot both spend the same money. Returns False when refused.
    """
    account = db.account.id == account_id
    if not db(account & (db.account.balance + amount >= 0)).update(
            balance=db.account.balance + amount):
        return False
    balance = db.account(account_id).balance
    db.movement.insert(account=account_id, kind=kind, amount=abs(amount),
                       balance_after=balance, other_account=other)
    return True


def deposit(account_id, amount):
    _change(account_id, amount, "deposit")
    db.commit()


def withdraw(account_id, amount):
    """False, with nothing changed, if the balance is too low."""
    done = _change(account_id, -amount, "withdrawal")
    db.commit()
    return done


def transfer(source, target, amount):
    """Move money in one transaction: both changes are kept, or neither (rollback)."""
    if not _change(source, -amount, "transfer out", other=target):
        db.rollback()
        return False
    if not _change(target, amount, "transfer in", other=source):
        db.rollback()
        return False
    db.commit()
    return True
