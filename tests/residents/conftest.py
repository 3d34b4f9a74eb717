import datetime as dt

import pytest

from residents import services
from residents.models import SurveyTemplate

TODAY = services.today()


def ago(days):
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def templates(db):
    services.load_default_templates()
    return {t.kind: t for t in SurveyTemplate.objects.all()}


@pytest.fixture
def jiaxing_listed(listed_project, users):
    """A 嘉兴 project listed 30 days ago (嘉兴 二(五)13 surveys belong to its creation period)."""
    return listed_project("jiaxing", listed_on=ago(30))


@pytest.fixture
def qr_survey(templates, jiaxing_listed, users):
    """An open 满意度调研 of the listed 嘉兴 project, created by its street from the template."""
    return services.create_qr_survey(users["street_jianshe"], jiaxing_listed, templates["satisfaction"],
                                     opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=14))


def answer_form(survey, overall="满意", **extra):
    """The POST body a phone sends: the first choice question answered with `overall`."""
    first = survey.questions[0]["key"]
    return {first: overall, **extra}
