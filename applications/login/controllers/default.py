# -*- coding: utf-8 -*-
# Pages of the Login system example: one open page, one for members, one for a group.


def index():
    """Open to everybody: says who is logged in."""
    return dict()


@auth.requires_login()
def members():
    """Only logged-in users: a visitor is sent to the login page and comes back here after."""
    return dict(user=auth.user)


@auth.requires_membership(MANAGERS)
def managers():
    """Only members of the "managers" group; a logged-in user who is not one is sent to
    user/not_authorized."""
    managers = db(db.auth_membership.group_id == auth.id_group(MANAGERS)).select(
        db.auth_user.first_name, db.auth_user.email,
        join=db.auth_user.on(db.auth_user.id == db.auth_membership.user_id))
    return dict(managers=managers)


def user():
    """Everything Auth does, one URL each: /login/default/user/register, /login, /logout,
    /verify_email/<key>, /profile, /change_password, /request_reset_password..."""
    return dict(form=auth())
