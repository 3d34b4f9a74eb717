"""政策文件库: the four policy documents as the portal shows them, cut into their clauses, and
the link from a basis (依据, e.g. "富阳 四(六)", "嘉兴 二(二)6") to the clause it names.

The texts are the documents as issued (fixtures/policy_documents/). A clause's anchor is
`<document>-<section>[-<subsection>[-<item>]]` in Arabic numbers ("fuyang-4-6"); a basis links
to the most specific anchor that exists, else to the document.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

# (slug, prefix used in every basis, file, title) in the order the library lists them.
DOCUMENTS = (
    ("shaoxing-2019", "绍兴2019", "shaoxing-2019-shaozhengbanfa-39.txt",
     "绍兴市人民政府办公室关于加快推进绍兴市未来社区建设的实施意见（绍政办发〔2019〕39号）"),
    ("shaoxing-2023", "绍兴2023", "shaoxing-2023-shaozhengbanfa-21.txt",
     "绍兴市全域未来社区建设实施方案（绍政办发〔2023〕21号）"),
    ("jiaxing", "嘉兴", "jiaxing-2023-draft.txt", "嘉兴市高质量推进全域未来社区建设实施意见（征求意见稿，2023年）"),
    ("fuyang", "富阳", "fuyang-2021-2023-draft.txt",
     "杭州市富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿）"),
)
PREFIXES = {prefix: slug for slug, prefix, _, _ in DOCUMENTS}
NUMERALS = "一二三四五六七八九十"
CN = r"[一二三四五六七八九十]{1,3}"

SECTION = re.compile(rf"^(?:({CN})、|(\d{{1,2}})、\s)")
SUBSECTION = re.compile(rf"^[（(]\s*({CN})\s*[）)]")
ITEM = re.compile(r"^(\d{1,2})[\.．]\s*\S")
BASIS = re.compile(rf"(绍兴2019|绍兴2023|嘉兴|富阳)\s*(?:({CN})(?:[（(]({CN})[）)])?(\d{{1,2}})?)?")
NOISE = re.compile(r"^(?:\[bookmark:[^\]]*\]\s*)+|^[-–—]\s+")


def cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return NUMERALS.index(text) + 1
    tens, _, units = text.partition("十")
    return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(units) + 1 if units else 0)


@dataclass
class Paragraph:
    text: str
    anchor: str = ""  # set on the paragraph that opens a clause
    level: int = 0  # 1 section, 2 subsection, 3 item


@dataclass
class Document:
    slug: str
    prefix: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)

    @property
    def clauses(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.anchor]


def parse(slug: str, prefix: str, title: str, text: str) -> Document:
    document = Document(slug, prefix, title)
    section = subsection = None
    for raw in text.splitlines():
        line = NOISE.sub("", raw.strip()).strip()
        if not line or line.startswith("—"):
            continue
        paragraph = Paragraph(line)
        if match := SECTION.match(line):
            section, subsection = cn_number(match.group(1) or match.group(2)), None
            paragraph.anchor, paragraph.level = f"{slug}-{section}", 1
        elif section and (match := SUBSECTION.match(line)):
            subsection = cn_number(match.group(1))
            paragraph.anchor, paragraph.level = f"{slug}-{section}-{subsection}", 2
        elif section and (match := ITEM.match(line)):
            parent = f"{slug}-{section}" + (f"-{subsection}" if subsection else "")
            paragraph.anchor, paragraph.level = f"{parent}-{int(match.group(1))}", 3
        if paragraph.anchor in document.anchors:  # a repeated number in the text: keep the first
            paragraph.anchor = ""
        document.anchors.add(paragraph.anchor)
        document.paragraphs.append(paragraph)
    document.anchors.discard("")
    return document


@lru_cache(maxsize=1)
def documents() -> tuple[Document, ...]:
    folder = Path(settings.BASE_DIR) / "fixtures" / "policy_documents"
    return tuple(parse(slug, prefix, title, (folder / name).read_text(encoding="utf-8"))
                 for slug, prefix, name, title in DOCUMENTS)


def anchor_for(prefix: str, section: str | None, subsection: str | None, item: str | None) -> str:
    """The most specific existing anchor for a clause reference, else the document's."""
    slug = PREFIXES[prefix]
    anchors = next(d.anchors for d in documents() if d.slug == slug)
    parts = [cn_number(x) for x in (section, subsection, item) if x]
    if section and not subsection and item:  # "嘉兴 二6" is not a form the documents use
        parts = parts[:1]
    while parts:
        candidate = "-".join([slug, *map(str, parts)])
        if candidate in anchors:
            return candidate
        parts.pop()
    return slug


def clause_references(basis: str):
    """Each clause a basis names: (start, end, anchor) in the basis text."""
    for match in BASIS.finditer(basis or ""):
        yield match.start(), match.end(), anchor_for(*match.groups())
