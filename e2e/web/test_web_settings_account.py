"""The account settings in a real browser (SPEC §11 "account: password, sessions, recovery code"): a new recovery code
is generated while signed in, with the current password, shown once with a copy button, and replaces the old one.

Fixtures from conftest.py: ``browser_page`` (logged in through first-run setup), ``screenshot``. Nothing sleeps:
Playwright's expect polls with deadlines.
"""

from __future__ import annotations

from playwright.sync_api import expect

from web.conftest import PASSWORD


def test_a_new_recovery_code_is_generated_while_signed_in(browser_page, screenshot):
    web, page = browser_page, browser_page.page
    old = web.recovery_code
    web.goto("settings/account")
    generate = page.get_by_test_id("recovery-code-generate")

    # A wrong password is refused with the server's message, and the old code still works afterwards.
    page.get_by_label("Confirm with your password").fill("not the password")
    generate.click()
    expect(page.locator(".toast-error", has_text="the current password is wrong")).to_be_visible()
    expect(page.get_by_test_id("new-recovery-code")).to_be_hidden()

    page.get_by_label("Confirm with your password").fill(PASSWORD)
    generate.click()
    code = page.get_by_test_id("new-recovery-code").get_by_test_id("recovery-code")
    expect(code).to_be_visible()
    new = code.inner_text().strip()
    assert new and new != old
    expect(page.get_by_test_id("new-recovery-code").get_by_role("button", name="Copy")).to_be_visible()
    expect(page.get_by_label("Confirm with your password")).to_have_value("")
    screenshot(page, "settings-account-new-recovery-code")

    # The code is shown once: a reload does not show it again.
    page.reload()
    expect(page.get_by_test_id("recovery-code-generate")).to_be_visible()
    expect(page.get_by_test_id("new-recovery-code")).to_be_hidden()

    # The old code no longer recovers; the new one does.
    recover = """([code, pw]) => fetch('/api/v1/auth/recover', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({recoveryCode: code, newPassword: pw})}).then(async r => [r.status, (await r.json()).error?.code ?? null])"""
    assert page.evaluate(recover, [old, "a new good password"]) == [401, "invalid_credentials"]
    assert page.evaluate(recover, [new, "a new good password"]) == [200, None]
