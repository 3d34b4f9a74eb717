# The inbox, deliveries and heartbeats moved to portal (its migration renames the tables).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0001_initial'),
        ('acceptance', '0003_deadlines_alerts_notifications'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.RemoveField(
                model_name='delivery',
                name='notification',
            ),
            migrations.RemoveField(
                model_name='delivery',
                name='user',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='digest',
            ),
            migrations.DeleteModel(
                name='Heartbeat',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='alert',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='project',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='user',
            ),
            migrations.DeleteModel(
                name='Delivery',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
        ]),
    ]
