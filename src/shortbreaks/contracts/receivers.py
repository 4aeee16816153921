"""What the contracts app does when an authority is made: it gets its monitoring policy."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from shortbreaks.core.models import Authority


@receiver(post_save, sender=Authority, dispatch_uid="contracts.give_the_authority_its_monitoring_policy")
def give_the_authority_its_monitoring_policy(sender, instance, created, raw=False, **kwargs):
    from .models import MonitoringPolicy

    if created and not raw:
        MonitoringPolicy.objects.get_or_create(authority=instance, version=1)
