"""政策文件库: the four documents by clause, and a basis (依据) linking to its clause. The
expected clause texts are quoted from the documents."""

import pytest
from django.template import Context, Template

from portal.policy_library import cn_number, documents

pytestmark = pytest.mark.django_db


def paragraph(anchor):
    return next(p.text for d in documents() for p in d.paragraphs if p.anchor == anchor)


def test_the_library_lists_the_four_documents(client_for):
    html = client_for("street_fuchun").get("/policies/").content.decode()
    for title in ("绍政办发〔2019〕39号", "绍政办发〔2023〕21号", "嘉兴市高质量推进全域未来社区建设实施意见",
                  "杭州市富阳区城镇未来社区创建工作行动方案"):
        assert title in html
    assert 'id="fuyang-4-6"' in html


@pytest.mark.parametrize(("anchor", "opening"), [
    ("fuyang-4-6", "（六）时间要求。经省（市）政府同意公布后的创建项目，旧改类原则上1年基本完成创建工作"),
    ("fuyang-5-3", "（三）落实经费保障。"),
    ("jiaxing-2-2-6", "6.统筹开展评估验收。"),
    ("shaoxing-2023-3-4-4", "4. 施工许可。"),
    ("shaoxing-2019-2-2", "(二)坚持分类统筹实施。"),
])
def test_clause_anchors_open_the_clause_text(anchor, opening):
    assert paragraph(anchor).startswith(opening)


@pytest.mark.parametrize(("basis", "link"), [
    ("富阳 四(六)", '<a class="basis-link" href="/policies/#fuyang-4-6">富阳 四(六)</a>'),
    ("嘉兴 二(二)6", '<a class="basis-link" href="/policies/#jiaxing-2-2-6">嘉兴 二(二)6</a>'),
    ("管理员设定参数（富阳 四(三)）",
     '管理员设定参数（<a class="basis-link" href="/policies/#fuyang-4-3">富阳 四(三)</a>）'),
    ("绍兴2023 附件", '<a class="basis-link" href="/policies/#shaoxing-2023">绍兴2023</a> 附件'),
    ("未设定（<script>）", "未设定（&lt;script&gt;）"),
])
def test_basis_link_points_at_the_clause(basis, link):
    html = Template("{% load portal %}{{ basis|basis_link }}").render(Context({"basis": basis}))
    assert html == link


def test_chinese_numbers():
    assert [cn_number(x) for x in ("一", "九", "十", "十二", "二十", "7")] == [1, 9, 10, 12, 20, 7]
