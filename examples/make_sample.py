#!/usr/bin/env python3
"""Build ``examples/sample_feedback.csv``: a fictional but realistic feedback dump.

The company ("Nuvio": phone plan + banking-style app + payment card) is
invented, and every phrase below was written by hand for cxtext. Comments are
assembled from interchangeable fragments (opener, core complaint/praise,
detail, closer), then given the habits real customers have: typos, lower case,
ALL-CAPS anger, emoji, Arabic written without hamzas, Romanian social posts
written without diacritics, @handles, hashtags, links and retweets.

A few messy rows are planted on purpose (empty comments, non-answers, odd
score formats, invalid scores, duplicated social posts); ``--stats`` prints
how many of each, together with the theme / language / channel counts and the
NPS per theme, as Markdown for ``examples/README.md``.

Usage::

    python examples/make_sample.py            # (re)writes examples/sample_feedback.csv
    python examples/make_sample.py --stats    # also prints the counts
    python examples/make_sample.py --out /tmp/x.csv

Only the standard library is used; ``random.Random(7)`` drives every choice, so
two runs give byte-identical files. Licence: MIT, like the rest of cxtext.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
from collections import Counter
from pathlib import Path

SEED = 7
START = dt.date(2026, 6, 1)
END = dt.date(2026, 10, 31)
UPDATE_DAY = dt.date(2026, 9, 4)  # "the September update" (app version 5.2)
HEADER = ["response_id", "submitted_at", "channel", "segment", "comment", "nps", "ces"]
LANGS = ("en", "ar", "ro")

# --------------------------------------------------------------------------
# Themes. "pol" is the polarity of the theme's comments: neg, pos or mixed.
# Each language has "core" sentences (the theme itself), "detail" sentences
# (an optional second sentence), and "social" posts. app_crash also has
# "core_update"/"social_update" variants, used only after UPDATE_DAY; the
# mixed theme (coverage) splits cores and posts into *_pos and *_neg.
# --------------------------------------------------------------------------

THEMES: dict[str, dict] = {}

THEMES["app_crash"] = {
    "pol": "neg",
    "en": {
        "core": [
            "The app keeps crashing when I open the payments screen.",
            "App freezes on the loading screen and I have to force close it.",
            "Every time I try to top up, the app just closes by itself.",
            "The app is so unstable, it crashed twice while I was paying a bill.",
            "Can't check my balance because the app hangs on the spinner forever.",
            "The app goes white and freezes whenever I switch to the card tab.",
            "The app crashes constantly on my Samsung.",
            "Half the time the app won't even open, it shows the logo and dies.",
        ],
        "core_update": [
            "Since the September update the app crashes every single time I log in.",
            "After the last update the app freezes on the home screen.",
            "The new update (5.2) broke everything, the app closes as soon as I open transfers.",
            "Ever since the update in September the app is unusable on my iPhone.",
            "The latest update made the app crash whenever I try to scan a bill.",
            "Updated the app last week and now it freezes every few minutes.",
            "Reinstalled twice after the update and it still crashes on startup.",
            "Whatever you changed in the September update, please undo it, the app is a mess.",
        ],
        "detail": [
            "Reinstalling didn't help.",
            "I already cleared the cache and restarted the phone.",
            "My phone is up to date, so it's not on my side.",
            "I lost a transfer halfway through because of it.",
            "Had to go to the shop just to pay my bill.",
            "Happens on both my phone and my wife's.",
        ],
        "social": [
            "app crashed AGAIN in the middle of a payment 🙄",
            "is the app down for everyone or just me??",
            "3rd crash today. what is going on with your app",
            "app frozen on the login screen for an hour now",
            "can't even open the app to check my balance",
        ],
        "social_update": [
            "your September update broke the app, it won't even open",
            "whoever approved update 5.2 owes me an apology, app crashes nonstop",
            "since the update the app freezes every time I open transfers",
        ],
    },
    "ar": {
        "core": [
            "التطبيق يعلّق كل ما أفتح صفحة الدفع.",
            "التطبيق يطفي لحاله وأنا أشحن الرصيد.",
            "البرنامج ما يفتح أصلاً، يطلع الشعار وبعدين يقفل.",
            "التطبيق بطيء جداً ويهنّق طول الوقت.",
            "كل ما أحاول أحوّل فلوس التطبيق يطلعني برا.",
            "ما أقدر أشوف رصيدي لأن التطبيق يعلّق على شاشة التحميل.",
        ],
        "core_update": [
            "من بعد تحديث سبتمبر والتطبيق يقفل كل مرة أسجل دخول.",
            "بعد التحديث الأخير صار التطبيق يعلّق على الشاشة الرئيسية.",
            "التحديث الجديد خرّب التطبيق، ما عاد يشتغل على جوالي.",
            "حدّثت التطبيق الأسبوع الماضي ومن يومها وهو يطفي كل شوي.",
            "منذ التحديث الأخير أصبح التطبيق غير قابل للاستخدام.",
            "مسحت التطبيق ونزّلته مرتين بعد التحديث وبرضو يقفل.",
        ],
        "detail": [
            "حذفته ونزّلته من جديد وما فاد.",
            "جوالي محدّث والمشكلة مو من عندي.",
            "ضاع علي تحويل بسبب هالشي.",
            "اضطريت أروح الفرع عشان أدفع الفاتورة.",
        ],
        "social": [
            "التطبيق علّق مرة ثانية وأنا أدفع 🙄",
            "التطبيق واقف عند الكل ولا بس عندي؟",
            "ثالث مرة اليوم التطبيق يطفي، وش السالفة؟",
            "ما أقدر حتى أفتح التطبيق عشان أشوف رصيدي",
        ],
        "social_update": [
            "تحديث سبتمبر خرّب التطبيق، ما يفتح أبد",
            "من بعد التحديث والتطبيق يعلّق كل ما أفتح التحويلات",
        ],
    },
    "ro": {
        "core": [
            "Aplicația se blochează de fiecare dată când intru la plăți.",
            "Aplicația îngheață pe ecranul de încărcare și trebuie să o închid forțat.",
            "Când încerc să reîncarc cartela, aplicația se închide singură.",
            "Aplicația nici nu se deschide, apare logo-ul și gata.",
            "Nu pot să-mi văd soldul pentru că aplicația rămâne blocată.",
            "Aplicația crapă constant pe telefonul meu.",
        ],
        "core_update": [
            "De la actualizarea din septembrie, aplicația se închide la fiecare logare.",
            "După ultimul update aplicația îngheață pe ecranul principal.",
            "Noul update a stricat tot, aplicația nu mai merge deloc.",
            "Am actualizat aplicația săptămâna trecută și de atunci se blochează la câteva minute.",
            "Am reinstalat-o de două ori după update și tot crapă la pornire.",
            "Din septembrie încoace aplicația e practic inutilizabilă.",
        ],
        "detail": [
            "Reinstalarea nu a ajutat.",
            "Am golit cache-ul și am repornit telefonul, degeaba.",
            "Am pierdut un transfer pe jumătate din cauza asta.",
            "A trebuit să merg la magazin ca să-mi plătesc factura.",
        ],
        "social": [
            "Iar s-a blocat aplicația în mijlocul plății 🙄",
            "Doar la mine nu merge aplicația azi?",
            "A treia oară azi când crapă aplicația. Ce se întâmplă?",
            "Nu pot nici măcar să deschid aplicația ca să văd soldul",
        ],
        "social_update": [
            "Update-ul din septembrie a stricat aplicația, nu mai pornește deloc",
            "De la update aplicația se blochează de fiecare dată când intru la transferuri",
        ],
    },
}

THEMES["billing"] = {
    "pol": "neg",
    "en": {
        "core": [
            "I was charged twice for the same month.",
            "Got double charged on my card for the plan renewal.",
            "There are fees on my bill that nobody ever explained to me.",
            "My bill was almost double what I signed up for.",
            "You charged me a 'service fee' I never agreed to.",
            "Roaming charges showed up on my bill even though I never left the country.",
            "The monthly payment went out two times and nobody can tell me why.",
            "Hidden fees everywhere, the price on the website is not what I pay.",
            "I keep getting charged for an add-on I cancelled months ago.",
            "There was an unexpected charge on my statement with no explanation at all.",
        ],
        "detail": [
            "Still waiting for someone to explain it.",
            "Nobody at the call centre could tell me what it was for.",
            "I check my bill every month now because I don't trust it.",
            "The app shows one amount and the invoice shows another.",
            "This is the second time this year.",
        ],
        "social": [
            "why did you charge me twice this month??",
            "what is this random fee on my bill",
            "double charged. again. 😤",
            "my bill is 2x what I signed up for. please explain.",
            "who decided to add a 'service fee' without telling anyone",
        ],
    },
    "ar": {
        "core": [
            "انخصم مني المبلغ مرتين لنفس الشهر.",
            "فيه رسوم في الفاتورة محد شرح لي وش هي.",
            "الفاتورة طلعت تقريباً ضعف الباقة اللي اشتركت فيها.",
            "خصموا علي رسوم خدمة ما وافقت عليها.",
            "طلعت علي رسوم تجوال وأنا ما سافرت أصلاً.",
            "تم سحب الاشتراك الشهري مرتين من البطاقة بدون أي توضيح.",
            "رسوم مخفية في كل مكان، السعر اللي في الموقع غير اللي أدفعه.",
            "كل شهر يخصمون علي خدمة إضافية لغيتها من زمان.",
        ],
        "detail": [
            "للحين أنتظر أحد يشرح لي.",
            "حتى موظف الكول سنتر ما عرف وش هالرسوم.",
            "صرت أراجع الفاتورة كل شهر لأني ما أثق فيها.",
            "هذي ثاني مرة هالسنة.",
        ],
        "social": [
            "ليش انخصم مني مرتين هالشهر؟؟",
            "وش هالرسوم الغريبة اللي في فاتورتي",
            "خصم مرتين. مرة ثانية 😤",
            "الفاتورة ضعف الباقة اللي اشتركت فيها، أبي تفسير",
        ],
    },
    "ro": {
        "core": [
            "Mi-ați luat banii de două ori pentru aceeași lună.",
            "Am fost taxat dublu pe card la reînnoirea abonamentului.",
            "Pe factură apar taxe pe care nu mi le-a explicat nimeni.",
            "Factura a fost aproape dublă față de ce am semnat.",
            "Mi-ați pus o „taxă de serviciu” cu care nu am fost de acord.",
            "Am primit taxe de roaming deși nu am ieșit din țară.",
            "Abonamentul s-a retras de două ori și nimeni nu știe de ce.",
            "Taxe ascunse peste tot, prețul de pe site nu e cel pe care îl plătesc.",
            "Plătesc în continuare o opțiune pe care am anulat-o acum trei luni.",
        ],
        "detail": [
            "Încă aștept să-mi explice cineva.",
            "Nici cei de la call center n-au știut ce e.",
            "Acum îmi verific factura în fiecare lună pentru că nu mai am încredere.",
            "E a doua oară anul ăsta.",
        ],
        "social": [
            "De ce mi-ați luat banii de două ori luna asta??",
            "Ce e taxa asta ciudată de pe factură?",
            "Taxat dublu. Iar. 😤",
            "Factura e dublă față de ce am semnat, aștept o explicație",
        ],
    },
}

THEMES["wait_time"] = {
    "pol": "neg",
    "en": {
        "core": [
            "Waited over an hour on the phone to speak to someone.",
            "I was on hold for 50 minutes and then the call dropped.",
            "The call centre never picks up, it's just music and recorded messages.",
            "Support chat says an agent will be with you shortly and nobody comes for 40 minutes.",
            "Every time I call I'm told I'm number 30 in the queue.",
            "It took three calls and two hours in total to get anyone on the line.",
            "Waiting times on the support line are ridiculous.",
            "Queued in the shop for almost an hour just to ask one question.",
            "I've been waiting 5 days for a reply to my email.",
        ],
        "detail": [
            "By the time someone answered I had forgotten why I called.",
            "There's no callback option either.",
            "I spent my whole lunch break on hold.",
            "They transferred me twice and I had to start over each time.",
        ],
        "social": [
            "on hold for 55 minutes and counting ☎️",
            "does anyone actually work in your call centre",
            "1 hour in the chat queue. this is a joke",
            "still waiting for someone to answer my DM from Monday",
        ],
    },
    "ar": {
        "core": [
            "انتظرت أكثر من ساعة على الخط عشان أكلم موظف.",
            "قعدت على الانتظار ٥٠ دقيقة وبعدين انقطع الاتصال.",
            "خدمة العملاء ما يردون أبداً، بس موسيقى ورسائل مسجلة.",
            "المحادثة تقول بيتواصل معك موظف قريباً ومحد يرد لمدة ٤٠ دقيقة.",
            "كل ما أتصل يقولون ترتيبك ٣٠ في الانتظار.",
            "وقت الانتظار في خدمة العملاء طويل جداً وغير مقبول.",
            "انتظرت في الفرع قريب ساعة عشان سؤال واحد.",
            "أرسلت إيميل من خمسة أيام ولا جاني رد.",
        ],
        "detail": [
            "ولما ردوا حوّلوني لقسم ثاني ورجعت من الصفر.",
            "ولا فيه خيار إنهم يتصلون عليك بعدين.",
            "ضيعت استراحة الغدا كلها على الخط.",
        ],
        "social": [
            "صار لي ساعة على الانتظار ☎️",
            "فيه أحد يشتغل في خدمة العملاء عندكم؟",
            "أرسلت لكم خاص من يوم الاثنين ومحد رد",
            "ساعة كاملة في طابور المحادثة، مهزلة",
        ],
    },
    "ro": {
        "core": [
            "Am așteptat peste o oră la telefon ca să vorbesc cu cineva.",
            "Am stat 50 de minute în așteptare și apoi s-a închis apelul.",
            "La call center nu răspunde nimeni, doar muzică și mesaje înregistrate.",
            "Pe chat scrie că un operator vă va răspunde în curând și nu vine nimeni 40 de minute.",
            "De fiecare dată când sun sunt al 30-lea la coadă.",
            "Timpii de așteptare la suport sunt ridicoli.",
            "Am stat la coadă în magazin aproape o oră pentru o singură întrebare.",
            "Aștept de 5 zile un răspuns la email.",
        ],
        "detail": [
            "M-au transferat de două ori și a trebuit să explic totul de la capăt.",
            "Nici măcar nu există opțiunea să vă sune ei înapoi.",
            "Mi-am pierdut toată pauza de masă la telefon.",
        ],
        "social": [
            "Sunt de 55 de minute în așteptare ☎️",
            "Lucrează cineva la call center-ul vostru?",
            "V-am scris în privat de luni și nu mi-a răspuns nimeni",
            "O oră la coadă pe chat. Bătaie de joc",
        ],
    },
}

THEMES["refund"] = {
    "pol": "neg",
    "en": {
        "core": [
            "Still waiting for my refund after six weeks.",
            "They promised a refund in 5 working days, it's been a month.",
            "The refund for the overcharge never arrived.",
            "I returned the phone in July and I still don't have my money back.",
            "Every time I ask about my refund they say it's being processed.",
            "It took two months and four calls to get my money back.",
            "The refund was approved but never actually reached my account.",
            "Cancelled an order and the refund is nowhere to be seen.",
        ],
        "detail": [
            "Nobody gives me a reference number.",
            "Money is taken in seconds but returned in months.",
            "I have the confirmation email and it still hasn't come.",
            "Feels like they hope I'll just forget about it.",
        ],
        "social": [
            "6 weeks and still no refund. where is my money",
            "refund 'processing' since August lol",
            "promised a refund in 5 days. it's been a month.",
        ],
    },
    "ar": {
        "core": [
            "للحين أنتظر استرجاع فلوسي من ست أسابيع.",
            "وعدوني يرجعون المبلغ خلال ٥ أيام عمل وصار لي شهر.",
            "المبلغ اللي انخصم بالغلط ما رجع لي لين الحين.",
            "رجّعت الجوال في يوليو وللحين ما استرجعت فلوسي.",
            "كل ما أسأل عن الاسترداد يقولون الطلب قيد المعالجة.",
            "تمت الموافقة على الاسترداد بس المبلغ ما وصل حسابي.",
            "أخذ مني شهرين وأربع اتصالات عشان أرجّع فلوسي.",
        ],
        "detail": [
            "محد يعطيني رقم مرجعي.",
            "ياخذون الفلوس بثانية ويرجعونها بشهور.",
            "عندي إيميل التأكيد وبرضو ما وصل شي.",
        ],
        "social": [
            "ست أسابيع وما رجعت فلوسي، وين فلوسي؟",
            "الاسترداد قيد المعالجة من أغسطس 🙂",
            "وعدوني بالاسترداد خلال ٥ أيام وصار لي شهر",
        ],
    },
    "ro": {
        "core": [
            "Încă aștept banii înapoi după șase săptămâni.",
            "Mi-au promis returnarea banilor în 5 zile lucrătoare, a trecut o lună.",
            "Banii încasați în plus nu mi-au mai fost returnați.",
            "Am returnat telefonul în iulie și nici acum nu mi-am primit banii.",
            "De fiecare dată când întreb de rambursare, mi se spune că e „în procesare”.",
            "Rambursarea a fost aprobată, dar banii n-au ajuns niciodată în cont.",
            "Mi-a luat două luni și patru telefoane să-mi recuperez banii.",
        ],
        "detail": [
            "Nimeni nu-mi dă un număr de referință.",
            "Banii se iau într-o secundă, dar se dau înapoi în luni de zile.",
            "Am emailul de confirmare și tot nu au venit.",
        ],
        "social": [
            "Șase săptămâni și tot nu mi-ați dat banii înapoi",
            "Rambursarea e „în procesare” din august 🙂",
            "Mi-ați promis banii înapoi în 5 zile. A trecut o lună.",
        ],
    },
}

THEMES["delivery"] = {
    "pol": "neg",
    "en": {
        "core": [
            "My new SIM took three weeks to arrive.",
            "The replacement card still hasn't arrived after 20 days.",
            "Delivery of my card was delayed twice without any notice.",
            "The courier says delivered but I never got my SIM.",
            "I was told 2-3 days for the card, it took almost a month.",
            "Tracking for my SIM hasn't moved in 10 days.",
            "Waited at home all day for the SIM delivery and nobody came.",
        ],
        "detail": [
            "Meanwhile I couldn't use the card for anything.",
            "No SMS, no email, no update.",
            "I had to call three times to find out where it was.",
        ],
        "social": [
            "my SIM was supposed to arrive 2 weeks ago",
            "card marked as delivered. it was not delivered.",
            "still waiting on my replacement card, tracking hasn't moved",
        ],
    },
    "ar": {
        "core": [
            "الشريحة الجديدة أخذت ثلاث أسابيع عشان توصل.",
            "البطاقة البديلة للحين ما وصلت بعد ٢٠ يوم.",
            "تأخر توصيل البطاقة مرتين بدون أي إشعار.",
            "المندوب كاتب إنه تم التوصيل وأنا ما استلمت الشريحة.",
            "قالوا البطاقة توصل خلال يومين، وصلت بعد شهر تقريباً.",
            "تتبع الشحنة واقف من عشرة أيام.",
            "انتظرت في البيت طول اليوم عشان الشريحة ومحد جا.",
        ],
        "detail": [
            "وطول هالفترة ما قدرت أستخدم البطاقة.",
            "لا رسالة ولا إيميل ولا أي تحديث.",
            "اتصلت ثلاث مرات عشان أعرف وين وصلت.",
        ],
        "social": [
            "الشريحة المفروض توصل قبل أسبوعين",
            "مكتوب تم التوصيل وأنا ما استلمت شي",
            "للحين أنتظر البطاقة البديلة والتتبع ما تحرك",
        ],
    },
    "ro": {
        "core": [
            "Noul SIM a venit după trei săptămâni.",
            "Cardul de înlocuire nu a ajuns nici după 20 de zile.",
            "Livrarea cardului a fost amânată de două ori fără niciun anunț.",
            "Curierul a marcat coletul ca livrat, dar eu n-am primit nicio cartelă.",
            "Mi s-a spus că ajunge cardul în 2-3 zile, a durat aproape o lună.",
            "Statusul coletului nu s-a mai schimbat de 10 zile.",
            "Am stat acasă toată ziua să aștept curierul cu cartela SIM și nu a venit nimeni.",
        ],
        "detail": [
            "Între timp n-am putut folosi cardul deloc.",
            "Niciun SMS, niciun email, nimic.",
            "A trebuit să sun de trei ori ca să aflu unde e.",
        ],
        "social": [
            "Cartela trebuia să ajungă acum două săptămâni",
            "Scrie că e livrat, dar eu n-am primit nimic",
            "Încă aștept cardul de înlocuire, coletul nu s-a mișcat de zile întregi",
        ],
    },
}

THEMES["otp_login"] = {
    "pol": "neg",
    "en": {
        "core": [
            "The OTP code never arrives so I can't log in.",
            "I never receive the verification SMS.",
            "Can't log into the app, the one-time code comes 10 minutes late and is already expired.",
            "Locked out of my account because the code never came.",
            "The login code goes to my old number and I can't change it.",
            "I request the code again and again and nothing arrives.",
            "Tried to log in for two days, no OTP, no access to my own money.",
            "Face ID stopped working and the backup SMS code never comes.",
        ],
        "detail": [
            "Imagine a phone company that can't deliver its own SMS.",
            "Support told me to try again later.",
            "I couldn't pay my rent on time because of this.",
        ],
        "social": [
            "OTP never arrives, locked out of my own account",
            "no verification code for 2 days. can't log in",
            "your login code SMS takes 15 minutes and then it's expired 🤡",
        ],
    },
    "ar": {
        "core": [
            "رمز التحقق ما يوصل أبداً وما أقدر أدخل حسابي.",
            "الـ OTP ما يجيني نهائياً.",
            "الرمز يوصل بعد عشر دقايق ويكون منتهي.",
            "انقفل حسابي لأن رسالة الرمز ما وصلت.",
            "رمز الدخول يروح على رقمي القديم وما أقدر أغيّره.",
            "أطلب الرمز مرة ومرتين وعشر ومافي شي يوصل.",
            "صار لي يومين أحاول أسجل دخول بدون فايدة، لا رمز ولا شي.",
        ],
        "detail": [
            "شركة اتصالات وما تقدر توصل رسالة SMS؟",
            "الدعم قالوا لي حاول مرة ثانية بعدين.",
            "ما قدرت أدفع الإيجار في وقته بسبب هالمشكلة.",
        ],
        "social": [
            "رمز التحقق ما يوصل، حسابي مقفول",
            "يومين بدون رمز دخول، ما أقدر أفتح حسابي",
            "رسالة الرمز توصل بعد ربع ساعة وتكون منتهية 🤡",
        ],
    },
    "ro": {
        "core": [
            "Codul OTP nu vine niciodată, așa că nu mă pot loga.",
            "Nu primesc SMS-ul de verificare.",
            "Codul de unică folosință vine după 10 minute și e deja expirat.",
            "Mi s-a blocat contul pentru că nu a venit codul.",
            "Codul de logare se trimite pe numărul vechi și nu îl pot schimba.",
            "Cer codul din nou și din nou și nu primesc nimic.",
            "De două zile încerc să intru în cont, niciun cod, niciun acces la banii mei.",
        ],
        "detail": [
            "O companie de telefonie care nu poate trimite un SMS, serios?",
            "Cei de la suport mi-au zis să „încerc mai târziu”.",
            "N-am putut plăti chiria la timp din cauza asta.",
        ],
        "social": [
            "Nu vine codul OTP, sunt blocat în propriul cont",
            "De două zile nu primesc codul de logare",
            "SMS-ul cu codul vine după un sfert de oră și e deja expirat 🤡",
        ],
    },
}

THEMES["coverage"] = {
    "pol": "mixed",
    "en": {
        "core_pos": [
            "Signal is great downtown and 4G is fast.",
            "Network is solid most of the time, only the odd dropped call.",
            "Coverage has improved a lot this year.",
            "Mobile data is really fast, even on the train.",
            "Good coverage everywhere I've been, even in the mountains.",
            "Coverage is ok, nothing special but it works.",
        ],
        "core_neg": [
            "Coverage is fine in the city but there's no signal at all at my parents' place.",
            "Calls drop every time I get into the elevator and on the highway.",
            "No network in my apartment, I have to stand by the window to make a call.",
            "My calls drop at least three times a day.",
            "Internet speed is good but indoor coverage is weak.",
            "Reception in the countryside is poor.",
            "Data is fast but calls cut out when I'm driving.",
        ],
        "detail": [
            "Depends a lot on where you are.",
            "For the price I can live with it.",
            "I use wifi calling at home because of it.",
        ],
        "social_pos": [
            "5G speeds in the city are actually insane 🔥",
            "full signal in the middle of nowhere, impressed",
            "speed test on Nuvio 4G this morning: 180 Mbps 😮",
        ],
        "social_neg": [
            "no signal in the whole neighbourhood since this morning",
            "calls dropping every 5 minutes today",
            "signal on the train is non-existent",
            "is the network down again? no data at all",
        ],
    },
    "ar": {
        "core_pos": [
            "الشبكة قوية في وسط البلد والفور جي سريع.",
            "الشبكة زينة أغلب الوقت، أحياناً بس تنقطع المكالمة.",
            "التغطية تحسنت كثير هالسنة.",
            "سرعة النت ممتازة حتى وأنا على الطريق.",
            "التغطية عادية، لا زينة مرة ولا سيئة.",
        ],
        "core_neg": [
            "التغطية ممتازة في المدينة بس في بيت أهلي مافي شبكة أبداً.",
            "المكالمات تنقطع كل ما أدخل المصعد وعلى الطريق السريع.",
            "مافي إرسال داخل الشقة، لازم أوقف عند الشباك عشان أتكلم.",
            "المكالمات تقطع معي أكثر من ثلاث مرات في اليوم.",
            "سرعة النت حلوة بس التغطية داخل المباني ضعيفة.",
            "في البر الشبكة تختفي تماماً.",
        ],
        "detail": [
            "تعتمد على المكان.",
            "مقابل السعر أقدر أتحمل.",
            "صرت أستخدم مكالمات الواي فاي في البيت بسببها.",
        ],
        "social_pos": [
            "سرعة الفايف جي في المدينة خرافية 🔥",
            "شبكة كاملة في نص البر، ما توقعتها",
        ],
        "social_neg": [
            "مافي شبكة في الحي كله من الصبح",
            "المكالمات تقطع كل خمس دقايق اليوم",
            "الشبكة طايحة مرة ثانية؟ لا نت ولا اتصال",
        ],
    },
    "ro": {
        "core_pos": [
            "Rețeaua e foarte bună în centru, 4G-ul merge rapid.",
            "Rețeaua e ok de cele mai multe ori, din când în când mai pică un apel.",
            "Acoperirea s-a îmbunătățit mult anul ăsta.",
            "Internetul mobil e rapid, chiar și în tren.",
            "Acoperirea e ok, nimic special, dar merge.",
        ],
        "core_neg": [
            "Semnalul e bun în oraș, dar la țară la părinți nu am deloc rețea.",
            "Mi se întrerup apelurile de fiecare dată când intru în lift.",
            "În apartament nu am semnal, trebuie să stau lângă geam ca să vorbesc.",
            "Îmi pică apelurile de cel puțin trei ori pe zi.",
            "Internetul e rapid, dar în clădiri semnalul e slab.",
            "Pe autostradă pică semnalul la fiecare câțiva kilometri.",
        ],
        "detail": [
            "Depinde mult de zonă.",
            "Pentru prețul ăsta, se poate trăi cu asta.",
            "Acasă folosesc apeluri prin wifi din cauza asta.",
        ],
        "social_pos": [
            "Viteza 5G în oraș e senzațională 🔥",
            "Semnal full în creierii munților, chapeau",
        ],
        "social_neg": [
            "Fără semnal în tot cartierul de azi-dimineață",
            "Pică apelurile la fiecare 5 minute azi",
            "Iar nu merge rețeaua? Nici date, nici apeluri",
        ],
    },
}

THEMES["cancellation"] = {
    "pol": "neg",
    "en": {
        "core": [
            "Trying to cancel my plan is a nightmare.",
            "There is no cancel button anywhere in the app.",
            "To cancel I had to call, then send an email, then go to a shop.",
            "They kept trying to sell me a new offer instead of just cancelling.",
            "Cancelling the add-on took five steps hidden deep in the settings.",
            "I cancelled in August and they still charged me for September.",
            "The website says you can cancel online but the link just sends you in circles.",
            "Had to send a written letter to cancel, in 2026!",
        ],
        "detail": [
            "Clearly designed so you give up.",
            "Easy to sign up, impossible to leave.",
            "Three weeks later it's still not confirmed.",
        ],
        "social": [
            "trying to cancel for 3 weeks. no cancel button anywhere",
            "they still charged me after I cancelled",
            "why is cancelling 10x harder than signing up",
        ],
    },
    "ar": {
        "core": [
            "إلغاء الاشتراك صعب جداً، مافي زر إلغاء في التطبيق.",
            "عشان ألغي لازم أتصل وبعدين أرسل إيميل وبعدين أروح الفرع.",
            "كل ما أطلب الإلغاء يحاولون يبيعوني عرض جديد.",
            "لغيت في أغسطس وبرضو خصموا علي شهر سبتمبر.",
            "الموقع يقول تقدر تلغي أونلاين بس الرابط يلف فيك ويرجعك لنفس الصفحة.",
            "إلغاء الخدمة الإضافية مخفي بين خمس قوائم في الإعدادات.",
        ],
        "detail": [
            "واضح إنهم مسوينها صعبة عشان تمل وتترك.",
            "الاشتراك بضغطة والإلغاء مستحيل.",
        ],
        "social": [
            "لي ثلاث أسابيع أحاول ألغي الاشتراك ومافي فايدة",
            "لغيت الاشتراك وبرضو خصموا علي",
            "ليش الإلغاء أصعب بعشر مرات من الاشتراك؟",
        ],
    },
    "ro": {
        "core": [
            "E un coșmar să îți anulezi abonamentul.",
            "Nu există niciun buton de anulare în aplicație.",
            "Ca să anulez a trebuit să sun, apoi să trimit email, apoi să merg la magazin.",
            "În loc să-mi anuleze abonamentul, încercau să-mi vândă altă ofertă.",
            "Am anulat în august și tot mi-au luat banii pe septembrie.",
            "Pe site scrie că poți anula online, dar linkul te trimite în cerc.",
            "A trebuit să trimit o cerere scrisă ca să anulez, în 2026!",
        ],
        "detail": [
            "Clar e făcut special ca să renunți.",
            "Te abonezi dintr-un click, dar să pleci e imposibil.",
        ],
        "social": [
            "Încerc de 3 săptămâni să anulez abonamentul",
            "Am anulat și tot mi-au luat banii",
            "De ce e de zece ori mai greu să anulezi decât să te abonezi?",
        ],
    },
}

THEMES["staff"] = {
    "pol": "pos",
    "en": {
        "core": [
            "The staff at the shop were super friendly and helpful.",
            "The agent on the phone was patient and solved my problem in minutes.",
            "Big thanks to Maria at support, she was amazing.",
            "The guy in the store explained everything clearly and didn't push extra stuff.",
            "Customer service was polite and really knew what they were doing.",
            "The chat agent stayed with me until everything worked.",
            "Very helpful staff, they set up my new phone for me.",
            "Support called me back the next day as promised.",
        ],
        "detail": [
            "Rare to see that these days.",
            "That's why I stay with Nuvio.",
            "Give that person a raise.",
        ],
        "social": [
            "shoutout to the lady at the mall store, so helpful 🙏",
            "support sorted my issue in 5 minutes, impressed",
            "best customer service I've had in ages, thank you!",
        ],
    },
    "ar": {
        "core": [
            "الموظفين في الفرع كانوا محترمين ومتعاونين جداً.",
            "الموظف على الخط كان صبور وحل مشكلتي بدقايق.",
            "شكراً للأخ أحمد في خدمة العملاء، تعامل راقي.",
            "الموظفة شرحت لي كل شي بوضوح وما حاولت تبيعني أشياء زيادة.",
            "خدمة العملاء كانت ممتازة وسريعة ومحترمة.",
            "موظف الدردشة ظل معي لين انحلت المشكلة.",
            "اتصلوا علي ثاني يوم مثل ما وعدوا، شي يشكرون عليه.",
        ],
        "detail": [
            "نادر تلقى هالتعامل هالأيام.",
            "عشان كذا باقي معكم.",
            "يستاهل ترقية.",
        ],
        "social": [
            "شكراً لموظفة الفرع، كانت متعاونة مرة 🙏",
            "خدمة العملاء حلّوا مشكلتي بخمس دقايق، شكراً لكم",
            "أفضل خدمة عملاء تعاملت معها من زمان",
        ],
    },
    "ro": {
        "core": [
            "Personalul din magazin a fost foarte amabil și de ajutor.",
            "Operatorul de la telefon a avut răbdare și mi-a rezolvat problema în câteva minute.",
            "Mulțumiri Andreei de la suport, a fost minunată.",
            "Băiatul din magazin mi-a explicat totul clar și nu a încercat să-mi vândă nimic în plus.",
            "Cei de la relații cu clienții au fost politicoși și chiar știau ce fac.",
            "Operatoarea de pe chat a stat cu mine până s-a rezolvat tot.",
            "M-au sunat înapoi a doua zi, exact cum promiseseră.",
        ],
        "detail": [
            "Rar mai găsești așa ceva.",
            "De asta rămân la Nuvio.",
            "Merită o mărire de salariu.",
        ],
        "social": [
            "Mulțumesc fetei de la magazinul din mall, super de treabă 🙏",
            "Suportul mi-a rezolvat problema în 5 minute, bravo!",
            "Cea mai bună experiență cu un call center din ultimii ani",
        ],
    },
}

THEMES["value"] = {
    "pol": "pos",
    "en": {
        "core": [
            "Good price for what you get.",
            "Best value plan I've found, lots of data for the money.",
            "Cheaper than my old provider and the service is the same.",
            "The family plan saves us a lot every month.",
            "Great value, unlimited calls and plenty of data.",
            "No card fees and cashback on purchases, love it.",
            "Prices are fair and the student discount is great.",
            "For the money, you really can't beat it.",
        ],
        "detail": [
            "Switched my whole family over.",
            "Exactly what it says on the website.",
            "Nothing hidden in the small print.",
        ],
        "social": [
            "switched to Nuvio and pay half what I used to 💸",
            "unlimited data at this price?? sold",
            "no fees on the card, cashback every week, love it",
        ],
    },
    "ar": {
        "core": [
            "السعر ممتاز مقابل الخدمة.",
            "أفضل باقة لقيتها، نت كثير بسعر معقول.",
            "أرخص من شركتي القديمة والخدمة نفسها.",
            "باقة العائلة توفر علينا كثير كل شهر.",
            "مافي رسوم على البطاقة وفيه كاش باك، شي حلو.",
            "الأسعار معقولة وعروضهم دايماً حلوة.",
        ],
        "detail": [
            "حوّلت كل أهلي عليكم.",
            "نفس اللي مكتوب في الموقع بالضبط.",
        ],
        "social": [
            "حوّلت على نوفيو وصرت أدفع نص اللي كنت أدفعه 💸",
            "نت مفتوح بهالسعر؟ ممتاز",
            "بطاقة بدون رسوم وكاش باك كل أسبوع، تستاهل",
        ],
    },
    "ro": {
        "core": [
            "Preț bun pentru ce primești.",
            "Cel mai bun abonament găsit, mulți giga pentru banii ăștia.",
            "Mai ieftin decât la vechiul operator și serviciul e la fel.",
            "Abonamentul de familie ne scutește de mulți bani în fiecare lună.",
            "Fără comision la card și cu cashback la cumpărături, super.",
            "Prețurile sunt corecte, iar reducerea pentru studenți e foarte bună.",
        ],
        "detail": [
            "Mi-am mutat toată familia la voi.",
            "Exact ce scrie pe site.",
        ],
        "social": [
            "Am trecut la Nuvio și plătesc jumătate față de înainte 💸",
            "Internet nelimitat la prețul ăsta? Da!",
            "Card fără comisioane și cashback în fiecare săptămână, recomand",
        ],
    },
}

# Off-topic social chatter (ads, questions, contests): no theme on purpose.
NOISE = {
    "en": [
        "Nuvio's new ad with the dog is adorable 😂",
        "does Nuvio roaming work in Greece? anyone?",
        "Win a new phone! Follow and RT to enter 🎉",
        "just joined Nuvio, let's see how it goes",
        "who else got the Nuvio summer promo email?",
    ],
    "ar": [
        "إعلان نوفيو الجديد يضحك 😂",
        "أحد جرب تجوال نوفيو في تركيا؟",
        "سحب على جوال جديد! تابع وسوّ ريتويت 🎉",
    ],
    "ro": [
        "Reclama nouă Nuvio cu cățelul e superbă 😂",
        "Merge roamingul Nuvio în Grecia? Știe cineva?",
        "Concurs: câștigă un telefon nou! Dă share și tag unui prieten 🎉",
    ],
}

# Code-switched comments, written as bilingual customers actually write.
# (theme, channel kind, text)
MIXED = [
    ("app_crash", "survey", "The app keeps crashing بعد التحديث الأخير, please fix it"),
    ("wait_time", "survey", "customer service zero, am așteptat 45 de minute la telefon"),
    ("staff", "survey", "والله the staff at the mall branch were amazing 👏"),
    ("value", "survey", "Best price in town honestly، الباقة تستاهل"),
    ("app_crash", "social", "Aplicația crapă constant after the update, seriously guys"),
    ("otp_login", "social", "OTP not coming، ما أقدر أدخل الحساب من أمس"),
    ("billing", "social", "Double charge again?! Mi-ați luat banii de două ori, nu e ok"),
    ("coverage", "social", "network ضعيف جداً في البيت، ما أقدر أسوي call واحد"),
]

# Openers and closers shared by all themes, chosen by tone.
GENERIC = {
    "en": {
        "open_neg": ["Honestly, not impressed.", "Where do I even start.", "Really disappointed.",
                     "Ugh.", "Third time I'm writing this.", "Long time customer here."],
        "open_mid": ["Mixed feelings.", "Long time customer here.", "Overall ok."],
        "open_pos": ["Credit where it's due.", "Pleasantly surprised.", "Been with Nuvio for 3 years."],
        "close_neg": ["Fix it please.", "Seriously thinking about switching.", "Not acceptable.",
                      "Very frustrating.", "Wouldn't recommend right now.", "Sort it out.",
                      "I pay on time every month, the least you can do is make this work.",
                      "If this keeps up I'm leaving."],
        "close_mid": ["Otherwise it's fine.", "Rest of the service is ok.",
                      "Not terrible but needs work.", "Other than that, no complaints."],
        "close_pos": ["Keep it up!", "Would recommend.", "Thanks Nuvio!", "Already told my friends.",
                      "Happy customer."],
        "business": ["Business account here.", "We have 15 lines on the business plan.",
                     "Small business owner, all our phones are with Nuvio."],
        "then_pos": ["On the plus side,", "That said,", "To be fair,"],
        "then_neg": ["But", "However,", "Only problem:"],
    },
    "ar": {
        "open_neg": ["بصراحة مو راضي.", "للأسف تجربة سيئة.", "والله تعبت.",
                     "ثالث مرة أكتب نفس الملاحظة.", "أنا عميل عندكم من سنين."],
        "open_mid": ["بصراحة مشاعري مختلطة.", "بشكل عام الخدمة مقبولة.", "أنا عميل عندكم من سنين."],
        "open_pos": ["الصراحة تستاهلون الشكر.", "تجربة حلوة.", "عميل عندكم من ٣ سنوات."],
        "close_neg": ["الله يهديكم صلحوها.", "أفكر جدياً أحوّل لشركة ثانية.", "شي غير مقبول.",
                      "مزعج جداً.", "ما أنصح فيكم حالياً.",
                      "أدفع كل شهر في وقته وأقل شي تشتغل الخدمة صح.", "إذا استمر الوضع بلغي."],
        "close_mid": ["غير كذا كل شي تمام.", "باقي الخدمة مقبولة.", "مو سيئة بس تحتاج تحسين."],
        "close_pos": ["استمروا!", "أنصح فيكم.", "شكراً نوفيو.", "نصحت أهلي وأصحابي فيكم.", "عميل مبسوط."],
        "business": ["عندنا حساب شركة.", "عندنا ١٥ خط على باقة الأعمال.",
                     "عندي مؤسسة صغيرة وكل جوالات الموظفين عندكم."],
        "then_pos": ["بس للأمانة", "من ناحية ثانية", "بس"],
        "then_neg": ["بس", "لكن"],
    },
    "ro": {
        "open_neg": ["Sincer, sunt dezamăgit.", "Sincer, sunt dezamăgită.", "Nu știu de unde să încep.",
                     "A treia oară când scriu asta.", "Sunt client de ani de zile.", "Uf."],
        "open_mid": ["Păreri împărțite.", "Per total, ok.", "Sunt client de ani de zile."],
        "open_pos": ["Sincer, m-ați surprins plăcut.", "Sunt client de 3 ani.", "Jos pălăria."],
        "close_neg": ["Rezolvați odată!", "Mă gândesc serios să schimb operatorul.", "Inacceptabil.",
                      "Foarte frustrant.", "Nu vă recomand momentan.",
                      "Plătesc la timp în fiecare lună, măcar să meargă serviciul.",
                      "Dacă mai continuă așa, plec."],
        "close_mid": ["În rest e ok.", "Restul serviciilor sunt în regulă.", "Nu e groaznic, dar mai e de lucru."],
        "close_pos": ["Continuați tot așa!", "Vă recomand.", "Mulțumesc, Nuvio!",
                      "Le-am spus deja și prietenilor.", "Client mulțumit."],
        "business": ["Avem cont de firmă.", "Avem 15 linii pe abonamentul business.",
                     "Am o firmă mică și toate telefoanele sunt la voi."],
        "then_pos": ["Partea bună:", "Totuși,", "Dar"],
        "then_neg": ["Dar", "Doar că", "Problema e că"],
    },
}

EMOJI = {
    "neg": ["😡", "🤬", "😤", "🙄", "👎", "😡😡", "😠"],
    "mid": ["🤷", "😐", "🙃"],
    "pos": ["😍", "👍", "🙏", "😊", "👏", "❤️", "💯"],
}
HASHTAGS = {
    "en": {"neg": ["#NuvioFail", "#customerservice", "#fail", "#nuvio"],
           "pos": ["#Nuvio", "#NuvioLove", "#happycustomer"]},
    "ar": {"neg": ["#نوفيو", "#NuvioFail", "#خدمة_العملاء"], "pos": ["#نوفيو", "#شكرا_نوفيو"]},
    "ro": {"neg": ["#NuvioFail", "#Nuvio", "#dezamagire"], "pos": ["#Nuvio", "#recomand"]},
}
HANDLES = ["@NuvioCare", "@NuvioCare", "@Nuvio", "@nuvio_help"]
RETWEETERS = ["nuvio_fan", "dan_popescu88", "m_alharbi", "sara_k_92", "techie_ro"]
NON_ANSWERS = ["n/a", "nothing", "no comment", "-", "لا يوجد", "لا شيء", "nimic", "fără comentarii", "N/A"]
WHITESPACE = [" ", "   ", "\t"]

# Hand-picked typos people really make (applied to at most one word).
EN_TYPOS = [("receive", "recieve"), ("because", "becuase"), ("again", "agian"), ("really", "realy"),
            ("the same", "teh same"), ("minutes", "mintues"), ("account", "acount"), ("nobody", "noone"),
            ("waiting", "wating"), ("every", "evry"), ("can't", "cant"), ("don't", "dont"),
            ("I'm", "im"), ("it's", "its"), ("money", "mony"), ("phone", "phnoe"), ("charged", "chrged")]
RO_TYPOS = [("și ", "si "), ("aplicația", "aplicatia"), ("nu mai", "numai"), ("încă", "inca"),
            ("să ", "sa "), ("țară", "tara")]
RO_PLAIN = str.maketrans("ăâîșțĂÂÎȘȚ", "aaistAAIST")

# --------------------------------------------------------------------------
# Scores. Weights over NPS 0..10 and CES 1..7 (7 = very easy) per theme.
# --------------------------------------------------------------------------
NPS_WEIGHTS = {                 #  0   1   2   3   4   5   6   7   8   9  10
    "app_crash":    [3, 2, 3, 5, 6, 8, 11, 16, 16, 13, 9],   # big, medium
    "billing":      [14, 9, 11, 11, 10, 10, 8, 6, 3, 5, 3],  # detractor driver
    "wait_time":    [10, 7, 10, 11, 11, 11, 10, 8, 6, 4, 3],  # detractor driver
    "refund":       [16, 10, 11, 11, 10, 9, 8, 6, 4, 3, 2],  # detractor driver
    "delivery":     [4, 3, 5, 7, 9, 11, 12, 14, 13, 11, 9],
    "otp_login":    [7, 5, 7, 9, 11, 12, 12, 12, 9, 7, 5],
    "coverage":     [2, 2, 3, 3, 5, 7, 9, 14, 16, 17, 15],   # large, near neutral
    "cancellation": [20, 11, 11, 10, 9, 8, 7, 5, 3, 2, 2],   # detractor + effort driver
    "staff":        [0, 0, 0, 1, 1, 1, 2, 4, 10, 32, 48],    # promoter theme
    "value":        [0, 0, 0, 1, 1, 1, 2, 5, 12, 32, 46],    # promoter theme
    "_no_comment":  [1, 1, 1, 1, 2, 3, 4, 10, 15, 18, 20],   # rows without a usable comment
}
CES_WEIGHTS = {                 #  1   2   3   4   5   6   7
    "app_crash":    [8, 12, 16, 20, 18, 14, 12],
    "billing":      [22, 24, 22, 14, 9, 6, 3],
    "wait_time":    [24, 24, 22, 14, 8, 5, 3],
    "refund":       [25, 25, 20, 13, 8, 6, 3],
    "delivery":     [8, 12, 18, 22, 18, 13, 9],
    "otp_login":    [20, 22, 22, 15, 10, 7, 4],
    "coverage":     [4, 6, 10, 20, 22, 20, 18],
    "cancellation": [35, 28, 17, 9, 6, 3, 2],
    "staff":        [1, 2, 3, 6, 14, 30, 44],
    "value":        [2, 2, 4, 8, 18, 30, 36],
    "_no_comment":  [4, 6, 10, 18, 22, 22, 18],
}

# --------------------------------------------------------------------------
# Volumes.
# --------------------------------------------------------------------------
POSITIVE_THEMES = ["staff", "value"]
NEGATIVE_THEMES = ["app_crash", "billing", "wait_time", "refund", "delivery", "otp_login", "cancellation"]

N_SURVEY, N_SOCIAL = 450, 150
N_EMPTY, N_WHITESPACE = 7, 3
SURVEY_THEME_QUOTA = {"app_crash": 55, "billing": 36, "wait_time": 32, "refund": 22, "delivery": 21,
                      "otp_login": 24, "coverage": 38, "cancellation": 17, "staff": 90, "value": 92}
SOCIAL_THEME_QUOTA = {"app_crash": 22, "billing": 14, "wait_time": 14, "refund": 8, "delivery": 9,
                      "otp_login": 12, "coverage": 17, "cancellation": 7, "staff": 13, "value": 14}
N_NOISE = {"en": 4, "ar": 2, "ro": 2}
N_RETWEETS, N_DUPLICATES = 5, 3
COMBO_SHARE = 0.08  # survey comments that mention a second, opposite-tone theme

SURVEY_CHANNELS = ("nps_survey", "ces_survey", "support_survey")
SURVEY_CHANNEL_WEIGHTS = {
    "default": (62, 19, 19),
    "wait_time": (45, 15, 40), "refund": (45, 15, 40), "staff": (45, 15, 40), "billing": (45, 15, 40),
    "otp_login": (50, 35, 15), "cancellation": (50, 35, 15), "app_crash": (50, 35, 15),
    "delivery": (50, 35, 15), "coverage": (85, 10, 5), "value": (85, 10, 5),
}
SOCIAL_CHANNELS = ("twitter", "facebook", "instagram")
SOCIAL_CHANNEL_WEIGHTS = {"en": (60, 25, 15), "ar": (70, 10, 20), "ro": (15, 65, 20), "mixed": (60, 30, 10)}


def day_weight(theme: str, day: dt.date) -> float:
    """Relative volume of a theme on a day: the trends planted in the sample."""
    if theme == "app_crash":  # spikes after the September update, stays high
        return 1.0 if day < UPDATE_DAY else (5.0 if day.month == 9 else 3.5)
    if theme == "wait_time":  # call centre swamped by the crash
        return 1.8 if day >= UPDATE_DAY else 1.0
    if theme == "delivery":  # summer card re-issue
        return 2.0 if day.month in (7, 8) else 1.0
    if theme == "billing":
        return 1.5 if day.month == 10 else 1.0
    return 1.0


# A phrase naming a past month ("I returned the phone in July") only makes
# sense after that month; "September" phrases only after the update.
MONTH_WORDS = {7: ("July", "يوليو", "iulie"), 8: ("August", "أغسطس", "august"),
               9: ("September", "سبتمبر", "septembrie")}


def fits_date(text: str, when: dt.datetime) -> bool:
    for month, words in MONTH_WORDS.items():
        if any(w in text for w in words):
            if month == 9 and when.date() < UPDATE_DAY:
                return False
            if month < 9 and when.month <= month:
                return False
    return True


DAYS = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]


class Builder:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.records: list[dict] = []
        self.seen: set[str] = set()
        self.decks: dict[tuple[str, str], list[int]] = {}

    # ---- small helpers -------------------------------------------------
    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def timestamp(self, theme: str) -> dt.datetime:
        day = self.rng.choices(DAYS, weights=[day_weight(theme, d) for d in DAYS])[0]
        seconds = self.rng.randrange(7 * 3600, 24 * 3600)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)

    def timestamp_for(self, theme: str, text: str) -> dt.datetime:
        """A timestamp that suits a fixed text (an "update" complaint comes after the update)."""
        when = self.timestamp(theme)
        while re.search(r"update|التحديث", text) and when.date() < UPDATE_DAY:
            when = self.timestamp(theme)
        return when

    def deal_scores(self, sizes: dict[str, int]) -> None:
        """Shuffle, per theme, decks of NPS and CES scores shaped exactly like its weights.

        Drawing score by score would let a 20-row theme land far from its
        design by chance; a deck keeps each theme's mix as planned (largest
        remainder rounding) while the order stays random.
        """
        self.decks: dict[tuple[str, str], list[int]] = {}
        for theme, n in sizes.items():
            for scale, weights, low in (("nps", NPS_WEIGHTS[theme], 0), ("ces", CES_WEIGHTS[theme], 1)):
                exact = [w * n / sum(weights) for w in weights]
                counts = [int(x) for x in exact]
                by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
                for i in by_remainder[: n - sum(counts)]:
                    counts[i] += 1
                deck = [low + i for i, c in enumerate(counts) for _ in range(c)]
                self.rng.shuffle(deck)
                self.decks[(scale, theme)] = deck

    def nps(self, theme: str) -> int:
        deck = self.decks.get(("nps", theme))
        if deck:
            return deck.pop()
        return self.rng.choices(range(11), weights=NPS_WEIGHTS[theme])[0]

    def ces(self, theme: str, nps: int) -> int:
        deck = self.decks.get(("ces", theme))
        value = deck.pop() if deck else self.rng.choices(range(1, 8), weights=CES_WEIGHTS[theme])[0]
        if nps >= 9 and self.chance(0.4):
            value += 1
        elif nps <= 3 and self.chance(0.4):
            value -= 1
        return min(7, max(1, value))

    def unique(self, make, tries: int = 40) -> str:
        """Call ``make()`` until it gives a text not used yet and of 4-40 words."""
        text = make()
        for _ in range(tries):
            if text not in self.seen and 4 <= len(text.split()) <= 40:
                break
            text = make()
        self.seen.add(text)
        return text

    # ---- surface habits --------------------------------------------------
    def style(self, text: str, lang: str, tone: str, nps: int | None, social: bool) -> tuple[str, list[str]]:
        tags: list[str] = []
        if lang == "en":
            if self.chance(0.10):
                for right, wrong in self.rng.sample(EN_TYPOS, len(EN_TYPOS)):
                    if right in text:
                        text = text.replace(right, wrong, 1)
                        tags.append("typo")
                        break
            if tone == "neg" and nps is not None and nps <= 2 and self.chance(0.3):
                bang = self.pick(["", "!!", "!!!"])
                text = text.upper().rstrip(".") + bang if bang else text.upper()
                tags.append("caps")
            elif self.chance(0.12):
                text = text.lower()
        elif lang == "ar":
            if self.chance(0.15):  # hamza-less spelling, very common when typing fast
                plain = text.translate(str.maketrans("أإآ", "ااا"))
                if plain != text:
                    text = plain
                    tags.append("no_hamza")
            if tone == "neg" and self.chance(0.12):
                text = text.rstrip(".") + self.pick(["!!", "!!!", "؟!"])
        elif lang == "ro":
            if social and self.chance(0.15):
                text = text.translate(RO_PLAIN)
                tags.append("no_diacritics")
            elif self.chance(0.08):
                for right, wrong in self.rng.sample(RO_TYPOS, len(RO_TYPOS)):
                    if right in text:
                        text = text.replace(right, wrong, 1)
                        tags.append("typo")
                        break
            if tone == "neg" and nps is not None and nps <= 1 and self.chance(0.25):
                text = text.upper()
                tags.append("caps")
            elif self.chance(0.08):
                text = text.lower()
        if self.chance(0.15) and text.endswith("."):
            text = text[:-1]
        if self.chance(0.35 if social else 0.13):
            mood = tone
            if nps is not None and ((tone == "neg" and nps >= 7) or (tone == "pos" and nps <= 6)):
                mood = "mid"
            text = f"{text} {self.pick(EMOJI[mood])}"
            tags.append("emoji")
        return text, tags

    # ---- survey comments -------------------------------------------------
    def core(self, theme: str, lang: str, when: dt.datetime, nps: int | None, social: bool) -> tuple[str, str]:
        """One core sentence/post for a theme, and its tone (neg/pos)."""
        spec = THEMES[theme]
        phrases = spec[lang]
        prefix = "social" if social else "core"
        if spec["pol"] == "mixed":
            if nps is None:
                tone = "pos" if self.chance(0.4) else "neg"
            else:
                p_pos = 0.9 if nps >= 9 else 0.55 if nps >= 7 else 0.1
                tone = "pos" if self.chance(p_pos) else "neg"
            return self.pick([o for o in phrases[f"{prefix}_{tone}"] if fits_date(o, when)]), tone
        options = phrases[prefix]
        if f"{prefix}_update" in phrases and when.date() >= UPDATE_DAY and self.chance(0.7):
            options = phrases[f"{prefix}_update"]
        return self.pick([o for o in options if fits_date(o, when)]), spec["pol"]

    def survey_comment(self, theme: str, lang: str, when, nps: int, segment: str,
                       combo: bool) -> tuple[str, str, str | None]:
        """[business opener] [opener] core [detail] [second theme | closer]; returns text, tone, theme2."""
        g = GENERIC[lang]
        holder: dict = {}

        def make() -> str:
            core, tone = self.core(theme, lang, when, nps, social=False)
            parts = []
            if segment == "business" and self.chance(0.35):
                parts.append(self.pick(g["business"]))
            if self.chance(0.25):
                key = "open_neg" if tone == "neg" and nps <= 6 else "open_pos" if tone == "pos" and nps >= 8 else "open_mid"
                parts.append(self.pick(g[key]))
            parts.append(core)
            if self.chance(0.4):
                parts.append(self.pick(THEMES[theme][lang]["detail"]))
            theme2 = None
            if combo:  # a second theme of the opposite tone, joined by a connector
                theme2 = self.pick(POSITIVE_THEMES if tone == "neg" else NEGATIVE_THEMES)
                other, other_tone = self.core(theme2, lang, when, None, social=False)
                if lang != "ar" and not re.match(r"(I\b|I'|Nuvio|Maria|Andreei)", other):
                    other = other[0].lower() + other[1:]
                parts.append(f"{self.pick(g['then_' + other_tone])} {other}")
            elif self.chance(0.35):
                if tone == "neg":
                    parts.append(self.pick(g["close_neg"] if nps <= 6 else g["close_mid"]))
                elif nps >= 9:
                    parts.append(self.pick(g["close_pos"]))
            holder["tone"], holder["theme2"] = tone, theme2
            return " ".join(parts)

        text = self.unique(make)
        return text, holder["tone"], holder["theme2"]

    def build_survey(self) -> None:
        rng = self.rng
        n_mixed = sum(1 for _, kind, _ in MIXED if kind == "survey")
        n_special = N_EMPTY + N_WHITESPACE + len(NON_ANSWERS) + n_mixed
        n_thematic = N_SURVEY - n_special
        assert sum(SURVEY_THEME_QUOTA.values()) == n_thematic, (sum(SURVEY_THEME_QUOTA.values()), n_thematic)
        sizes = dict(SURVEY_THEME_QUOTA)
        sizes["_no_comment"] = n_special - n_mixed
        for theme, kind, _ in MIXED:
            if kind == "survey":
                sizes[theme] += 1
        self.deal_scores(sizes)
        themes = [t for t, n in SURVEY_THEME_QUOTA.items() for _ in range(n)]
        n_en = n_thematic // 2
        n_ar = (n_thematic - n_en) // 2
        langs = ["en"] * n_en + ["ar"] * n_ar + ["ro"] * (n_thematic - n_en - n_ar)
        rng.shuffle(themes)
        rng.shuffle(langs)
        for theme, lang in zip(themes, langs):
            when = self.timestamp(theme)
            nps = self.nps(theme)
            segment = "business" if self.chance(0.25) else "consumer"
            combo = self.chance(COMBO_SHARE)
            text, tone, theme2 = self.survey_comment(theme, lang, when, nps, segment, combo)
            text, tags = self.style(text, lang, tone, nps, social=False)
            self.add_survey(when, theme, segment, text, nps, lang=lang, theme2=theme2, tags=tags)
        for theme, kind, text in MIXED:
            if kind == "survey":
                when = self.timestamp_for(theme, text)
                self.add_survey(when, theme, "consumer", text, self.nps(theme), lang="mixed")
        specials = ([("", "empty")] * N_EMPTY + [(self.pick(WHITESPACE), "whitespace") for _ in range(N_WHITESPACE)]
                    + [(t, "non_answer") for t in NON_ANSWERS])
        for text, tag in specials:
            when = self.timestamp("_no_comment")
            segment = "business" if self.chance(0.25) else "consumer"
            self.add_survey(when, "_no_comment", segment, text, self.nps("_no_comment"), lang="-", tags=[tag])

    def add_survey(self, when, theme, segment, text, nps, lang, theme2=None, tags=None) -> None:
        weights = SURVEY_CHANNEL_WEIGHTS.get(theme, SURVEY_CHANNEL_WEIGHTS["default"])
        channel = self.rng.choices(SURVEY_CHANNELS, weights=weights)[0]
        has_ces = channel != "nps_survey" or self.chance(0.65)
        ces = self.ces(theme if theme in CES_WEIGHTS else "_no_comment", nps) if has_ces else None
        self.records.append({
            "when": when, "channel": channel, "segment": segment, "comment": text,
            "nps": str(nps), "ces": "" if ces is None else str(ces), "nps_value": nps,
            "ces_value": ces, "kind": "survey", "theme": theme, "theme2": theme2, "lang": lang,
            "tags": list(tags or []),
        })

    # ---- social posts ----------------------------------------------------
    def social_post(self, theme: str, lang: str, when, channel: str) -> tuple[str, list[str]]:
        """A post: habits applied to the body, then @handle, #hashtags and a link."""
        holder = {}
        g = GENERIC[lang]

        def make():
            if theme == "_noise":
                body, tone = self.pick(NOISE[lang]), "mid"
            elif channel == "facebook" and self.chance(0.5):  # longer, survey-like posts
                body, tone = self.core(theme, lang, when, None, social=False)
                if self.chance(0.5):
                    body += " " + self.pick(THEMES[theme][lang]["detail"])
                if tone == "neg" and self.chance(0.4):
                    body += " " + self.pick(g["close_neg"])
            else:
                body, tone = self.core(theme, lang, when, None, social=True)
            habits: list[str] = []
            if theme != "_noise":
                body, habits = self.style(body, lang, tone, None, social=True)
            parts = []
            if channel == "twitter" and theme != "_noise" and self.chance(0.55):
                parts.append(self.pick(HANDLES))
            parts.append(body)
            n_tags = 0
            if theme != "_noise":
                n_tags = (2 if self.chance(0.5) else 1) if channel == "instagram" else (1 if self.chance(0.35) else 0)
            tags_pool = list(dict.fromkeys(HASHTAGS[lang]["pos" if tone == "pos" else "neg"]))
            for tag in self.rng.sample(tags_pool, min(n_tags, len(tags_pool))):
                parts.append(tag)
            if channel != "instagram" and self.chance(0.15):
                parts.append(self.short_url(status_page=theme in ("coverage", "app_crash") and tone == "neg"))
            holder["tone"], holder["habits"] = tone, habits
            return " ".join(parts)

        text = self.unique(make)
        return text, holder["habits"]

    def short_url(self, status_page: bool = False) -> str:
        if status_page and self.chance(0.4):
            return "https://status.nuvio.example/incident/" + str(self.rng.randrange(1000, 9999))
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "https://t.co/" + "".join(self.pick(alphabet) for _ in range(10))

    def build_social(self) -> None:
        rng = self.rng
        n_mixed = sum(1 for _, kind, _ in MIXED if kind == "social")
        n_thematic = N_SOCIAL - n_mixed - sum(N_NOISE.values()) - N_RETWEETS - N_DUPLICATES
        assert sum(SOCIAL_THEME_QUOTA.values()) == n_thematic, (sum(SOCIAL_THEME_QUOTA.values()), n_thematic)
        themes = [t for t, n in SOCIAL_THEME_QUOTA.items() for _ in range(n)]
        n_en = n_thematic // 2
        n_ar = (n_thematic - n_en) // 2
        langs = ["en"] * n_en + ["ar"] * n_ar + ["ro"] * (n_thematic - n_en - n_ar)
        rng.shuffle(themes)
        rng.shuffle(langs)
        slots = list(zip(themes, langs)) + [("_noise", lang) for lang, n in N_NOISE.items() for _ in range(n)]
        for theme, lang in slots:
            when = self.timestamp(theme)
            channel = rng.choices(SOCIAL_CHANNELS, weights=SOCIAL_CHANNEL_WEIGHTS[lang])[0]
            text, tags = self.social_post(theme, lang, when, channel)
            self.add_social(when, channel, theme, text, lang, tags)
        for theme, kind, text in MIXED:
            if kind == "social":
                channel = rng.choices(SOCIAL_CHANNELS, weights=SOCIAL_CHANNEL_WEIGHTS["mixed"])[0]
                self.add_social(self.timestamp_for(theme, text), channel, theme, text, "mixed", [])
        # Retweets of complaints on Twitter, some cut short the way exports do it.
        originals = [r for r in self.records if r["kind"] == "social" and r["channel"] == "twitter"
                     and r["theme"] not in ("_noise", "staff", "value") and r["lang"] in ("en", "ar")]
        for original, user in zip(rng.sample(originals, N_RETWEETS), RETWEETERS):
            body = original["comment"]
            text = f"RT @{user}: {body}"
            if len(text) > 90 and self.chance(0.5):
                text = text[:80].rstrip() + "…"
            when = original["when"] + dt.timedelta(minutes=rng.randrange(20, 48 * 60))
            self.add_social(when, "twitter", original["theme"], text, original["lang"], ["retweet"])
            original["tags"].append("retweeted")
        # The same post exported twice (new response_id, seconds apart).
        singles = [r for r in self.records if r["kind"] == "social" and "retweet" not in r["tags"]
                   and "retweeted" not in r["tags"]]
        for original in rng.sample(singles, N_DUPLICATES):
            when = original["when"] + dt.timedelta(seconds=rng.randrange(1, 90))
            self.add_social(when, original["channel"], original["theme"], original["comment"],
                            original["lang"], ["duplicate"])

    def add_social(self, when, channel, theme, text, lang, tags) -> None:
        self.records.append({
            "when": when, "channel": channel, "segment": "business" if self.chance(0.1) else "consumer",
            "comment": text, "nps": "", "ces": "", "nps_value": None, "ces_value": None,
            "kind": "social", "theme": theme, "theme2": None, "lang": lang, "tags": list(tags),
        })

    # ---- score messiness -------------------------------------------------
    def mess_up_scores(self) -> None:
        rng = self.rng
        thematic = [r for r in self.records if r["kind"] == "survey" and r["theme"] != "_no_comment"]
        used: set[int] = set()

        def take(cond):
            pool = [i for i, r in enumerate(thematic) if i not in used and cond(r)]
            i = self.pick(pool)
            used.add(i)
            return thematic[i]

        for fmt, cond in [
            ("{n} - very likely", lambda r: r["nps_value"] >= 9),
            ("{n} - very likely", lambda r: r["nps_value"] >= 9),
            ("{n} - not at all likely", lambda r: r["nps_value"] == 0),
            ("{n}.0", lambda r: r["nps_value"] == 10),
            ("{n}.0", lambda r: True),
            (" {n} ", lambda r: True),
            (" {n} ", lambda r: True),
        ]:
            r = take(cond)
            r["nps"] = fmt.format(n=r["nps_value"])
            r["tags"].append("nps_format")
        for raw, cond in [
            ("11", lambda r: r["nps_value"] == 10),
            ("11", lambda r: r["nps_value"] >= 9),
            ("-1", lambda r: r["nps_value"] == 0),
            ("7.5", lambda r: r["nps_value"] in (7, 8)),
            ("n/a", lambda r: True),
        ]:
            r = take(cond)
            r["nps"], r["nps_value"] = raw, None
            r["tags"].append("nps_invalid")
        for raw, tag, cond in [
            ("7.0", "ces_format", lambda r: r["ces_value"] == 7),
            (" 6 ", "ces_format", lambda r: r["ces_value"] == 6),
            ("9", "ces_invalid", lambda r: r["ces_value"] is not None and r["ces_value"] >= 6),
            ("0", "ces_invalid", lambda r: r["ces_value"] is not None and r["ces_value"] <= 2),
        ]:
            r = take(cond)
            r["ces"] = raw
            if tag == "ces_invalid":
                r["ces_value"] = None
            r["tags"].append(tag)
        # A few comments typed over several lines.
        multi = [r for i, r in enumerate(thematic) if i not in used and r["lang"] in LANGS
                 and r["comment"].count(". ") >= 2]
        for r in rng.sample(multi, 3):
            r["comment"] = r["comment"].replace(". ", ".\n", 1)
            r["tags"].append("multiline")

    # ---- output ----------------------------------------------------------
    def build(self) -> list[dict]:
        self.build_survey()
        self.build_social()
        self.mess_up_scores()
        self.records.sort(key=lambda r: r["when"])
        for i, r in enumerate(self.records, start=1):
            r["response_id"] = f"R{i:05d}"
            r["submitted_at"] = r["when"].isoformat(timespec="seconds")
        for r in self.records:
            assert not re.search("[şţŞŢ]", r["comment"]), r["comment"]  # comma-below ș ț only
        return self.records


