from django.urls import path

from .views import calloffs, documents, evaluate, joint, panels, public, staff

app_name = "procurement"
urlpatterns = [
    path("procurement/", staff.opportunities, name="list"),
    path("procurement/<uuid:opportunity_id>/", staff.manage, name="manage"),
    path("procurement/<uuid:opportunity_id>/edit/", staff.edit, name="edit"),
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
    path("opportunities/", public.listing, name="public"),
    path("opportunities/<uuid:opportunity_id>/", public.detail, name="detail"),
    path("opportunities/<uuid:opportunity_id>/ask/", public.ask, name="ask"),
    path("opportunities/<uuid:opportunity_id>/lots/<uuid:lot_id>/respond/", public.respond, name="respond"),
]
