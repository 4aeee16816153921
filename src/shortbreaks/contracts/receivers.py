"""What the contracts app does when an authority is made (it gets its monitoring policy) and
when procurement makes an award with no standstill period, a grant (its agreement is offered
at once)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from shortbreaks.core.models import Authority
from shortbreaks.procurement.models import Award
from shortbreaks.procurement.routes import rules_for
from shortbreaks.procurement.signals import award_made


@receiver(post_save, sender=Authority, dispatch_uid="contracts.give_the_authority_its_monitoring_policy")
def give_the_authority_its_monitoring_policy(sender, instance, created, raw=False, **kwargs):
    from .models import MonitoringPolicy

    if created and not raw:
        MonitoringPolicy.objects.get_or_create(authority=instance, version=1)


@receiver(award_made, sender=Award, dispatch_uid="contracts.offer_at_once_without_standstill")
def offer_at_once_without_standstill(sender, award, **kwargs):
    """Sent after the award's transaction commits: a route without a standstill period takes
    effect at once, so the agreement is offered now."""
    from .services import award_confirm

    if not rules_for(award.lot.opportunity.route).standstill:
        award_confirm(award=award, confirmed_by=award.decided_by)
