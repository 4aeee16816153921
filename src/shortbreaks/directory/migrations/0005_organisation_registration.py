"""Organisations register themselves and wait for approval. Every organisation already here
was put in by the council (or the demo), so it is approved (0006 fills in the rest)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_throttle_hits'),
        ('directory', '0004_term_ordering'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='address_line',
            field=models.CharField(blank=True, max_length=300, verbose_name='address'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='contact_name',
            field=models.CharField(blank=True, max_length=200, verbose_name="main contact's name"),
        ),
        migrations.AddField(
            model_name='organisation',
            name='cqc_location_id',
            field=models.CharField(blank=True, max_length=16, verbose_name='CQC location ID'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='organisation',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='organisation',
            name='ofsted_urn',
            field=models.CharField(blank=True, max_length=10, verbose_name='Ofsted URN'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='postcode',
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name='organisation',
            name='refusal_reason',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='organisation',
            name='registered_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='organisation',
            name='registration',
            field=models.CharField(choices=[('pending', 'Waiting for approval'), ('approved', 'Approved'), ('refused', 'Refused')], default='approved', max_length=10),
        ),
        # Those already here are approved; a new one waits.
        migrations.AlterField(
            model_name='organisation',
            name='registration',
            field=models.CharField(choices=[('pending', 'Waiting for approval'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=10),
        ),
        migrations.AddField(
            model_name='organisation',
            name='town',
            field=models.CharField(blank=True, max_length=100, verbose_name='town or city'),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=models.Index(fields=['authority', 'registration'], name='directory_o_authori_2c5975_idx'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=models.Q(('is_published', False), ('registration', 'approved'), _connector='OR'), name='organisation_published_only_when_approved'),
        ),
    ]
