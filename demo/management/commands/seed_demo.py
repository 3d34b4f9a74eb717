"""Deterministic synthetic data on top of the reference fixtures (CONTRACTS §3)."""

import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.acceptance_seed import seed_deadlines
from demo.communities_seed import demo_password, seed_communities, seed_users
from demo.projects_seed import seed_projects
from portal import generation
from subsidies.services import compute_subsidies


class Command(BaseCommand):
    help = "生成演示数据（确定性）：--scale demo 为每个角色生成一个演示账号和各状态的项目"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "province", "nation"], default="demo",
                            help="demo：每个角色一个账号、各状态项目；province：约5千社区/1万项目；"
                                 "nation：约12万社区/30万项目/100万流转记录（PostgreSQL 用 COPY）")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true",
                            help="在 DEBUG=False 的环境中也执行（生产环境慎用）")

    def handle(self, *args, scale, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG=False：拒绝在生产环境生成演示数据；确需执行请加 --force。")
        call_command("load_reference_data", verbosity=0)
        rng = random.Random(seed)
        users = seed_users()
        communities = seed_communities(rng)
        extra = [f"projects={seed_projects(rng)}", seed_deadlines(rng), f"subsidies: {compute_subsidies()}"]
        if scale != "demo":
            from demo.scale_seed import seed_scale

            counts = seed_scale(scale, seed, self.stdout)
            extra.append(" ".join(f"{k}={v}" for k, v in counts.items()))
        generation.changed()  # bulk-created rows: no model signal saw them
        self.stdout.write(f"seed_demo scale={scale} seed={seed}: users={len(users)} "
                          f"new_communities={communities} " + " ".join(map(str, extra)))
        self.stdout.write(f"演示账号（密码 {demo_password()}）：")
        for username, office in users:
            self.stdout.write(f"  {username:<20} {office}")
