"""Facts JSON on stdin → rulings JSON on stdout (CONTRACTS §3); bad input: exit 2."""

import json
import sys

from django.core.management.base import BaseCommand

from policies.base import FactsError
from projects.simulation import simulate_with_parameters


class Command(BaseCommand):
    help = "政策模拟：从标准输入读取事实 JSON，向标准输出写出裁定 JSON"

    def handle(self, *args, **options):
        raw = sys.stdin.read()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.fail("(input)", f"输入不是有效的 JSON：{exc.msg}（第{exc.lineno}行第{exc.colno}列）")
        try:
            rulings = simulate_with_parameters(data)
        except FactsError as exc:
            self.fail(exc.field, exc.message)
        self.stdout.write(json.dumps(rulings, ensure_ascii=False))

    def fail(self, field, message):
        sys.stderr.write(f"{field}: {message}\n")
        sys.exit(2)
