# -*- coding: utf-8 -*-
# Pages of the Bank example. The money rules live in models/db.py (deposit, withdraw,
# transfer); the pages only collect and check what the user typed.


def index():
    """Every account with its balance, and a form to open a new one."""
    form = SQLFORM(db.account, submit_button=T("Open account"))
    if form.process().accepted:
        response.flash = T("Account %s opened", form.vars.id)
    elif form.errors:
        response.flash = T("The account needs an owner")
    accounts = db(db.account).select(orderby=db.account.owner)
    return dict(form=form, accounts=accounts)


def account():
    """One account: deposit or withdraw, and its history. /bank/default/account/<id>."""
    current_account = db.account(request.args(0, cast=int)) or redirect(URL("index"))
    # SQLFORM.factory: a form that is not tied to a table, for values we only use here.
    form = SQLFORM.factory(
        Field("amount", "decimal(12,2)", requires=AMOUNT),
        Field("action", requires=IS_IN_SET(["deposit", "withdraw"]), default="deposit",
              widget=SQLFORM.widgets.radio.widget),
        submit_button=T("Go"))
    if form.process().accepted:
        amount = form.vars.amount
        if form.vars.action == "deposit":
            deposit(current_account.id, amount)
            session.flash = T("Deposited %s", money(amount))
            redirect(URL(args=current_account.id))
        if withdraw(current_account.id, amount):
            session.flash = T("Withdrew %s", money(amount))
            redirect(URL(args=current_account.id))
        response.flash = refusal(amount)
    elif form.errors:
        response.flash = T("Please correct the amount")
    history = db(db.movement.account == current_account.id).select(
        orderby=~db.movement.id, limitby=(0, 50))
    return dict(account=current_account, form=form, history=history)


def transfer_money():
    """Move money between two accounts."""
    accounts = IS_IN_DB(db, "account.id", db.account._format, zero=T("choose an account"))
    form = SQLFORM.factory(
        Field("source", "reference account", label=T("From"), requires=accounts),
        Field("target", "reference account", label=T("To"), requires=accounts),
        Field("amount", "decimal(12,2)", requires=AMOUNT),
        submit_button=T("Transfer"))
    # keepvalues=True: after a refused transfer the form still shows what was typed.
    if form.process(onvalidation=_different_accounts, keepvalues=True).accepted:
        if transfer(int(form.vars.source), int(form.vars.target), form.vars.amount):
            session.flash = T("Transferred %s", money(form.vars.amount))
            redirect(URL("account", args=form.vars.source))
        response.flash = refusal(form.vars.amount)
    elif form.errors:
        response.flash = T("Please correct the highlighted fields")
    return dict(form=form)


def _different_accounts(form):
    """onvalidation: runs after the field checks, for rules that involve two fields."""
    if form.vars.source == form.vars.target:
        form.errors.target = T("choose another account than the one paying")


def refusal(amount):
    """The flash of a refused movement; the layout's CSS shows class "refused" in red."""
    return SPAN(T("Refused: the balance is too low for %s", money(amount)), _class="refused")
