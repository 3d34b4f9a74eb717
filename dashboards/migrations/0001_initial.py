# Moves the annual plan from subsidies into this app: the state first, on its old table, then the
# table renamed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('subsidies', '0002_paid_payment_is_final'),
        ('communities', '0002_loginevent_operationlog'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='AnnualPlan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                    ('tier', models.CharField(choices=[('provincial', '省级'), ('municipal', '市级'), ('county', '县级')], max_length=12, verbose_name='创建级别')),
                    ('planned', models.PositiveIntegerField(verbose_name='计划数')),
                    ('basis', models.CharField(default='绍兴2023 附件', max_length=100, verbose_name='依据')),
                    ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='annual_plans', to='communities.region', verbose_name='区、县（市）')),
                ],
                options={
                    'db_table': 'subsidies_annualplan',
                    'verbose_name': '年度创建计划',
                    'verbose_name_plural': '年度创建计划',
                    'ordering': ['district__path', 'year', 'tier'],
                    'constraints': [models.UniqueConstraint(fields=('district', 'year', 'tier'), name='annual_plan_once')],
                },
            ),
        ]),
        migrations.AlterModelTable(name='annualplan', table=None),
    ]
