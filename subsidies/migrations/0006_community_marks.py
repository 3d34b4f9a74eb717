import django.db.models.deletion
from django.db import migrations, models


def forget_marks(apps, schema_editor):
    # The old mark digested whole tables; the new one assumes community marks it has none of.
    apps.get_model("subsidies", "SubsidyRunMark").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0007_list_order_indexes"),
        ("subsidies", "0005_subsidy_run_mark"),
    ]

    operations = [
        migrations.RunPython(forget_marks, migrations.RunPython.noop),
        migrations.RemoveField(model_name="subsidyrunmark", name="facts"),
        migrations.RemoveField(model_name="subsidyrunmark", name="ledger"),
        migrations.AddField(
            model_name="subsidyrunmark",
            name="shared",
            field=models.CharField(default="", max_length=64, verbose_name="共用事实摘要"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="SubsidyCommunityMark",
            fields=[
                ("community", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                   related_name="+", serialize=False, to="communities.community",
                                                   verbose_name="社区")),
                ("facts_rows", models.IntegerField(verbose_name="事实行数")),
                ("facts_hash", models.BigIntegerField(verbose_name="事实摘要")),
                ("ledger_rows", models.IntegerField(verbose_name="台账行数")),
                ("ledger_hash", models.BigIntegerField(verbose_name="台账摘要")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="按日期需重算日")),
                ("computed_on", models.DateField(verbose_name="计算日期")),
            ],
            options={
                "verbose_name": "社区补助计算水位",
                "verbose_name_plural": "社区补助计算水位",
            },
        ),
    ]
