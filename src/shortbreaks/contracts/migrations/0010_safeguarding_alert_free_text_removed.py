# The free-text handling is now the alert's first step (0009); the columns go.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ('contracts', '0009_safeguarding_handled_becomes_a_step'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='safeguardingalert',
            name='action_taken',
        ),
        migrations.RemoveField(
            model_name='safeguardingalert',
            name='handled_at',
        ),
        migrations.RemoveField(
            model_name='safeguardingalert',
            name='handled_by',
        ),
    ]
