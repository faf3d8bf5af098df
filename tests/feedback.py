"""A small three-language dump shared by the end-to-end tests: three planted complaints,
ten phrasings each (six English, two Arabic, two Romanian)."""

COMPLAINTS = {
    "crash": [
        "The app crashes every time I open it", "App keeps crashing after the update",
        "The application freezes and closes by itself", "Since the update the app crashes on login",
        "Crashed again while paying my bill", "The app just closes when I open the card screen",
        "التطبيق يتوقف ويغلق بعد التحديث", "التطبيق ينهار كل مرة أفتحه",
        "Aplicația se închide singură după actualizare", "Aplicația se blochează de fiecare dată",
    ],
    "billing": [
        "I was charged twice this month", "Double charge on my card again",
        "You billed me two times for the same plan", "Why is there an extra fee on my bill",
        "Unexpected charges on my invoice", "My bill is higher than the agreed price",
        "تم خصم المبلغ مرتين من حسابي", "فاتورتي فيها رسوم إضافية غير متوقعة",
        "Am fost taxat de două ori luna aceasta", "Factura are taxe în plus pe care nu le înțeleg",
    ],
    "wait": [
        "Waited 40 minutes on the phone for support", "Nobody answers the call centre, I waited an hour",
        "Support hold times are ridiculous", "I was on hold forever before talking to someone",
        "Customer service takes ages to pick up", "Long queue every time I call support",
        "انتظرت ساعة على الهاتف ولم يرد أحد", "خدمة العملاء لا ترد والانتظار طويل جدا",
        "Am așteptat o oră la telefon să răspundă cineva", "Timpul de așteptare la call center e enorm",
    ],
}
