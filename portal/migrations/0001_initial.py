# Moves the inbox, e-mail deliveries and heartbeats (from acceptance) and export jobs (from
# subsidies) into this app: the state first, on their old tables, then the tables renamed.

import django.db.models.deletion
import portal.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('acceptance', '0003_deadlines_alerts_notifications'),
        ('subsidies', '0002_paid_payment_is_final'),
        ('projects', '0003_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Heartbeat',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=40, unique=True)),
                    ('last_seen', models.DateTimeField()),
                    ('detail', models.JSONField(blank=True, default=dict)),
                ],
                options={
                    'db_table': 'acceptance_heartbeat',
                    'verbose_name': '后台任务心跳',
                    'verbose_name_plural': '后台任务心跳',
                },
            ),
            migrations.CreateModel(
                name='Delivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('single', '逐条'), ('digest', '每日汇总')], max_length=8, verbose_name='类型')),
                    ('digest_on', models.DateField(blank=True, null=True, verbose_name='汇总日期')),
                    ('to_address', models.CharField(max_length=254, verbose_name='收件地址')),
                    ('state', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('failed', '发送失败（已放弃）')], default='pending', max_length=8, verbose_name='状态')),
                    ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                    ('last_error', models.TextField(blank=True, verbose_name='最近错误')),
                    ('next_attempt_at', models.DateTimeField(verbose_name='下次尝试时间')),
                    ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'acceptance_delivery',
                    'verbose_name': '邮件投递',
                    'verbose_name_plural': '邮件投递',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='ExportJob',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('scope_path', models.CharField(blank=True, help_text='申请时的数据范围（区划路径）；范围变更后不能下载', max_length=255, verbose_name='数据范围')),
                    ('kind', models.CharField(help_text='portal.exports 登记的导出种类', max_length=20, verbose_name='报表')),
                    ('file_format', models.CharField(default='xlsx', max_length=4, verbose_name='格式')),
                    ('params', models.JSONField(blank=True, default=dict, verbose_name='参数')),
                    ('state', models.CharField(choices=[('queued', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '失败')], db_index=True, default='queued', max_length=10, verbose_name='状态')),
                    ('total_rows', models.PositiveIntegerField(default=0, verbose_name='行数')),
                    ('done_rows', models.PositiveIntegerField(default=0, verbose_name='已写行数')),
                    ('file', models.FileField(blank=True, upload_to=portal.models.export_path)),
                    ('filename', models.CharField(blank=True, max_length=200, verbose_name='文件名')),
                    ('error', models.CharField(blank=True, max_length=300, verbose_name='错误')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('started_at', models.DateTimeField(blank=True, null=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='下载截止')),
                    ('requester', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='export_jobs', to=settings.AUTH_USER_MODEL, verbose_name='申请人')),
                ],
                options={
                    'db_table': 'subsidies_exportjob',
                    'verbose_name': '导出任务',
                    'verbose_name_plural': '导出任务',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('event', models.CharField(max_length=32, verbose_name='事件')),
                    ('key', models.CharField(max_length=60)),
                    ('title', models.CharField(max_length=200, verbose_name='标题')),
                    ('body', models.TextField(blank=True, verbose_name='内容')),
                    ('mode', models.CharField(choices=[('email', '逐条邮件'), ('digest', '每日汇总邮件'), ('none', '仅站内')], max_length=8, verbose_name='邮件方式')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                    ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                    ('digest', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='digested', to='portal.delivery')),
                    ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='projects.creationproject')),
                    ('alert', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='acceptance.alert')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'acceptance_notification',
                    'verbose_name': '站内消息',
                    'verbose_name_plural': '站内消息',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.AddField(
                model_name='delivery',
                name='notification',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='portal.notification'),
            ),
            migrations.AddIndex(
                model_name='notification',
                index=models.Index(fields=['user', 'read_at'], name='notification_user_unread'),
            ),
            migrations.AddIndex(
                model_name='notification',
                index=models.Index(condition=models.Q(('digest', None), ('mode', 'digest')), fields=['user'], name='notification_digest_pending'),
            ),
            migrations.AddConstraint(
                model_name='notification',
                constraint=models.UniqueConstraint(fields=('user', 'key'), name='notification_once_per_user'),
            ),
            migrations.AddIndex(
                model_name='delivery',
                index=models.Index(condition=models.Q(('state', 'pending')), fields=['next_attempt_at'], name='delivery_pending_due'),
            ),
            migrations.AddConstraint(
                model_name='delivery',
                constraint=models.UniqueConstraint(condition=models.Q(('kind', 'single')), fields=('notification',), name='delivery_once_per_notification'),
            ),
            migrations.AddConstraint(
                model_name='delivery',
                constraint=models.UniqueConstraint(condition=models.Q(('kind', 'digest')), fields=('user', 'digest_on'), name='delivery_one_digest_per_day'),
            ),
        ]),
        # The tables get this app's names; the alert link becomes the inbox's generic link.
        migrations.AlterModelTable(name='heartbeat', table=None),
        migrations.AlterModelTable(name='delivery', table=None),
        migrations.AlterModelTable(name='exportjob', table=None),
        migrations.AlterModelTable(name='notification', table=None),
        migrations.RemoveField(model_name='notification', name='alert'),
        migrations.AddField(
            model_name='notification',
            name='link',
            field=models.CharField(blank=True, help_text='站内链接（如项目页），由发出通知的应用给出', max_length=200, verbose_name='相关页面'),
        ),
        migrations.AddField(
            model_name='notification',
            name='link_label',
            field=models.CharField(blank=True, max_length=200, verbose_name='相关对象'),
        ),
        # Notifications recorded before the move link to their project's page.
        migrations.RunSQL(
            "UPDATE portal_notification SET link = '/projects/' || CAST(project_id AS TEXT) || '/' "
            "WHERE project_id IS NOT NULL",
            migrations.RunSQL.noop),
    ]
