"""Small three-language feedback dumps with obvious complaints, shared by the app tests."""

from __future__ import annotations

import pandas as pd

COMPLAINTS = {
    "billing": [
        "I was charged twice this month", "Double charge on my card again",
        "You billed me two times for the same plan", "Why is there an extra fee on my bill",
        "Unexpected charges on my invoice", "My bill is higher than the agreed price",
        "Charged twice for one month, fix your billing", "There is a fee on my bill I never agreed to",
        "تم خصم المبلغ مرتين من حسابي", "فاتورتي فيها رسوم إضافية غير متوقعة", "خصموا مني الفاتورة مرتين هذا الشهر",
        "Am fost taxat de două ori luna aceasta", "Factura are taxe în plus pe care nu le înțeleg",
        "Mi-ați luat banii de două ori pe factură",
    ],
    "crash": [
        "The app crashes every time I open it", "App keeps crashing after the update",
        "The application freezes and closes by itself", "Since the update the app crashes on login",
        "Crashed again while paying my bill in the app", "The app just closes when I open the card screen",
        "The app crashes as soon as it starts", "The mobile app freezes and crashes constantly",
        "التطبيق يتوقف ويغلق بعد التحديث", "التطبيق ينهار كل مرة أفتحه", "التطبيق يعلق ويقفل لوحده",
        "Aplicația se închide singură după actualizare", "Aplicația se blochează de fiecare dată",
        "Aplicația crapă când o deschid",
    ],
    "wait": [
        "Waited 40 minutes on the phone for support", "Nobody answers the call centre, I waited an hour",
        "Support hold times are ridiculous", "I was on hold forever before talking to someone",
        "Customer service takes ages to pick up the phone", "Long queue every time I call support",
        "An hour on hold to reach customer support", "The call centre never picks up, endless waiting",
        "انتظرت ساعة على الهاتف ولم يرد أحد", "خدمة العملاء لا ترد والانتظار طويل جدا", "كل مرة أتصل أنتظر نص ساعة",
        "Am așteptat o oră la telefon să răspundă cineva", "Timpul de așteptare la call center e enorm",
        "Nu răspunde nimeni la serviciul clienți",
    ],
    "delivery": [
        "My new card still has not arrived after three weeks", "The SIM card delivery is very late",
        "Courier never delivered my card", "Tracking for my SIM has not moved in 10 days",
        "Ordered a card a month ago and it never came", "Delivery of my new card was delayed twice",
        "Still waiting for the card to be delivered", "The parcel with my SIM got lost",
        "البطاقة الجديدة ما وصلت بعد ثلاث أسابيع", "شريحة الاتصال ما وصلتني إلى الآن", "التوصيل متأخر جدا",
        "Cardul nou nu a sosit nici după trei săptămâni", "Livrarea cartelei SIM întârzie de o lună",
        "Curierul nu mi-a adus niciodată cardul",
    ],
}
PRAISE = [
    "Great service, very happy", "Love the new plan, good value", "Friendly staff in the shop",
    "خدمة ممتازة وسريعة", "Sunt foarte mulțumit de serviciu", "Everything works well, thanks",
]
# NPS by theme: billing is the clear detractor driver, crash mixed, wait low.
BASE_SCORE = {"billing": 1, "crash": 5, "wait": 3, "delivery": 4}


def feedback_frame(themes: tuple[str, ...] = ("billing", "crash", "wait"), per_theme: int = 14, praise: int = 10,
                   months: int = 3, social_every: int = 5, extra: bool = True, suffix: str = "") -> pd.DataFrame:
    """A survey + social dump: ``per_theme`` comments per complaint, ``praise`` promoters,
    and (``extra``) four edge cases: an empty comment, NPS 11, "n/a" and a comment holding HTML.
    ``suffix`` is appended to every complaint and praise, so the texts are new to the embedding cache."""
    rows = []
    index = 0
    for theme in themes:
        texts = COMPLAINTS[theme]
        for position, text in enumerate(texts[:per_theme]):
            social = position % social_every == social_every - 1
            rows.append({
                "response_id": f"{theme}-{position}",
                "submitted_at": f"2026-{6 + index % months:02d}-{1 + index % 27:02d}",
                "channel": "twitter" if social else "nps_survey",
                "comment": text + suffix,
                "nps": "" if social else str(BASE_SCORE[theme] + position % 3),
                "ces": "" if social else str(2 + position % 3),
            })
            index += 1
    for position in range(praise):
        rows.append({"response_id": f"praise-{position}", "submitted_at": f"2026-0{6 + position % months}-15",
                     "channel": "nps_survey", "comment": PRAISE[position % len(PRAISE)] + suffix,
                     "nps": str(9 + position % 2), "ces": "7"})
    if extra:
        rows += [
            {"response_id": "empty", "submitted_at": "2026-06-02", "channel": "nps_survey", "comment": " ",
             "nps": "10", "ces": "7"},
            {"response_id": "bad-score", "submitted_at": "2026-06-03", "channel": "nps_survey",
             "comment": "fine I guess", "nps": "11", "ces": "4"},
            {"response_id": "na", "submitted_at": "2026-06-04", "channel": "nps_survey", "comment": "n/a",
             "nps": "8", "ces": "5"},
            {"response_id": "html", "submitted_at": "2026-06-05", "channel": "nps_survey",
             "comment": "<script>alert('x')</script> I was charged twice & nobody helps", "nps": "0", "ces": "1"},
        ]
    return pd.DataFrame(rows)


def social_frame(themes: tuple[str, ...] = ("billing", "crash", "wait"), per_theme: int = 14, praise: int = 8,
                 suffix: str = "") -> pd.DataFrame:
    """Social mentions only, no score column: ``comment``, ``posted_at`` (UTC, with times spread over
    weekdays and hours) and ``platform`` (twitter / facebook)."""
    texts = [text for theme in themes for text in COMPLAINTS[theme][:per_theme]]
    texts += [PRAISE[i % len(PRAISE)] for i in range(praise)]
    return pd.DataFrame({
        "comment": [text + suffix for text in texts],
        # 2026-03-02 is a Monday; hour and weekday move at different paces so the grid is not a diagonal
        "posted_at": [f"2026-03-{2 + i % 7:02d} {(5 * i) % 24:02d}:{(7 * i) % 60:02d}:00" for i in range(len(texts))],
        "platform": ["facebook" if i % 3 == 0 else "twitter" for i in range(len(texts))],
    })