def write_csv(records: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for r in records:
            writer.writerow([r[c] for c in HEADER])


# --------------------------------------------------------------------------
# Statistics for the README.
# --------------------------------------------------------------------------
def parse_nps(raw: str) -> int | None:
    """The score a reader can trust: an integer 0-10, possibly with words after it."""
    m = re.match(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-.*)?$", raw)
    if not m:
        return None
    value = float(m.group(1))
    return int(value) if value.is_integer() and 0 <= value <= 10 else None


def nps_of(scores: list[int]) -> float:
    if not scores:
        return float("nan")
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


HANDLE_RE = re.compile(r"@\w")


def stats(records: list[dict]) -> str:
    out = []
    scores = [parse_nps(r["nps"]) for r in records if r["kind"] == "survey"]
    valid = [s for s in scores if s is not None]
    out.append(f"Rows: {len(records)} ({sum(r['kind'] == 'survey' for r in records)} survey, "
               f"{sum(r['kind'] == 'social' for r in records)} social)")
    out.append(f"Overall NPS: {nps_of(valid):+.1f} over {len(valid)} rows with a valid NPS "
               f"({sum(s >= 9 for s in valid)} promoters, {sum(7 <= s <= 8 for s in valid)} passives, "
               f"{sum(s <= 6 for s in valid)} detractors)")
    ces_all = [int(float(r["ces"])) for r in records if r["kind"] == "survey" and r["ces_value"] is not None]
    out.append(f"Mean CES: {sum(ces_all) / len(ces_all):.2f} over {len(ces_all)} rows with a valid CES")
    out.append("")
    out.append("| channel | rows |\n|---|---|")
    for ch, n in Counter(r["channel"] for r in records).most_common():
        out.append(f"| {ch} | {n} |")
    out.append("")
    out.append("| language | survey | social | total |\n|---|---|---|---|")
    for lang in ["en", "ar", "ro", "mixed", "-"]:
        s = sum(r["lang"] == lang and r["kind"] == "survey" for r in records)
        o = sum(r["lang"] == lang and r["kind"] == "social" for r in records)
        out.append(f"| {lang} | {s} | {o} | {s + o} |")
    out.append("")
    out.append("| segment | rows |\n|---|---|")
    for seg, n in Counter(r["segment"] for r in records).most_common():
        out.append(f"| {seg} | {n} |")
    out.append("")
    out.append("| theme | survey | social | NPS | mean CES | Jun-Aug/month | Sep-Oct/month |\n|---|---|---|---|---|---|---|")
    for theme in list(THEMES) + ["_noise", "_no_comment"]:
        rows = [r for r in records if r["theme"] == theme]
        sv = [r for r in rows if r["kind"] == "survey"]
        sc = [parse_nps(r["nps"]) for r in sv]
        sc = [s for s in sc if s is not None]
        cs = [r["ces_value"] for r in sv if r["ces_value"] is not None]
        early = sum(r["when"].month <= 8 for r in rows) / 3
        late = sum(r["when"].month >= 9 for r in rows) / 2
        out.append(f"| {theme} | {len(sv)} | {len(rows) - len(sv)} | "
                   f"{f'{nps_of(sc):+.0f}' if sc else '–'} | {f'{sum(cs) / len(cs):.1f}' if cs else '–'} | "
                   f"{early:.1f} | {late:.1f} |")
    combos = sum(r["theme2"] is not None for r in records)
    out.append("")
    out.append(f"Survey comments that also mention a second, opposite-tone theme: {combos}")
    out.append("")
    tag_counts = Counter(t for r in records for t in r["tags"])
    out.append("| messy / habit | rows |\n|---|---|")
    for tag in ["empty", "whitespace", "non_answer", "nps_format", "nps_invalid", "ces_format", "ces_invalid",
                "retweet", "duplicate", "multiline", "caps", "emoji", "typo", "no_hamza", "no_diacritics"]:
        out.append(f"| {tag} | {tag_counts.get(tag, 0)} |")
    social = [r for r in records if r["kind"] == "social"]
    out.append(f"| social posts with a URL | {sum('http' in r['comment'] for r in social)} |")
    n_handles = sum(bool(HANDLE_RE.search(r["comment"])) for r in social)
    out.append(f"| social posts with an @handle | {n_handles} |")
    out.append(f"| social posts with a #hashtag | {sum('#' in r['comment'] for r in social)} |")
    messy = sum(any(t in r["tags"] for t in ["empty", "whitespace", "non_answer", "nps_format", "nps_invalid",
                                             "ces_format", "ces_invalid", "retweet", "duplicate"])
                for r in records)
    out.append("")
    out.append(f"Rows with planted messiness (empty/whitespace/non-answer/score format/invalid score/"
               f"retweet/duplicate): {messy} ({100 * messy / len(records):.1f}%)")
    words = [len(r["comment"].split()) for r in records if r["lang"] in LANGS + ("mixed",)]
    out.append(f"Words per comment (rows with text): min {min(words)}, median {sorted(words)[len(words) // 2]}, "
               f"max {max(words)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("sample_feedback.csv"))
    parser.add_argument("--stats", action="store_true", help="print counts as Markdown")
    args = parser.parse_args(argv)
    records = Builder().build()
    write_csv(records, args.out)
    print(f"wrote {len(records)} rows to {args.out}", file=sys.stderr)
    if args.stats:
        print(stats(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
