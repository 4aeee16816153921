"""What the procurement app does when an authority is made: it gets its procurement policy."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from shortbreaks.core.models import Authority


@receiver(post_save, sender=Authority, dispatch_uid="procurement.give_the_authority_its_procurement_policy")
def give_the_authority_its_procurement_policy(sender, instance, created, raw=False, **kwargs):
    from .models import ProcurementPolicy

    if created and not raw:
        ProcurementPolicy.objects.get_or_create(authority=instance)
