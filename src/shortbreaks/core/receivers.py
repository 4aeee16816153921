"""What core does when an authority is made."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Authority


@receiver(post_save, sender=Authority)
def give_the_authority_its_footer_pages(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .site_pages import pages_for_new_authority

        pages_for_new_authority(instance)
