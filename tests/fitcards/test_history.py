"""Finishing saves revisions; the history lists them and compares any two side by side."""

import pytest
from django.urls import reverse

from core.diff import mark_words
from fitcards import services
from fitcards.presentation import compare_sections


@pytest.fixture
def two_revisions(partnership, manager, owner, filled_draft):
    services.fitcard_finish(partnership=partnership, actor=manager)
    services.draft_save(
        partnership=partnership,
        actor=owner,
        step="exit",
        values={
            "exit_time": "Twelve weeks",
            "exit_cost": "About 40k EUR of engineering time",
            "exit_data_portability": "Full transaction export as CSV within 48 hours",
        },
    )
    services.fitcard_finish(partnership=partnership, actor=owner)
    return partnership


def test_mark_words_marks_deleted_and_inserted_words():
    left, right = mark_words("Exit in eight weeks", "Exit in twelve weeks <b>")
    assert left == 'Exit in <del class="diff-del">eight</del> weeks'
    assert right == (
        'Exit in <ins class="diff-ins">twelve</ins> weeks<ins class="diff-ins"> &lt;b&gt;</ins>'
    )


def test_compare_sections_flags_only_changed_rows():
    old = [{"title": "Exit", "rows": [("Time", "8 weeks"), ("Cost", "40k")]}]
    new = [{"title": "Exit", "rows": [("Time", "12 weeks"), ("Cost", "40k")]}]
    [section] = compare_sections(old, new)
    assert section["changed"]
    assert [row["changed"] for row in section["rows"]] == [True, False]


def test_history_lists_revisions_with_who_and_when(viewer_client, two_revisions, manager, owner):
    response = viewer_client.get(reverse("fitcards:history", args=[two_revisions.uuid]))
    body = response.content.decode()
    assert "Revision 2" in body and "Revision 1" in body
    assert manager.display_name in body and owner.display_name in body
    assert "<time datetime=" in body


def test_compare_shows_two_revisions_side_by_side_with_differences(viewer_client, two_revisions):
    url = reverse("fitcards:compare", args=[two_revisions.uuid]) + "?a=2&b=1"
    response = viewer_client.get(url)
    assert response.status_code == 200
    assert response.context["old"].number == 1  # the older one is always on the left
    body = response.content.decode()
    assert '<del class="diff-del">Eight</del>' in body
    assert '<ins class="diff-ins">Twelve</ins>' in body
    assert response.context["changed"] == 1


def test_compare_of_unknown_revision_is_404(viewer_client, two_revisions):
    url = reverse("fitcards:compare", args=[two_revisions.uuid])
    assert viewer_client.get(url + "?a=1&b=9").status_code == 404
    assert viewer_client.get(url + "?a=x&b=1").status_code == 404


def test_history_without_a_card_says_so(viewer_client, partnership):
    response = viewer_client.get(reverse("fitcards:history", args=[partnership.uuid]))
    assert response.status_code == 200
    assert "No revision yet" in response.content.decode()


def test_history_query_count_does_not_grow_with_revisions(
    viewer_client, partnership, manager, filled_draft, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.fitcard_finish(partnership=partnership, actor=manager)

    def add_revisions(n):
        for i in range(n):
            services.draft_save(
                partnership=partnership,
                actor=manager,
                step="exit",
                values={"exit_time": f"{i} weeks", "exit_cost": "x", "exit_data_portability": "y"},
            )
            services.fitcard_finish(partnership=partnership, actor=manager)

    url = reverse("fitcards:history", args=[partnership.uuid])
    add_revisions(4)
    with CaptureQueriesContext(connection) as five:
        viewer_client.get(url)
    add_revisions(45)
    with CaptureQueriesContext(connection) as fifty:
        viewer_client.get(url)
    assert len(five) == len(fifty)
