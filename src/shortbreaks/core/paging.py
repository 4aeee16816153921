from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(request, items, per_page: int = 20) -> dict:
    """A page of items plus what the GOV.UK pagination include needs."""
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {
        "page_obj": page,
        "page_numbers": page_numbers(page.number, paginator.num_pages),
        "query_without_page": f"{encoded}&" if encoded else "",
    }


def page_numbers(current: int, last: int) -> list[int | None]:
    """1 … 4 5 6 … 20: the first, the last and the neighbours of the current page; None marks
    a gap."""
    wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    numbers: list[int | None] = []
    for number in wanted:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
