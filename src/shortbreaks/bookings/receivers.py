"""What the bookings app does when an authority is made (it gets its booking policy), when
someone signs in (the rush gate's role snapshot) and when a session changes (the gate asks the
database again)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from shortbreaks.core.models import Authority

from . import rush
from .models import Session


@receiver(post_save, sender=Authority, dispatch_uid="bookings.give_the_authority_its_booking_policy")
def give_the_authority_its_booking_policy(sender, instance, created, raw=False, **kwargs):
    from .models import BookingPolicy

    if created and not raw:
        BookingPolicy.objects.get_or_create(authority=instance)


@receiver(user_logged_in, dispatch_uid="bookings.snapshot_parent_roles")
def snapshot_parent_roles(sender, request, user, **kwargs):
    rush.snapshot_parent_roles(request, user)


@receiver(post_save, sender=Session, dispatch_uid="bookings.forget_full_session")
def forget_full_session(sender, instance, **kwargs):
    rush.forget_full(instance.pk)
