"""``auth.messages``: every text Auth shows or logs, translated through ``current.T`` when read."""

from __future__ import annotations

from typing import Any

from server.current import current
from server.storage import Storage

DEFAULT_MESSAGES = {
    "login_button": "Log In",
    "register_button": "Sign Up",
    "password_reset_button": "Request reset password",
    "password_change_button": "Change password",
    "profile_save_button": "Apply changes",
    "submit_button": "Submit",
    "verify_password": "Verify Password",
    "function_disabled": "Function disabled",
    "access_denied": "Insufficient privileges",
    "registration_verifying": "Registration needs verification",
    "registration_pending": "Registration is pending approval",
    "registration_successful": "Registration successful",
    "email_taken": "This email already has an account",
    "username_taken": "Username already taken",
    "invalid_username": "Invalid username",
    "login_disabled": "Login disabled by administrator",
    "logged_in": "Logged in",
    "logged_out": "Logged out",
    "session_expired": "Session expired, please log in again",
    "email_sent": "Email sent",
    "unable_send_email": "Unable to send email",
    "email_verified": "Email verified",
    "invalid_email": "Invalid email",
    "invalid_login": "Invalid login",
    "invalid_user": "Invalid user",
    "invalid_password": "Invalid password",
    "is_empty": "Cannot be empty",
    "mismatched_password": "Password fields don't match",
    "too_many_failures": "Too many failed logins, please try again in %(seconds)s seconds",
    "verify_email": "Welcome %(username)s! Click on the link %(link)s to verify your email",
    "verify_email_subject": "Email verification",
    "username_sent": "Your username was emailed to you",
    "retrieve_username": "Your username is: %(username)s",
    "retrieve_username_subject": "Username retrieve",
    "reset_password": "Click on the link %(link)s to reset your password",
    "reset_password_subject": "Password reset",
    "invalid_reset_password": "Invalid reset password",
    "password_changed": "Password changed",
    "profile_updated": "Profile updated",
    "new_password": "New password",
    "old_password": "Old password",
    "group_description": "Group uniquely assigned to user %(id)s",
    "register_log": "User %(id)s Registered",
    "login_log": "User %(id)s Logged-in",
    "login_failed_log": "Failed login for %(username)s",
    "logout_log": "User %(id)s Logged-out",
    "profile_log": "User %(id)s Profile updated",
    "verify_email_log": "User %(id)s Verification email sent",
    "email_verified_log": "User %(id)s Email verified",
    "retrieve_username_log": "User %(id)s Username retrieved",
    "reset_password_request_log": "User %(id)s Password reset requested",
    "reset_password_log": "User %(id)s Password reset",
    "change_password_log": "User %(id)s Password changed",
    "impersonate_log": "User %(id)s is impersonating %(other_id)s",
    "add_group_log": "Group %(group_id)s created",
    "del_group_log": "Group %(group_id)s deleted",
    "label_first_name": "First name",
    "label_last_name": "Last name",
    "label_username": "Username",
    "label_email": "Email",  # web2py: "E-mail"; Pocketweb's pages and tests read "Email"
    "label_password": "Password",
    "label_registration_key": "Registration key",
    "label_reset_password_key": "Reset Password key",
    "label_registration_id": "Registration identifier",
    "label_role": "Role",
    "label_description": "Description",
    "label_user_id": "User ID",
    "label_group_id": "Group ID",
    "label_name": "Name",
    "label_table_name": "Object or table name",
    "label_record_id": "Record ID",
    "label_time_stamp": "Timestamp",
    "label_client_ip": "Client IP",
    "label_origin": "Origin",
    "label_remember_me": "Remember me (for 30 days)",
    "verify_password_comment": "please input your password again",
    "delete_label": "Check to delete",
    "invalid_key": "Invalid key",
    "key_verified": "Key verified",
    "new_password_sent": "A new password was emailed to you",
    "retrieve_password": "Your password is: %(password)s",
    "retrieve_password_subject": "Password retrieve",
    "retrieve_password_log": "User %(id)s Password retrieved",
    "verify_log": "User %(id)s verified registration key",
    "ajax_failed_authentication": '<div class="not-authorized alert alert-block">'
                                  "<h4>NOT AUTHORIZED</h4>Please <a href=\"\">login</a> "
                                  "to view this content.</div>",
    "bulk_invite_subject": "Invitation to join %(site)s",
    "bulk_invite_body": "You have been invited to join %(site)s, click %(link)s to complete "
                        "the process",
    "label_two_factor": "Authentication code",
    "two_factor_comment": "This code was emailed to you and is required for login.",
    "invalid_two_factor_code": "Incorrect code. {0} more attempt(s) remaining.",
    "retrieve_two_factor_code": "Your temporary login code is {0}",
    "retrieve_two_factor_code_subject": "Two-step Login Authentication Code",
    # web2py logs these only when an app gives them a text
    "add_membership_log": None, "del_membership_log": None, "has_membership_log": None,
    "add_permission_log": None, "del_permission_log": None, "has_permission_log": None,
}


class Messages(Storage):
    """A Storage whose text values come back translated by the current request's ``T``."""

    __slots__ = ()

    def __getattr__(self, key):
        value = Storage.__getattr__(self, key)
        translate = getattr(current, "T", None)
        if isinstance(value, str) and translate is not None:
            return translate(value)
        return value


def default_messages() -> Messages:
    return Messages(DEFAULT_MESSAGES)


def render(message: Any, **values: Any) -> str | None:
    """``message % values`` for a (possibly lazy-translated) message; None stays None."""
    if message is None:
        return None
    return str(message) % values
