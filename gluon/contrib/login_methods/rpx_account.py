"""web2py's ``gluon.contrib.login_methods.rpx_account``: ``RPXAccount`` and ``use_janrain``."""

from server.login_methods.janrain import RPXAccount, use_janrain

__all__ = ["RPXAccount", "use_janrain"]
