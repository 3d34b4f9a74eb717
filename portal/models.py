"""Models of the shared plumbing: the inbox (站内消息) and its e-mail deliveries, background
export jobs and the heartbeats of periodic jobs. They reference users only: no domain model."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One event for one user: the in-app inbox (站内消息). E-mail is a Delivery of it.

    `mode` is fixed when recorded: immediate e-mail, the user's daily digest, or none (no
    e-mail address). `key` makes recording idempotent per user ("alert:17", ...). The app that
    notifies gives the link to its object (`link`, `link_label`): the inbox knows no domain model.
    """

    class Mode(models.TextChoices):
        EMAIL = "email", "逐条邮件"
        DIGEST = "digest", "每日汇总邮件"
        NONE = "none", "仅站内"

    # user is not indexed alone (notification_once_per_user and notification_user_unread lead
    # with it), sender and digest only where set: the daily sweep inserts 100,000 of these.
    # No database constraints on user and project: see acceptance.models.SWEEP_WRITTEN.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", db_index=False, db_constraint=False)
    event = models.CharField("事件", max_length=32)
    key = models.CharField(max_length=60)
    # The project an event is about (CONTRACTS: /api/notifications/ `project`): a lazy reference,
    # so this app imports no domain app.
    project = models.ForeignKey("projects.CreationProject", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+", db_constraint=False)
    # Who caused the event (the staff member whose move it was), shown with name and phone.
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="发送人", db_index=False)
    link = models.CharField("相关页面", max_length=200, blank=True,
                            help_text="站内链接（如项目页），由发出通知的应用给出")
    link_label = models.CharField("相关对象", max_length=200, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    mode = models.CharField("邮件方式", max_length=8, choices=Mode.choices)
    digest = models.ForeignKey("Delivery", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="digested", db_index=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user"], name="notification_digest_pending",
                         condition=models.Q(mode="digest", digest=None)),
            models.Index(fields=["sender"], name="notification_sender", condition=models.Q(sender__isnull=False)),
            models.Index(fields=["digest"], name="notification_digest", condition=models.Q(digest__isnull=False)),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """An e-mail: one notification, or one user's daily digest. Failures are kept and retried
    with backoff (attempts, last_error, next_attempt_at); the in-app notification never depends
    on it."""

    class Kind(models.TextChoices):
        SINGLE = "single", "逐条"
        DIGEST = "digest", "每日汇总"

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败（已放弃）"

    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="deliveries")
    digest_on = models.DateField("汇总日期", null=True, blank=True)
    to_address = models.CharField("收件地址", max_length=254)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "邮件投递"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification"], name="delivery_once_per_notification",
                                    condition=models.Q(kind="single")),
            models.UniqueConstraint(fields=["user", "digest_on"], name="delivery_one_digest_per_day",
                                    condition=models.Q(kind="digest")),
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="delivery_pending_due",
                                condition=models.Q(state="pending"))]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_address} ({self.get_state_display()})"


class Heartbeat(models.Model):
    """Last time a periodic job ran ("worker", "sweep"): a stopped worker must be visible."""

    name = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务心跳"

    def __str__(self):
        return f"{self.name} {self.last_seen:%Y-%m-%d %H:%M}"


def export_path(instance, filename):
    import uuid

    return f"exports/{instance.requester_id}/{uuid.uuid4().hex}"


class ExportJob(models.Model):
    """A large export run in the background (DOMAIN §8). Only its requester may download
    it, within the scope they had when asking, until it expires. `kind` is a key of the
    export registry (portal.exports.register): a report or a list of any app."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人",
                                  on_delete=models.CASCADE, related_name="export_jobs")
    scope_path = models.CharField("数据范围", max_length=255, blank=True,
                                  help_text="申请时的数据范围（区划路径）；范围变更后不能下载")
    kind = models.CharField("报表", max_length=20, help_text="portal.exports 登记的导出种类")
    file_format = models.CharField("格式", max_length=4, default="xlsx")
    params = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED,
                             db_index=True)
    total_rows = models.PositiveIntegerField("行数", default=0)
    done_rows = models.PositiveIntegerField("已写行数", default=0)
    file = models.FileField(upload_to=export_path, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("下载截止", null=True, blank=True)
    # Written when the job is claimed and every time the writer reports progress: a running
    # job whose heartbeat is older than EXPORT_STALLED_MINUTES lost its worker and is taken
    # back by portal.exports.catch_up (once: `attempts` counts the runs started).
    heartbeat_at = models.DateTimeField("心跳", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "导出任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.get_state_display()}"

    @property
    def progress(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.done_rows * 100 // self.total_rows)


class Notice(models.Model):
    """通知公告: a notice an administrator posts to every user of the portal. Shown from its
    publish date on; pinned ones first. Each user's reading is a NoticeRead."""

    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    published_on = models.DateField("发布日期")
    pinned = models.BooleanField("置顶", default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="发布人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知公告"
        ordering = ["-pinned", "-published_on", "-id"]

    def __str__(self):
        return self.title


class NoticeRead(models.Model):
    """One user's reading of one notice (已读标记)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "公告阅读记录"
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]

    def __str__(self):
        return f"{self.user_id} 已读 {self.notice_id}"
