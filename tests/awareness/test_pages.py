"""Campaign pages: three users for each (allowed; the same role in another country; an outsider), refused requests
change nothing, every write is audited, bad input names its field and writes nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client

from palermo.audit.models import AuditEvent
from palermo.awareness import services
from palermo.awareness.models import Campaign, MaterialVersion, ReachPeriod
from tests.awareness.conftest import campaign_data, reach_data, snapshot
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client_for(user: object | None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        verified_login(client, user)  # type: ignore[arg-type]
    return client


def pages(campaign: Campaign) -> list[str]:
    return ["/awareness/", f"/awareness/{campaign.pk}/", f"/awareness/{campaign.pk}/edit/",
            f"/awareness/{campaign.pk}/materials/new/", f"/awareness/{campaign.pk}/reach/new/"]


def test_three_users_on_every_campaign_page(world) -> None:
    users, campaign = world["users"], world["campaign"]
    for url in pages(campaign):
        assert client_for(users["coordinator-ro"]).get(url).status_code == 200, url
        other = client_for(users["coordinator-rs"]).get(url)
        if url == "/awareness/":
            assert "Safe jobs abroad" not in other.content.decode()  # the list is theirs: empty
        else:
            assert other.status_code == 404, url
        assert client_for(users["viewer"]).get(url).status_code == 404, url
        assert client_for(None).get(url).status_code == 302, url
    assert client_for(users["analyst-ro"]).get(f"/awareness/{campaign.pk}/").status_code == 200  # reads
    assert client_for(users["analyst-ro"]).get(f"/awareness/{campaign.pk}/edit/").status_code == 404  # not edits
    assert client_for(users["partner-iom"]).get(f"/awareness/{campaign.pk}/").status_code == 404


def form_for(action_pk: int, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": "Girls online", "objective": "Warn girls of grooming", "action": action_pk, "countries": ["RO"],
        "populations": ["children"], "languages": ["ro", "rom", "sr-Cyrl"], "channels": ["schools"],
        "risks": ["online_grooming"], "start": "2025-01-01", "end": "2025-06-30", "target_sexes": ["female"],
        "target_age_bands": ["0-17"]}
    values.update(changes)
    return values


def test_a_coordinator_starts_a_campaign_in_their_country_and_it_is_audited(world) -> None:
    users, actions = world["users"], world["actions"]
    client = client_for(users["coordinator-ro"])
    before = AuditEvent.objects.count()
    response = client.post("/awareness/new/", form_for(actions["ro"].pk))
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Girls online")
    assert (campaign.target_sexes, campaign.target_age_bands, campaign.languages) == (
        ["female"], ["0-17"], ["ro", "rom", "sr-Cyrl"])
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.object_type, event.action, event.actor.username) == ("awareness.campaign", "create", "coordinator-ro")


def test_refused_and_bad_campaigns_change_nothing(world) -> None:
    users, actions = world["users"], world["actions"]
    other, viewer, manager = (client_for(users[name]) for name in ("coordinator-rs", "viewer", "manager"))
    before = snapshot()
    # same role, another country: the Romanian action is not one they may choose
    refused = other.post("/awareness/new/", form_for(actions["ro"].pk))
    assert refused.status_code == 200 and "action" in refused.context["form"].errors
    assert viewer.post("/awareness/new/", form_for(actions["ro"].pk)).status_code == 404
    assert client_for(None).post("/awareness/new/", form_for(actions["ro"].pk)).status_code == 302
    # the funding action does not run in Serbia; the end before the start
    response = manager.post("/awareness/new/", form_for(actions["ro"].pk, countries=["RO", "RS"], end="2024-12-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["countries"] == ["The funding action does not run in RS."]
    assert errors["end"] == ["The end cannot come before the start."]
    assert snapshot() == before
    with pytest.raises(Http404):
        services.create_campaign(acting_user=users["coordinator-rs"], data=campaign_data(actions["ro"]))
    assert snapshot() == before


def test_materials_with_files_checked_like_action_documents_versions_and_review(world) -> None:
    users, campaign = world["users"], world["campaign"]
    coordinator, other, manager = (client_for(users[n]) for n in ("coordinator-ro", "coordinator-rs", "manager"))
    before = snapshot()
    fake = SimpleUploadedFile("poster.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = coordinator.post(f"/awareness/{campaign.pk}/materials/new/", {
        "title": "Poster", "kind": "poster", "language": "rom", "risk": "lover_boy", "upload": fake})
    assert response.status_code == 200
    assert response.context["form"].errors == {"upload": ["poster.png is not what its extension says."]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
    macros = SimpleUploadedFile("leaflet.docx", buffer.getvalue(), content_type="application/octet-stream")
    response = coordinator.post(f"/awareness/{campaign.pk}/materials/new/", {
        "title": "Leaflet", "kind": "leaflet", "language": "ro", "risk": "job_offers", "upload": macros})
    assert response.context["form"].errors == {"upload": ["leaflet.docx contains macros; save it without macros."]}
    assert snapshot() == before
    response = coordinator.post(f"/awareness/{campaign.pk}/materials/new/", {
        "title": "Poster", "kind": "poster", "language": "sr-Cyrl", "risk": "lover_boy", "text": "Пази се",
        "upload": SimpleUploadedFile("poster.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    version = MaterialVersion.objects.get()
    assert (version.number, version.status, version.content_type) == (1, "draft", "image/png")
    page = coordinator.get(f"/awareness/{campaign.pk}/").content.decode()
    assert f'<img src="/awareness/versions/{version.pk}/file/"' in page and "Пази се" in page
    preview = coordinator.get(f"/awareness/versions/{version.pk}/file/")
    assert preview["Content-Type"] == "image/png" and "attachment" not in preview.get("Content-Disposition", "")
    assert other.get(f"/awareness/versions/{version.pk}/file/").status_code == 404
    # review: sent by an editor; the author may not approve their own version; a manager may
    assert coordinator.post(f"/awareness/versions/{version.pk}/review/", {"status": "in_review"}).status_code == 302
    assert coordinator.post(f"/awareness/versions/{version.pk}/review/", {"status": "approved"}).status_code == 404
    assert other.post(f"/awareness/versions/{version.pk}/review/", {"status": "approved"}).status_code == 404
    assert MaterialVersion.objects.get().status == "in_review"
    manager.post(f"/awareness/versions/{version.pk}/review/", {"status": "approved"})
    approved = MaterialVersion.objects.get()
    assert (approved.status, approved.reviewed_by.username) == ("approved", "manager")
    response = coordinator.post(f"/awareness/materials/{version.material_id}/versions/new/",
                                {"text": "Пази се, нови текст", "note": "clearer"})
    assert response.status_code == 302
    assert list(MaterialVersion.objects.values_list("number", "status")) == [(2, "draft"), (1, "approved")]
    kinds = list(AuditEvent.objects.filter(object_type="awareness.materialversion").order_by("seq").values_list(
        "action", flat=True))
    assert kinds == ["create", "export", "update", "update", "create"]


def test_a_reach_period_from_the_grid_and_a_bad_row_named(world) -> None:
    users, campaign = world["users"], world["campaign"]
    coordinator, other = client_for(users["coordinator-ro"]), client_for(users["coordinator-rs"])
    before = snapshot()
    response = coordinator.post(f"/awareness/{campaign.pk}/reach/new/", {
        "start": "2024-03-01", "end": "2025-06-30", "n_social_media_female_18-24": "10"})
    assert response.context["form"].errors == {"start": ["A reach period lies within the campaign (2024-03-01 to "
                                                         "2024-12-31)."]}
    with pytest.raises(Exception) as caught:
        services.record_reach(acting_user=users["manager"], campaign=campaign, data=reach_data(
            counts=[("social_media", "female", "18-24", 5), ("radio", "female", "0-99", 3),
                    ("social_media", "female", "18-24", 1)]))
    assert caught.value.message_dict == {"counts": [  # type: ignore[attr-defined]
        "row 2: unknown channel 'radio'; unknown age band '0-99'", "row 3: given twice"]}
    assert other.post(f"/awareness/{campaign.pk}/reach/new/", {
        "start": "2024-03-01", "end": "2024-04-30", "n_social_media_female_18-24": "10"}).status_code == 404
    assert snapshot() == before
    response = coordinator.post(f"/awareness/{campaign.pk}/reach/new/", {
        "start": "2024-03-01", "end": "2024-04-30", "target": "100", "n_social_media_female_18-24": "10",
        "n_job_fairs_male_40+": "4", "survey_before_answers": "40", "survey_before_right": "10",
        "survey_after_answers": "40", "survey_after_right": "30"})
    assert response.status_code == 302
    period = ReachPeriod.objects.get()
    assert sorted(period.counts.values_list("channel", "sex", "age_band", "people")) == [
        ("job_fairs", "male", "40+", 4), ("social_media", "female", "18-24", 10)]
    page = coordinator.get(f"/awareness/{campaign.pk}/").content.decode().replace("\u00a0", " ")
    assert "+50.0 points (95 % interval +28.5 to +65.3)" in page
    assert AuditEvent.objects.filter(object_type="awareness.reachperiod", action="create").count() == 1
    edit = coordinator.get(f"/awareness/reach/{period.pk}/edit/")
    assert edit.context["form"].initial["n_social_media_female_18-24"] == 10


def test_the_campaign_page_shows_the_actions_budget_and_its_help_lines_with_staleness(world) -> None:
    from palermo.referral import services as referral

    users, campaign = world["users"], world["campaign"]
    line = referral.add_service(acting_user=users["coordinator-ro"], organisation=world["iom"], country="RO",
                                service_types=["helpline"], area="national", languages="ro",
                                contact="entered by a coordinator", last_verified=date(2020, 1, 1))
    services.update_campaign(acting_user=users["coordinator-ro"], campaign=campaign,
                             data=campaign_data(world["actions"]["ro"], contact_points=[line]))
    page = client_for(users["coordinator-ro"]).get(f"/awareness/{campaign.pk}/").content.decode()
    assert "120,000" in page and "stale: verify before use" in page and "entered by a coordinator" in page
    with pytest.raises(Exception) as caught:
        services.update_campaign(acting_user=users["manager"], campaign=campaign, data=campaign_data(
            world["actions"]["ro"], contact_points=[line], countries=["RO"], populations=[]))
    assert caught.value.message_dict == {"populations": ["Choose at least one."]}  # type: ignore[attr-defined]


def test_the_list_downloads_and_a_bad_filter_names_its_field(world) -> None:
    client = client_for(world["users"]["manager"])
    csv = client.get("/awareness/?format=csv")
    assert csv.status_code == 200 and "Safe jobs abroad" in csv.content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(object_type="awareness.campaigns", action="export").count() == 1
    bad = client.get("/awareness/?year=abc")
    assert bad.status_code == 400 and "Safe jobs abroad" not in bad.content.decode()


def test_the_pages_in_french(world) -> None:
    client = client_for(world["users"]["coordinator-ro"], "fr")
    client.post("/i18n/setlang/", {"language": "fr"})
    page = client.get(f"/awareness/{world['campaign'].pk}/").content.decode()
    assert "Portée et effet" in page and "roumain" in page
    assert "Campagnes de sensibilisation" in client.get("/awareness/").content.decode()


def test_every_write_leaves_its_audit_row(world) -> None:
    from palermo.awareness.choices import ReviewStatus

    users, campaign, manager = world["users"], world["campaign"], world["users"]["manager"]
    kinds: list[tuple[str, str]] = []

    def written(before: int) -> list[tuple[str, str]]:
        return list(AuditEvent.objects.order_by("seq")[before:].values_list("object_type", "action"))

    before = AuditEvent.objects.count()
    services.update_campaign(acting_user=users["coordinator-ro"], campaign=campaign,
                             data=campaign_data(world["actions"]["ro"], title="Renamed"))
    version = services.add_material(acting_user=users["coordinator-ro"], campaign=campaign, title="Spot",
                                    kind="radio", language="ro", risk_addressed="job_offers", text="Atenție")
    services.add_version(acting_user=users["coordinator-ro"], material=version.material, text="Atenție!")
    services.review_version(acting_user=users["coordinator-ro"], version=version, status=ReviewStatus.IN_REVIEW)
    services.review_version(acting_user=manager, version=version, status=ReviewStatus.APPROVED)
    period = services.record_reach(acting_user=manager, campaign=campaign, data=reach_data())
    services.update_reach(acting_user=manager, period=period, data=reach_data(target=10))
    kinds = written(before)
    assert kinds == [("awareness.campaign", "update"), ("awareness.materialversion", "create"),
                     ("awareness.materialversion", "create"), ("awareness.materialversion", "update"),
                     ("awareness.materialversion", "update"), ("awareness.reachperiod", "create"),
                     ("awareness.reachperiod", "update")]
