"""Demo data of the consultations plugin: two weekly consultation hours and the topic list."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from intranet.plugin import Offer, db

from .models import Topic

# The usual topics of a migration counselling service, in the kiosk languages.
TOPICS: tuple[tuple[str, dict[str, str]], ...] = (
    ("residence", {"de": "Aufenthalt und Asyl", "en": "Residence and asylum",
                   "tr": "Oturum ve iltica", "ru": "Вид на жительство и убежище",
                   "ar": "الإقامة واللجوء", "fa": "اقامت و پناهندگی",
                   "uk": "Перебування та притулок"}),
    ("benefits", {"de": "Sozialleistungen und Briefe vom Jobcenter",
                  "en": "Benefits and job-centre letters",
                  "tr": "Sosyal yardımlar ve Jobcenter mektupları",
                  "ru": "Пособия и письма из джобцентра",
                  "ar": "المساعدات الاجتماعية ورسائل الجوب سنتر",
                  "fa": "کمک‌های اجتماعی و نامه‌های جاب‌سنتر",
                  "uk": "Соціальні виплати та листи з джобцентру"}),
    ("housing", {"de": "Wohnen", "en": "Housing", "tr": "Ev ve kira", "ru": "Жильё",
                 "ar": "السكن", "fa": "مسکن", "uk": "Житло"}),
    ("health", {"de": "Gesundheit", "en": "Health", "tr": "Sağlık", "ru": "Здоровье",
                "ar": "الصحة", "fa": "سلامت", "uk": "Здоров'я"}),
    ("family", {"de": "Familie", "en": "Family", "tr": "Aile", "ru": "Семья",
                "ar": "العائلة", "fa": "خانواده", "uk": "Сім'я"}),
    ("debts", {"de": "Schulden", "en": "Debts", "tr": "Borçlar", "ru": "Долги",
               "ar": "الديون", "fa": "بدهی", "uk": "Борги"}),
    ("work", {"de": "Arbeit", "en": "Work", "tr": "İş", "ru": "Работа",
              "ar": "العمل", "fa": "کار", "uk": "Робота"}),
    ("school", {"de": "Schule", "en": "School", "tr": "Okul", "ru": "Школа",
                "ar": "المدرسة", "fa": "مدرسه", "uk": "Школа"}),
    ("other", {"de": "Sonstiges", "en": "Other", "tr": "Diğer", "ru": "Другое",
               "ar": "أمور أخرى", "fa": "موارد دیگر", "uk": "Інше"}),
)


def add_demo_data(week_start: date) -> None:
    """Add the consultation hours of the demo week and any topic not there yet."""
    existing = set(db.session.scalars(select(Topic.key)))
    db.session.add_all(
        Topic(key=key, labels=labels, position=(n + 1) * 10, active=True)
        for n, (key, labels) in enumerate(TOPICS) if key not in existing
    )
    db.session.add_all([
        Offer(service_area="consultations", weekly=True, first_date=week_start,
              last_date=None, start_time=time(9), end_time=time(12), room="Beratungsraum",
              titles={"de": "Offene Sprechstunde", "en": "Open consultation hours",
                      "tr": "Açık danışma saati", "ru": "Открытая консультация",
                      "ar": "استشارة مفتوحة", "fa": "ساعت مشاوره آزاد",
                      "uk": "Відкрита консультація"},
              descriptions={
                  "de": "Ohne Termin: einfach vorbeikommen und am Kiosk eine Wartenummer ziehen.",
                  "en": "No appointment needed: just come by and take a waiting number "
                        "at the kiosk.",
                  "tr": "Randevu gerekmez: gelin ve kioskta bir sıra numarası alın.",
                  "ru": "Без записи: просто приходите и возьмите номер в киоске.",
                  "ar": "بدون موعد: تعال وخذ رقم انتظار من الجهاز.",
                  "fa": "بدون وقت قبلی: بیایید و از دستگاه یک شماره نوبت بگیرید.",
                  "uk": "Без запису: просто приходьте і візьміть номер у кіоску.",
              },
              languages=["de", "tr", "ru", "ar"]),
        Offer(service_area="consultations", weekly=True,
              first_date=week_start + timedelta(days=2), last_date=None,
              start_time=time(10), end_time=time(12), room="Beratungsraum",
              titles={"de": "Beratung mit Termin – Dolmetschung Arabisch und Dari",
                      "en": "Consultation by appointment – Arabic and Dari interpreter",
                      "tr": "Randevulu danışma – Arapça ve Darice tercüman",
                      "ru": "Консультация по записи – переводчик арабского и дари",
                      "ar": "استشارة بموعد – مع مترجم للعربية والدرية",
                      "fa": "مشاوره با وقت قبلی – با مترجم عربی و دری",
                      "uk": "Консультація за записом – перекладач арабської та дарі"},
              descriptions={
                  "de": "Bitte vorher einen Termin ausmachen, an der Theke oder per Telefon.",
                  "en": "Please make an appointment first, at the desk or by phone.",
                  "tr": "Lütfen önce randevu alın: bankoda veya telefonla.",
                  "ru": "Пожалуйста, сначала запишитесь: у стойки или по телефону.",
                  "ar": "من فضلك احجز موعدًا أولًا: عند المكتب أو بالهاتف.",
                  "fa": "لطفاً اول وقت بگیرید: پشت پیشخوان یا با تلفن.",
                  "uk": "Будь ласка, спершу запишіться: біля стійки або телефоном.",
              },
              languages=["de", "ar", "fa"], registration_needed=True),
    ])
