from rest_framework import serializers

from subsidies.models import ExportJob, Payment

MAX_ID = 2**63 - 1  # bigint primary keys


class PaymentSerializer(serializers.ModelSerializer):
    """A tranche (拨付批次). amount is a string in 元 with two decimals; negative = 应退回."""

    project_name = serializers.CharField(source="project.display_name", read_only=True)
    district_code = serializers.CharField(source="project.street.parent.code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    payer_label = serializers.CharField(source="get_payer_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "project", "project_name", "district_code", "kind", "kind_label", "amount",
                  "payer", "payer_label", "state", "state_label", "due_on", "fiscal_year", "trigger",
                  "basis", "reason", "voucher_no", "approved_at", "paid_at"]
        read_only_fields = fields


class ApproveSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1,
                                max_length=1000, help_text="资金记录编号")


class MarkPaidSerializer(ApproveSerializer):
    voucher_no = serializers.CharField(max_length=60, help_text="拨付凭证号（必填）")


class BulkResultSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.ListField(child=serializers.IntegerField())


class ExportJobSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    progress = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "kind", "file_format", "params", "state", "state_label", "progress", "total_rows",
                  "done_rows", "filename", "error", "created_at", "finished_at", "expires_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        from django.urls import reverse

        if job.state != ExportJob.State.DONE:
            return None
        return reverse("subsidies:export_download", args=[job.pk])


class ExportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    file_format = serializers.ChoiceField(choices=[("xlsx", "Excel"), ("csv", "CSV")], default="xlsx")
    year = serializers.IntegerField(required=False, min_value=2019, max_value=2035)
    district = serializers.RegexField(r"^\d{6}$", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from subsidies.reports import REPORTS

        self.fields["kind"].choices = [(key, report.title) for key, report in REPORTS.items()]
