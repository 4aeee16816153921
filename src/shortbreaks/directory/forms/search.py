from django import forms

from shortbreaks.core.postcodes import KM_PER_MILE, PostcodeError, locate

from ..selectors.search import DAYS, TIMES_OF_DAY, ServiceQuery
from ..selectors.taxonomy import break_kind_terms, needs_terms

RADIUS_CHOICES = [
    ("", "Any distance"),
    ("1", "1 mile"),
    ("3", "3 miles"),
    ("5", "5 miles"),
    ("10", "10 miles"),
    ("20", "20 miles"),
]


class SearchForm(forms.Form):
    """The families' search. Every field is optional; a bad postcode is the one thing that
    stops a search, with a message that says what to fix."""

    q = forms.CharField(
        label="Search", required=False, max_length=100, help_text="For example, swimming, youth club or holiday scheme"
    )
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    radius = forms.ChoiceField(label="Distance", required=False, choices=RADIUS_CHOICES)
    age = forms.IntegerField(
        label="Child's age",
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": "Enter the child's age as a number, like 9",
            "min_value": "Age must be 0 or more",
            "max_value": "Short breaks are for children and young people up to 25",
        },
    )
    need = forms.MultipleChoiceField(label="Needs", required=False, widget=forms.CheckboxSelectMultiple)
    kind = forms.MultipleChoiceField(label="Kind of break", required=False, widget=forms.CheckboxSelectMultiple)
    day = forms.MultipleChoiceField(label="Day", required=False, choices=DAYS, widget=forms.CheckboxSelectMultiple)
    time = forms.ChoiceField(
        label="Time of day",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Any time")] + [(k, v[0]) for k, v in TIMES_OF_DAY.items()],
    )
    cost = forms.ChoiceField(
        label="Cost",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Free or paid"), ("free", "Free only"), ("paid", "Paid")],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("relevance", "Relevance"), ("distance", "Distance"), ("name", "Name")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [(t.code, t.name) for t in needs_terms()]
        self.fields["kind"].choices = [(t.code, t.name) for t in break_kind_terms()]
        self.place = None

    def clean_postcode(self):
        raw = self.cleaned_data["postcode"].strip()
        if not raw:
            return ""
        try:
            self.place = locate(raw)
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from None
        return self.place.postcode

    def clean(self):
        data = super().clean()
        if data.get("radius") and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to search by distance")
        if data.get("sort") == "distance" and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to sort by distance")
        return data

    def applied(self) -> list[str]:
        """What a valid search filters by, in the page's words: "Autism", "Saturday", "Age 9"."""
        data = self.cleaned_data

        def names(field: str) -> list[str]:
            chosen = set(data.get(field) or [])
            return [label for value, label in self.fields[field].choices if value in chosen]

        labels = [f"“{data['q'].strip()}”"] if data.get("q", "").strip() else []
        if self.place and data.get("radius"):
            labels.append(f"Within {dict(RADIUS_CHOICES)[data['radius']]} of {self.place.postcode}")
        elif self.place:
            labels.append(f"Near {self.place.postcode}")
        if data.get("age") is not None:
            labels.append(f"Age {data['age']}")
        labels += names("kind") + names("need") + names("day")
        if data.get("time"):
            labels.append(TIMES_OF_DAY[data["time"]][0])
        if data.get("cost"):
            labels.append(dict(self.fields["cost"].choices)[data["cost"]])
        return labels

    def to_query(self) -> ServiceQuery:
        data = self.cleaned_data
        radius = data.get("radius")
        return ServiceQuery(
            text=data.get("q", "").strip(),
            needs=data.get("need", []),
            kinds=data.get("kind", []),
            age=data.get("age"),
            days=data.get("day", []),
            time_of_day=data.get("time", ""),
            cost=data.get("cost", ""),
            place=self.place,
            radius_km=float(radius) * KM_PER_MILE if radius else None,
            sort=data.get("sort") or ("distance" if self.place and not data.get("q") else "relevance"),
        )
