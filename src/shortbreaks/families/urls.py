from django.urls import path

from .views import officer, parent, rules

app_name = "families"
urlpatterns = [
    path("family/", parent.family_home, name="home"),
    path("family/children/<uuid:child_id>/allocation/", parent.allocation_explained, name="allocation"),
    path("family/children/<uuid:child_id>/statement/", parent.statement, name="statement"),
    path("caseload/", officer.caseload, name="caseload"),
    path("caseload/children/<uuid:child_id>/", officer.child_record, name="child"),
    path("caseload/children/<uuid:child_id>/assess/", officer.assess, name="assess"),
    path("allocation-rules/", rules.rules, name="rules"),
    path("allocation-rules/<int:rule_id>/", rules.rule_detail, name="rule"),
    path("allocation-rules/<int:rule_id>/what-if/", rules.rule_whatif, name="rule-whatif"),
]
