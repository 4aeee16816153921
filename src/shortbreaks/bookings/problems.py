"""A reason a booking was refused, in words for the family, that also says what it is about
(`kind`: full, needs, by_request), so the booking page can pin it to the right question and
put the next step beside it (join the waiting list, find a service set up for the child's
needs, ask for places in a request round). Anything else reads it as the plain string it is."""


class Problem(str):
    kind: str = ""

    def __new__(cls, text: str, *, kind: str, session=None, child=None, round_=None):
        problem = super().__new__(cls, text)
        problem.kind, problem.session, problem.child, problem.round = kind, session, child, round_
        return problem
