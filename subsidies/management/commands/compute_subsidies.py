"""python manage.py compute_subsidies [--today YYYY-MM-DD] [--full] (CONTRACTS §3)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from subsidies.services import compute_subsidies


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期：{value!r}") from None


class Command(BaseCommand):
    help = "按各项目适用政策计算核定补助与拨付批次（与每日定时任务相同，可重复执行）；输出新增/变更的拨付笔数"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, default=None,
                            help="按此日期计算（默认今天，Asia/Shanghai），格式 YYYY-MM-DD")
        parser.add_argument("--full", action="store_true",
                            help="重新计算全部社区（默认只计算自上次计算以来事实、台账或日期变化所涉及的社区）")

    def handle(self, *args, today, full, **options):
        result = compute_subsidies(iso_date(today) if today else None, full=full)
        self.stdout.write(str(result))
