"""What the directory app does when an authority is made: it gets its listing policy."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from shortbreaks.core.models import Authority


@receiver(post_save, sender=Authority, dispatch_uid="directory.give_the_authority_its_listing_policy")
def give_the_authority_its_listing_policy(sender, instance, created, raw=False, **kwargs):
    from .models import ListingPolicy

    if created and not raw:
        ListingPolicy.objects.get_or_create(authority=instance, version=1)
