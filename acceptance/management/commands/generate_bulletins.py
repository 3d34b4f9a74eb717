"""python manage.py generate_bulletins [--today YYYY-MM-DD] — 月度通报 and 季度晾晒 (绍兴2023 四)."""

from django.core.management.base import BaseCommand

from acceptance.management.commands.sweep_deadlines import iso_date


class Command(BaseCommand):
    help = "生成上月月度通报和上季度晾晒排名（已生成的不重复生成）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=iso_date, help="按指定日期生成（默认今天）")

    def handle(self, *args, today, **options):
        from acceptance.bulletins import generate_bulletins

        created = generate_bulletins(today)
        self.stdout.write(f"bulletins created: {len(created)}"
                          + "".join(f"\n  {b.city} {b.get_kind_display()} {b.period}" for b in created))
