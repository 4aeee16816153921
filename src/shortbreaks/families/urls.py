from django.urls import path

from .views import information, invitations, officer, parent, public, rules, young_person

app_name = "families"
urlpatterns = [
    path("me/", young_person.me, name="me"),
    path("family/", parent.family_home, name="home"),
    path("family/children/new/", parent.child_new, name="child-new"),
    path("family/children/<uuid:child_id>/change/", parent.child_change, name="child-change"),
    path("family/children/<uuid:child_id>/apply/", parent.apply, name="apply"),
    path("family/applications/<uuid:application_id>/review/", parent.request_review, name="review"),
    path("family/children/<uuid:child_id>/allocation/", parent.allocation_explained, name="allocation"),
    path("family/children/<uuid:child_id>/statement/", parent.statement, name="statement"),
    path("family/carers/invite/", invitations.carer_invite_view, name="carer-invite"),
    path(
        "family/children/<uuid:child_id>/own-account/",
        invitations.young_person_invite_view,
        name="young-person-invite",
    ),
    path("family/invitations/withdraw/", invitations.invitation_withdraw_view, name="invitation-withdraw"),
    path("family/information/", information.ask, name="access-ask"),
    path("family/information/<uuid:request_id>/download/", information.download, name="access-download"),
    path("caseload/", officer.caseload, name="caseload"),
    path("caseload/information/", information.waiting_requests, name="access-waiting"),
    path("caseload/families/<uuid:family_id>/information/", information.release, name="access-release"),
    path("caseload/import/", officer.caseload_import, name="import"),
    path("caseload/families/<uuid:family_id>/export/", officer.family_export_view, name="family-export"),
    path("caseload/families/<uuid:family_id>/erase/", officer.family_erase_view, name="family-erase"),
    path("caseload/applications/", officer.applications, name="applications"),
    path("caseload/applications/<uuid:application_id>/", officer.application_detail, name="application"),
    path(
        "caseload/applications/<uuid:application_id>/evidence/<uuid:evidence_id>/",
        officer.evidence_download,
        name="evidence",
    ),
    path("caseload/children/<uuid:child_id>/", officer.child_record, name="child"),
    path("caseload/children/<uuid:child_id>/payments/", officer.child_payment, name="child-payment"),
    path(
        "caseload/children/<uuid:child_id>/direct-payment-audits/",
        officer.child_direct_payment_audit,
        name="child-dp-audit",
    ),
    path("caseload/children/<uuid:child_id>/assess/", officer.assess, name="assess"),
    path(
        "caseload/children/<uuid:child_id>/invite-carer/", invitations.officer_carer_invite, name="officer-carer-invite"
    ),
    path(
        "caseload/children/<uuid:child_id>/own-account/",
        invitations.officer_young_person_invite,
        name="officer-young-person-invite",
    ),
    path(
        "caseload/children/<uuid:child_id>/invitations/withdraw/",
        invitations.officer_invitation_withdraw,
        name="officer-invitation-withdraw",
    ),
    path("eligibility/", public.criteria, name="criteria"),
    path("eligibility/check/", public.code_check, name="code-check"),
    path("allocation-rules/", rules.rules, name="rules"),
    path("allocation-rules/<int:rule_id>/", rules.rule_detail, name="rule"),
    path("allocation-rules/<int:rule_id>/what-if/", rules.rule_whatif, name="rule-whatif"),
]
