"""Listing sessions a page at a time (the sessions screen's list): ``before`` continues a list."""

from __future__ import annotations

from .conftest import overloaded_then_ok


def test_pages_continue_where_the_last_ended_with_and_without_a_search(store, record):
    ids = [record(overloaded_then_ok(), prompt=f"{'pelican' if i % 3 else 'heron'} {i}") for i in range(10)]
    newest_first = list(reversed(ids))

    def pages(search: str | None, size: int) -> list[list[int]]:
        found, before = [], None
        while page := [s.id for s in store.list_sessions(search, size, before=before)]:
            found.append(page)
            before = page[-1]
        return found

    assert pages(None, 4) == [newest_first[:4], newest_first[4:8], newest_first[8:]]
    pelicans = [i for n, i in enumerate(ids) if n % 3][::-1]
    assert [i for page in pages("pelican", 2) for i in page] == pelicans
    assert all(len(page) <= 2 for page in pages("pelican", 2))
    assert store.list_sessions("heron", None, before=ids[3]) == store.list_sessions("heron", None)[-1:]
