"""Small pages written for the tests in several scripts: Han, Cyrillic, Arabic, Devanagari, Thai, Hangul."""

from __future__ import annotations

import json
from pathlib import Path

# (file name, declared language or None, title, paragraphs)
PAGES = [
    ("quake.html", "zh", "北京发生强烈地震 市民连夜疏散",
     ["今天凌晨北京郊区发生强烈地震，震感波及整个城市。",
      "地震发生后，市政府立即启动应急预案，数千名市民连夜疏散到公园和广场。",
      "专家表示，这次地震是近五十年来该地区最强的一次，余震可能持续数周。"]),
    ("elections.html", "ru", "Выборы в Москве прошли спокойно",
     ["В воскресенье в Москве прошли выборы в городскую думу.",
      "Избирательная комиссия сообщила, что явка на выборы оказалась выше, чем пять лет назад.",
      "Наблюдатели отметили, что голосование прошло спокойно и без серьёзных нарушений."]),
    ("rain.html", "ar", "أمطار غزيرة في القاهرة",
     ["هطلت أمطار غزيرة على مدينة القاهرة صباح اليوم وأغلقت عدة طرق رئيسية.",
      "وقالت هيئة الأرصاد إن الأمطار ستستمر حتى نهاية الأسبوع في معظم المحافظات."]),
    ("library.html", "hi", "दिल्ली में नया पुस्तकालय खुला",
     ["दिल्ली में आज एक नया सार्वजनिक पुस्तकालय खुला जिसमें पचास हज़ार किताबें हैं।",
      "पुस्तकालय के निदेशक ने कहा कि बच्चों के लिए हिन्दी और अंग्रेज़ी की किताबें अलग कमरे में रखी गई हैं।"]),
    ("festival.html", "th", "เทศกาลดอกไม้ที่เชียงใหม่",
     ["เทศกาลดอกไม้ประจำปีที่เชียงใหม่เริ่มขึ้นในวันนี้ มีนักท่องเที่ยวมาร่วมงานจำนวนมาก",
      "ผู้จัดงานกล่าวว่าปีนี้มีขบวนรถดอกไม้มากกว่าปีที่แล้ว"]),
    ("subway.html", "ko", "서울 지하철 새 노선 개통",
     ["서울 지하철 새 노선이 오늘 개통되어 시민들이 첫 열차를 탔습니다.",
      "서울시는 새 노선이 출퇴근 시간을 크게 줄일 것이라고 밝혔습니다."]),
    ("harbour.html", "en", "Harbour dredging plan approved",
     ["The harbour authority approved a plan on Tuesday to dredge the channel.",
      "Fishermen said the dredging would let larger boats reach the quay at low tide."]),
]
# A page declaring no language: identified from its text.
UNDECLARED = ("theatre.html", "Театр открылся после ремонта",
              ["Городской театр снова открылся после трёх лет ремонта.",
               "Первым спектаклем стала пьеса Чехова, билеты на которую раскупили за два дня."])


def page_html(lang: str | None, title: str, paragraphs: list[str]) -> str:
    """A saved page: title, headline and article paragraphs, its language declared when given."""
    declared = f' lang="{lang}"' if lang else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html{declared}><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def write_multilingual_corpus(root: Path) -> Path:
    """The pages above under root/world/, one file each, and a JSON Lines record declaring its language."""
    folder = root / "world"
    folder.mkdir(parents=True, exist_ok=True)
    for name, lang, title, paragraphs in PAGES:
        (folder / name).write_text(page_html(lang, title, paragraphs), encoding="utf-8")
    name, title, paragraphs = UNDECLARED
    (folder / name).write_text(page_html(None, title, paragraphs), encoding="utf-8")
    record = {"id": "notice", "title": "Avis aux habitants", "lang": "fr",
              "text": "La mairie informe les habitants que la piscine municipale restera fermée pendant les travaux."}
    (root / "records.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return root
