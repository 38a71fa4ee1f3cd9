"""gluon.validators: pydal's validators and the base class custom validators subclass."""

from gluon.validators import IS_INT_IN_RANGE, IS_NOT_EMPTY, ValidationError, Validator


class IS_EVEN(Validator):  # noqa: N801 - web2py's naming
    def validate(self, value, record_id=None):
        if int(value) % 2:
            raise ValidationError("odd")
        return int(value)


def test_builtin_and_custom_validators():
    assert IS_NOT_EMPTY()("") == ("", "Enter a value")
    assert IS_INT_IN_RANGE(0, 10)("5") == (5, None)
    assert IS_EVEN()("4") == (4, None) and IS_EVEN()("3") == ("3", "odd")
