"""python manage.py sweep_deadlines [--today YYYY-MM-DD] — the daily Celery task's work (CONTRACTS §3)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today 日期格式应为 YYYY-MM-DD：{value!r}") from None


class Command(BaseCommand):
    help = "时限巡检：生成/更新时限，发出 90/30/7 天、到期与逾期预警，关闭已完成时限的预警，发送邮件"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=iso_date, help="按指定日期巡检（默认今天）")
        parser.add_argument("--policy-version", type=int,
                            help="先重新计算绑定该政策参数版本的全部项目的时限（参数修改后）")
        parser.add_argument("--no-email", action="store_true", help="只记录站内消息，不发送邮件")

    def handle(self, *args, today, policy_version, no_email, **options):
        from acceptance.deadlines import recompute_for_policy_version
        from acceptance.sweep import sweep_deadlines
        from portal.delivery import deliver_due

        if policy_version is not None:
            count = recompute_for_policy_version(policy_version, today)
            self.stdout.write(f"recomputed projects: {count}")
        result = sweep_deadlines(today)
        self.stdout.write(
            f"sweep {result.today}: alerts raised: {result.alerts_raised}, alerts closed: {result.alerts_closed}, "
            f"deadlines created: {result.deadlines_created}, met: {result.met}, overdue: {result.overdue}, "
            f"cancelled: {result.cancelled}, notifications: {result.notifications}")
        if not no_email:
            sent = deliver_due()
            self.stdout.write(f"e-mail sent: {sent['sent']}, failed: {sent['failed']}")
