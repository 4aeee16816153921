from django.urls import path

from .views import calloffs, decisions, documents, evaluate, joint, manage, panels, public, staff

app_name = "procurement"
urlpatterns = [
    path("procurement/", staff.opportunities, name="list"),
    path("procurement/<uuid:opportunity_id>/", staff.manage, name="manage"),
    path("procurement/<uuid:opportunity_id>/edit/", staff.edit, name="edit"),
    # Each button on the opportunity's page posts to its own view.
    path("procurement/<uuid:opportunity_id>/lots/", manage.lot, name="lot-add"),
    path("procurement/<uuid:opportunity_id>/questions/", manage.question, name="question-add"),
    path("procurement/<uuid:opportunity_id>/panel/share/", manage.share, name="panel-share"),
    path("procurement/<uuid:opportunity_id>/evaluators/", manage.evaluator, name="evaluator-add"),
    path("procurement/<uuid:opportunity_id>/clarifications/", manage.answer, name="clarification-answer"),
    path("procurement/<uuid:opportunity_id>/announce/", manage.announce, name="announce"),
    path("procurement/<uuid:opportunity_id>/publish/", manage.publish, name="publish"),
    path("procurement/<uuid:opportunity_id>/open/", decisions.open_submissions, name="open"),
    path("procurement/<uuid:opportunity_id>/shortlist/", decisions.shortlist, name="shortlist"),
    path("procurement/<uuid:opportunity_id>/applications/", decisions.application, name="application-decide"),
    path("procurement/<uuid:opportunity_id>/members/remove/", decisions.remove, name="membership-remove"),
    path("procurement/<uuid:opportunity_id>/award/", decisions.award, name="award"),
    path("procurement/<uuid:opportunity_id>/reopen/", decisions.reopen, name="reopen"),
    path("procurement/<uuid:opportunity_id>/joint/", decisions.joint, name="joint-record"),
    path(
        "procurement/<uuid:opportunity_id>/joint/participants/",
        decisions.joint_participant,
        name="joint-participant",
    ),
    path("procurement/<uuid:opportunity_id>/panel/invite/", panels.invite, name="panel-invite"),
    path("procurement/<uuid:opportunity_id>/panel/withdraw/", panels.withdraw, name="panel-withdraw"),
    path("procurement/<uuid:opportunity_id>/documents/", documents.upload, name="document-new"),
    path("opportunities/<uuid:opportunity_id>/documents/<uuid:document_id>/", documents.download, name="document"),
    path(
        "opportunities/<uuid:opportunity_id>/lots/<uuid:lot_id>/documents/",
        documents.bid_upload,
        name="bid-document-new",
    ),
    path("procurement/<uuid:opportunity_id>/call-offs/", calloffs.create, name="call-off-new"),
    path("procurement/call-offs/<uuid:call_off_id>/", calloffs.detail, name="call-off"),
    path("procurement/joint/", joint.listing, name="joint-list"),
    path("procurement/joint/<uuid:arrangement_id>/", joint.detail, name="joint"),
    path("opportunities/call-offs/<uuid:call_off_id>/", calloffs.price, name="call-off-price"),
    path("evaluate/", evaluate.my_evaluations, name="my-evaluations"),
    path("evaluate/<uuid:opportunity_id>/", evaluate.lots, name="evaluate"),
    path("evaluate/<uuid:opportunity_id>/lots/<uuid:lot_id>/", evaluate.score, name="score"),
    path("evaluate/<uuid:opportunity_id>/lots/<uuid:lot_id>/declare/", evaluate.declare, name="declare"),
    path("evaluate/<uuid:opportunity_id>/lots/<uuid:lot_id>/score/", evaluate.score_save, name="score-save"),
    path("evaluate/<uuid:opportunity_id>/lots/<uuid:lot_id>/agree/", evaluate.score_agreed, name="score-agreed"),
    path("opportunities/", public.listing, name="public"),
    path("opportunities/<uuid:opportunity_id>/", public.detail, name="detail"),
    path("opportunities/<uuid:opportunity_id>/ask/", public.ask, name="ask"),
    path("opportunities/<uuid:opportunity_id>/lots/<uuid:lot_id>/respond/", public.respond, name="respond"),
]
