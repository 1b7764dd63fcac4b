"""core.events hands events to the configured handler, one at a time or as a batch."""

from core import events

RECEIVED: list[tuple] = []


def record_one(*, organization, type, data):
    RECEIVED.append(("one", organization, type, data))


def record_many(*, organization, type, items):
    RECEIVED.append(("many", organization, type, list(items)))


def test_a_batch_goes_to_the_batch_handler_in_one_call(settings):
    RECEIVED.clear()
    settings.EVENT_HANDLER = f"{__name__}.record_one"
    settings.EVENT_MANY_HANDLER = f"{__name__}.record_many"
    events.emit_many(organization="org", type="review.due", items=({"n": n} for n in range(3)))
    assert RECEIVED == [("many", "org", "review.due", [{"n": 0}, {"n": 1}, {"n": 2}])]


def test_without_a_batch_handler_each_item_is_emitted(settings):
    RECEIVED.clear()
    settings.EVENT_HANDLER = f"{__name__}.record_one"
    settings.EVENT_MANY_HANDLER = ""
    events.emit_many(organization="org", type="review.due", items=[{"n": 0}, {"n": 1}])
    assert RECEIVED == [
        ("one", "org", "review.due", {"n": 0}),
        ("one", "org", "review.due", {"n": 1}),
    ]


def test_without_any_handler_the_items_are_not_even_read(settings):
    settings.EVENT_HANDLER = ""
    settings.EVENT_MANY_HANDLER = ""

    def items():
        raise AssertionError("read")
        yield

    events.emit_many(organization="org", type="review.due", items=items())
