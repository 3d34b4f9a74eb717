# Surveys moved to the residents app (residents.0002 copies the rows first).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0002_loginevent_operationlog'),
        ('residents', '0002_move_community_surveys'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Survey',
        ),
    ]
