"""What the accounts app tells the apps above it, and what it does when an authority is made."""

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from shortbreaks.core.models import Authority

# Sent inside the accepting transaction with invitation= and user=: the app the invitation is
# to (a family, a child's record, a procurement's panel) finishes it there, or raises a
# ServiceError and nothing is accepted.
invitation_accepted = Signal()


@receiver(post_save, sender=Authority)
def give_the_authority_its_account_policy(sender, instance, created, raw=False, **kwargs):
    from .models import AccountPolicy

    if created and not raw:
        AccountPolicy.objects.get_or_create(authority=instance, version=1)
