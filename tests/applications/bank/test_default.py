"""The Bank example: deposits, withdrawals and transfers in a real browser, the refusals of
anything that would take a balance below zero, and concurrent transfers that lose nothing."""

from __future__ import annotations

import re
import threading
from decimal import Decimal

from support import Browser


def test_open_deposit_withdraw_and_transfer(site):
    site.go("default/index")
    site.submit("Open account", Owner="")
    assert site.errors(), "an account needs an owner"
    site.submit("Open account", Owner="Ada")
    assert site.flash() == "Account 1 opened"
    site.submit("Open account", Owner="Bob")

    site.click("Ada")
    site.submit("Go", Amount="lots")
    assert site.errors(), "an amount must be a number"
    site.submit("Go", Amount="100")
    assert site.flash() == "Deposited 100.00"
    site.page.check("input[value=withdraw]")
    site.submit("Go", Amount="150")
    assert site.flash() == "Refused: the balance is too low for 150.00"
    assert "Balance: 100.00" in site.text(".balance"), "a refused withdrawal changes nothing"
    site.page.check("input[value=withdraw]")
    site.submit("Go", Amount="30")
    assert "Balance: 70.00" in site.text(".balance")

    site.click("Transfer")
    site.page.get_by_label("From").select_option(label="Ada (#1)")
    site.page.get_by_label("To").select_option(label="Ada (#1)")
    site.submit("Transfer", Amount="10")
    assert site.errors() == ["choose another account than the one paying"]
    site.page.get_by_label("To").select_option(label="Bob (#2)")
    site.submit("Transfer", Amount="500")
    assert site.flash() == "Refused: the balance is too low for 500.00"
    assert site.page.get_by_label("To").input_value() == "2", "the refused form keeps its values"
    site.submit("Transfer", Amount="50")
    assert site.flash() == "Transferred 50.00"
    assert "Balance: 20.00" in site.text(".balance")
    assert site.text(".history tbody tr:first-child").split("\t")[1] == "transfer out #2"

    site.go("default/account/2")
    assert "Balance: 50.00" in site.text(".balance")
    assert "transfer in #1" in site.text(".history")


def post_form(browser: Browser, url: str, **fields) -> tuple[dict, callable]:
    """Read the form at ``url`` (its hidden keys) and return a function that submits it."""
    page = browser.get(url).text
    hidden = dict(re.findall(r'name="(_form\w+)" type="hidden" value="([^"]*)"', page))
    return lambda: browser.post(url, {**hidden, **fields})


def balances(base: str) -> dict[str, Decimal]:
    page = Browser().get(base + "/bank/default/index").text
    rows = re.findall(r">(\w+)</a></td>\s*<td class=\"number\">([\d.]+)</td>", page)
    return {owner: Decimal(balance) for owner, balance in rows}


def test_concurrent_transfers_never_lose_or_overdraw_money(app_server):
    base, _root = app_server("bank")
    for owner in ("Ada", "Bob"):
        post_form(Browser(), base + "/bank/default/index", owner=owner)()
    post_form(Browser(), base + "/bank/default/account/1", amount="100", action="deposit")()
    post_form(Browser(), base + "/bank/default/account/2", amount="100", action="deposit")()

    # Ten visitors, each with their own session and form, press Transfer at the same moment:
    # eight move 30 from Ada to Bob, two move 45 from Bob to Ada. Ada never has more than
    # 100 + 90, so at least two of her eight transfers must be refused.
    orders = [("1", "2", "30")] * 8 + [("2", "1", "45")] * 2
    submits = [post_form(Browser(), base + "/bank/default/transfer_money",
                         source=source, target=target, amount=amount)
               for source, target, amount in orders]
    start, answers = threading.Barrier(len(submits)), [None] * len(submits)

    def transfer(index: int) -> None:
        start.wait()
        answers[index] = submits[index]()

    threads = [threading.Thread(target=transfer, args=(i,)) for i in range(len(submits))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(answer.status in (200, 303) for answer in answers), [a.status for a in answers]
    done = [order for order, answer in zip(orders, answers, strict=True) if answer.status == 303]
    refused = [answer for answer in answers if answer.status == 200]
    assert len(refused) >= 2 and all("Refused: the balance is too low" in answer.text
                                     for answer in refused)
    final = balances(base)
    assert sum(final.values()) == Decimal("200.00"), "no money made or lost"
    assert min(final.values()) >= 0, "no balance below zero"
    moved = sum(Decimal(amount) * (1 if source == "1" else -1) for source, _, amount in done)
    assert final == {"Ada": Decimal("100") - moved, "Bob": Decimal("100") + moved}
