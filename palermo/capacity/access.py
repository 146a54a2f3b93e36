"""Who may read and change what in capacity building: every rule of the app, in one place.

- Trainings (without names) are read as ``Training.objects.visible_to`` says: every-country roles (programme
  managers, auditors, viewers) all of them, country roles (embassy officers, national coordinators, analysts, case
  workers) their countries', international organisation partners those of the actions their organisation takes
  part in; everyone the trainings they organise.
- Participants by name (attendance, scores, follow-ups, certificates) are read only by the training's organisers
  and the programme managers (``Training.objects.named_for``); everyone else reads aggregates.
- A training is created by a programme manager (any), a national coordinator (in their countries) or an
  international organisation partner (for an action their organisation takes part in), who becomes one of its
  organisers; it is changed by the programme managers and its organisers. Embassy officers and viewers never
  organise, so they never read names.

``access_*`` answer 404 for a forbidden object exactly as for a missing one.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Actor, Principal, SystemActor, is_active_user
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.capacity.models import NAME_READER_ROLES, ORGANISER_ROLES, Material, Participant, Training
from palermo.programme.models import Action, ActionParticipation


def may_use_capacity(user: Principal | None) -> bool:
    """Every active signed-in user reads the trainings of their scope (at least in aggregate)."""
    return is_active_user(user)


def may_organise(actor: Principal | None) -> bool:
    """The roles that create trainings (and may be named their organisers)."""
    return isinstance(actor, SystemActor) or (is_active_user(actor) and actor.role in ORGANISER_ROLES)


def may_organise_in(actor: Actor, *, country: str, action: Action) -> bool:
    """Whether ``actor`` may hold a training in ``country`` funded by ``action``."""
    if isinstance(actor, SystemActor):
        return True
    if not may_organise(actor):
        return False
    if actor.role == Role.PROGRAMME_MANAGER:
        return True
    if actor.role == Role.NATIONAL_COORDINATOR:
        return actor.covers_country(country)
    return bool(actor.organisation_id) and ActionParticipation.objects.filter(
        action=action, organisation_id=actor.organisation_id).exists()


def may_edit_training(actor: Actor, training: Training) -> bool:
    """Programme managers and the training's organisers (of an organiser role)."""
    if isinstance(actor, SystemActor):
        return True
    if not is_active_user(actor):
        return False
    if actor.role == Role.PROGRAMME_MANAGER:
        return True
    return actor.role in ORGANISER_ROLES and training.organisers.filter(pk=actor.pk).exists()


def may_read_names(user: Principal | None, training: Training) -> bool:
    """Whether ``user`` reads the training's participants by name."""
    if not is_active_user(user):
        return False
    if user.role in NAME_READER_ROLES:
        return True
    return user.role in ORGANISER_ROLES and training.organisers.filter(pk=user.pk).exists()


def access_training(user: User, pk: int) -> Training:
    training = (Training.objects.visible_to(user).filter(pk=pk)
                .select_related("country", "action", "organiser_organisation").first())
    if training is None:
        raise Http404
    return training


def access_named_training(user: User, pk: int) -> Training:
    """A training whose participants ``user`` reads by name (404 otherwise)."""
    training = access_training(user, pk)
    if not may_read_names(user, training):
        raise Http404
    return training


def access_editable_training(user: User, pk: int) -> Training:
    training = access_training(user, pk)
    if not may_edit_training(user, training):
        raise Http404
    return training


def access_participant(user: User, pk: int) -> Participant:
    """A participant of a training ``user`` edits (the names are theirs to read)."""
    found = Participant.objects.visible_to(user).filter(pk=pk).select_related("training").first()
    if found is None or not may_edit_training(user, found.training):
        raise Http404
    return found


def access_material(user: User, pk: int) -> Material:
    """Materials are read by whoever reads the training."""
    found = Material.objects.filter(pk=pk, training__in=Training.objects.visible_to(user).values("pk")).first()
    if found is None:
        raise Http404
    return found
