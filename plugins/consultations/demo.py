"""Demo data of the consultations plugin: consultation hours, topics, records and appointments.

Every person here is invented.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from intranet.plugin import CheckIn, Offer, Person, db, local_today

from .models import Booking, Consent, Consultation, Release, Slot, Topic

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


def add_topics() -> int:
    """Add the usual topics that are not there yet; return how many were added."""
    existing = set(db.session.scalars(select(Topic.key)))
    last = max(db.session.scalars(select(Topic.position)), default=0)
    new = [Topic(key=key, labels=labels, position=last + (n + 1) * 10, active=True)
           for n, (key, labels) in enumerate(k for k in TOPICS if k[0] not in existing)]
    db.session.add_all(new)
    db.session.flush()
    return len(new)


def add_demo_data(week_start: date) -> None:
    """Add the consultation hours of the demo week and any topic not there yet."""
    add_topics()
    add_demo_records(week_start)
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


def add_demo_records(week_start: date) -> None:
    """Invented visitors with consultations on Monday, appointments on Wednesday."""
    topics = {t.key: t for t in db.session.scalars(select(Topic))}
    monday, wednesday = week_start, week_start + timedelta(days=2)
    people = {name: Person(code=code, nickname=name, year_of_birth=year, languages=languages,
                           first_visit=week_start - timedelta(days=days))
              for name, code, year, languages, days in (
                  ("Amal", "P-DEMA2", 1988, ["ar"], 120),
                  ("Dawit", "P-DEMD3", 1995, ["en"], 30),
                  ("Oksana", "P-DEMK4", 1979, ["uk", "ru"], 200),
                  ("Murat", "P-DEMM5", 1966, ["tr"], 900),
                  ("Farid", "P-DEMF6", 2001, ["fa"], 7),
              )}
    db.session.add_all(people.values())

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute))

    # A walk-in ticket from the kiosk, already done, with its consultation.
    ticket = CheckIn(day=monday, number=901, ticket="B-901", plugin="consultations",
                     purpose="walk_in", language="ar", first_visit=False, first_name="Amal",
                     status="done", person=people["Amal"])
    db.session.add(ticket)
    db.session.add_all([
        Consultation(kind="walk_in", person=people["Amal"], checkin=ticket,
                     held_at=at(monday, 9, 20), minutes=35, language="ar",
                     interpreter_language="ar", interpreter_name="Ehrenamtliche Sprachmittlerin",
                     topics=[topics["benefits"]], outcome="document",
                     follow_up_on=monday + timedelta(days=3),
                     note="Widerspruch gegen Bescheid vorbereitet, Frist in zwei Wochen."),
        Consultation(kind="walk_in", person=people["Murat"], held_at=at(monday, 10, 5),
                     minutes=20, language="tr", topics=[topics["housing"], topics["debts"]],
                     outcome="referred", referral="Schuldnerberatung der Diakonie",
                     follow_up_on=monday,
                     note="Mietrückstand, möchte Ratenzahlung."),
        Consultation(kind="walk_in", person=people["Oksana"], held_at=at(monday, 11, 0),
                     minutes=25, language="uk", topics=[topics["work"]], outcome="answered",
                     referral="Jobcenter, Arbeitsvermittlung"),
    ])
    db.session.add_all([
        Consent(person=people["Amal"], purpose="Gesundheitsdaten für die Beratung zum Aufenthalt",
                given_on=monday - timedelta(days=60)),
        Release(person=people["Amal"], recipient="Jobcenter", scope="Leistungsbescheid",
                signed_on=monday - timedelta(days=60), expires_on=monday + timedelta(days=120)),
        Release(person=people["Amal"], recipient="Ausländerbehörde", scope="Aufenthaltstitel",
                signed_on=monday - timedelta(days=400), expires_on=monday - timedelta(days=35)),
    ])
    # Wednesday 10–12, by appointment with Arabic and Dari interpreters: four slots.
    slots = [Slot(starts_at=at(wednesday, 10) + timedelta(minutes=30 * n), minutes=30,
                  room="Beratungsraum", interpreter_language="ar" if n < 2 else "fa")
             for n in range(4)]
    db.session.add_all(slots)
    db.session.add_all([Booking(slot=slots[0], person=people["Dawit"]),
                        Booking(slot=slots[2], person=people["Farid"])])
    # Today's calendar has something too, whatever day the demo is opened on.
    today = week_start + timedelta(days=min(max((local_today() - week_start).days, 0), 6))
    if today != wednesday:
        today_slot = Slot(starts_at=at(today, 14), minutes=30, room="Beratungsraum")
        db.session.add(today_slot)
        db.session.add(Booking(slot=today_slot, person=people["Oksana"]))
