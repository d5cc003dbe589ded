"""Pagination that never counts more than a cap of rows, so a page stays fast at a million creators."""

from django.db.models import QuerySet

COUNT_CAP = 10_000
# Pages go as deep as the count does: past 10,000 results, narrow the filters (as search engines do).
MAX_PAGE_ROWS = COUNT_CAP


class CappedPage:
    """One page of ``queryset``; ``count`` is exact up to COUNT_CAP and ``count_capped`` says when it is more."""

    def __init__(self, queryset: QuerySet, number: str | None, *, per_page: int) -> None:
        try:
            self.number = min(max(int(number or 1), 1), MAX_PAGE_ROWS // per_page)
        except ValueError:
            self.number = 1
        self.per_page = per_page
        start = (self.number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.has_next = len(rows) > per_page and self.number < MAX_PAGE_ROWS // per_page
        self.object_list = rows[:per_page]
        self.has_previous = self.number > 1
        self.count = queryset.order_by()[: COUNT_CAP + 1].count()
        self.count_capped = self.count > COUNT_CAP
        self.count = min(self.count, COUNT_CAP)
        self.start_index = start + 1 if self.object_list else 0
        self.end_index = start + len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1
