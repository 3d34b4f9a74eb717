# Export jobs moved to portal and the annual plan to dashboards (their migrations rename the tables).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0001_initial'),
        ('dashboards', '0001_initial'),
        ('subsidies', '0002_paid_payment_is_final'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.RemoveField(
                model_name='exportjob',
                name='requester',
            ),
            migrations.DeleteModel(
                name='AnnualPlan',
            ),
            migrations.DeleteModel(
                name='ExportJob',
            ),
        ]),
    ]
