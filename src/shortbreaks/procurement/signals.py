"""What procurement tells later apps, which connect in their AppConfig.ready() (procurement never
imports them): award_made(award=...), sent once the award's transaction has committed; the
contracts app offers a grant's agreement at once, as a grant has no standstill period."""

from django.dispatch import Signal

award_made = Signal()
