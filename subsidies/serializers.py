from rest_framework import serializers

from subsidies.models import Payment

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
