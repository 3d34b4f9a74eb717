from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from subsidies.models import ApprovedSubsidy, Payment, SubsidyOverride

# These rows change only through subsidies.services (核定, 拨付, compute_subsidies); a paid
# payment never changes at all.


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "project", "kind", "payer", "amount", "state", "due_on", "fiscal_year", "voucher_no"]
    list_filter = ["state", "kind", "payer", "fiscal_year"]
    search_fields = ["project__name", "project__community__name", "voucher_no", "trigger"]
    list_select_related = ["project__community"]


@admin.register(ApprovedSubsidy)
class ApprovedSubsidyAdmin(ReadOnlyAdmin):
    list_display = ["project", "amount", "basis", "computed_at"]
    list_select_related = ["project__community"]


@admin.register(SubsidyOverride)
class SubsidyOverrideAdmin(ReadOnlyAdmin):
    """一事一议: proposed by district finance and decided by the district office on the statement page."""

    list_display = ["project", "amount", "reason", "document_no", "state", "requested_by", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["project__community", "requested_by", "decided_by"]
