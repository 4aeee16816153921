"""What the bookings app does when an authority is made: it gets its booking policy."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from shortbreaks.core.models import Authority


@receiver(post_save, sender=Authority, dispatch_uid="bookings.give_the_authority_its_booking_policy")
def give_the_authority_its_booking_policy(sender, instance, created, raw=False, **kwargs):
    from .models import BookingPolicy

    if created and not raw:
        BookingPolicy.objects.get_or_create(authority=instance)
