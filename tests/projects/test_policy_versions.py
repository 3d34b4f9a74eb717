import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from projects.models import PolicyVersion
from projects.policy_versions import FIXTURE, document_versions

pytestmark = pytest.mark.django_db


def test_fixture_carries_exactly_the_documents_numbers():
    assert json.loads(FIXTURE.read_text(encoding="utf-8")) == document_versions()


def test_every_policy_has_its_document_version_loaded(db):
    codes = set(PolicyVersion.objects.values_list("policy_code", flat=True))
    assert codes == {"shaoxing-2019", "shaoxing-2023", "jiaxing-2023", "fuyang-2021"}


@pytest.mark.parametrize("parameters, key", [
    ({"advance_rate": "1.5"}, "advance_rate"),
    ({"amount_municipal": "-1"}, "amount_municipal"),
    ({"years_renovation": "two"}, "years_renovation"),
    ({"no_such_parameter": 1}, "no_such_parameter"),
])
def test_admin_validation_names_the_bad_parameter(parameters, key):
    version = PolicyVersion(policy_code="fuyang-2021", effective_from=dt.date(2030, 1, 1),
                            parameters=parameters)
    with pytest.raises(ValidationError) as info:
        version.full_clean()
    assert key in str(info.value)


def test_project_binds_to_version_in_force_on_listing_date(api_for, create_project):
    from projects.models import CreationProject
    from tests.projects.test_lifecycle_api import act

    later = PolicyVersion.objects.create(policy_code="fuyang-2021", effective_from=dt.date(2024, 1, 1),
                                         parameters={"years_renovation": 2})
    pid = create_project("fuyang")["id"]
    act(api_for, "street_fuchun", pid, "submit")
    act(api_for, "district_fuyang", pid, "approve")
    act(api_for, "district_fuyang", pid, "record_listing", listed_on="2023-06-01", document_no="富风貌〔2023〕9号")
    project = CreationProject.objects.get(pk=pid)
    assert project.policy_version != later and project.policy_version.effective_from == dt.date(2021, 1, 1)
    assert project.construction_deadline == dt.date(2024, 6, 1)
    assert project.construction_deadline_basis == "富阳 四(六)"
