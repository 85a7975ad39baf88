"""Demo data of school guidance: homework help, a school-system evening for parents, talks."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from intranet.plugin import Offer, Person, User, db, local_today

from .models import Evening, EveningLanguage, Referral, Talk


def add_demo_data(week_start: date) -> None:
    """Monday's homework help, Wednesday's parents' evening (weekly, without end, since
    last week), last week's evening with its attendance, and a few guidance talks."""
    add_demo_records(week_start, evening_offer=add_offers(week_start)[1])


def add_offers(week_start: date) -> tuple[Offer, Offer]:
    offers = [
        Offer(service_area="school_guidance", weekly=True, last_date=None,
              first_date=week_start, start_time=time(15), end_time=time(17),
              room="Kursraum 2", audience="youth",
              titles={"de": "Hausaufgabenhilfe", "en": "Homework help",
                      "tr": "Ödev yardımı", "ru": "Помощь с домашними заданиями",
                      "ar": "مساعدة في الواجبات المدرسية", "fa": "کمک در تکالیف مدرسه",
                      "uk": "Допомога з домашніми завданнями"},
              descriptions={
                  "de": "Für Schülerinnen und Schüler ab Klasse 5. Bitte Hefte und Bücher "
                        "mitbringen.",
                  "en": "For pupils from year 5. Please bring exercise books and schoolbooks.",
                  "tr": "5. sınıftan itibaren öğrenciler için. Lütfen defter ve kitapları "
                        "getirin.",
                  "ru": "Для школьников с 5 класса. Возьмите тетради и учебники.",
                  "ar": "للتلاميذ من الصف الخامس. أحضروا الدفاتر والكتب.",
                  "fa": "برای دانش‌آموزان از کلاس پنجم. لطفاً دفتر و کتاب بیاورید.",
                  "uk": "Для учнів з 5 класу. Візьміть зошити та підручники.",
              },
              languages=["de", "tr", "ar"]),
        Offer(service_area="school_guidance", weekly=True, last_date=None,
              first_date=week_start - timedelta(days=5), start_time=time(16),
              end_time=time(18), room="Café", audience="parents", childcare=True,
              titles={"de": "Elternabend: das Schulsystem in Deutschland",
                      "en": "Parents' evening: the school system in Germany",
                      "tr": "Veli akşamı: Almanya'da okul sistemi",
                      "ru": "Вечер для родителей: школьная система в Германии",
                      "ar": "لقاء الأهالي: نظام المدارس في ألمانيا",
                      "fa": "جلسه والدین: نظام مدرسه در آلمان",
                      "uk": "Вечір для батьків: шкільна система в Німеччині"},
              descriptions={
                  "de": "Grundschule, Oberschule, Gymnasium, Ausbildung: wie geht es weiter? "
                        "Auf Türkisch und Arabisch übersetzt.",
                  "en": "Primary school, secondary school, grammar school, apprenticeship: "
                        "what comes next? Interpreted into Turkish and Arabic.",
                  "tr": "İlkokul, ortaokul, lise, meslek eğitimi: sonra ne olur? "
                        "Türkçe ve Arapça çeviri ile.",
                  "ru": "Начальная школа, средняя школа, гимназия, профобучение: что дальше? "
                        "С переводом на турецкий и арабский.",
                  "ar": "المدرسة الابتدائية، المدرسة الثانوية، التدريب المهني: "
                        "ماذا بعد؟ مع ترجمة إلى التركية والعربية.",
                  "fa": "دبستان، دبیرستان، گیمنازیوم، آموزش حرفه‌ای: بعد چه می‌شود؟ "
                        "با ترجمه به ترکی و عربی.",
                  "uk": "Початкова школа, середня школа, гімназія, профнавчання: що далі? "
                        "З перекладом турецькою та арабською.",
              },
              languages=["de", "tr", "ar"]),
    ]
    db.session.add_all(offers)
    return offers[0], offers[1]


def add_demo_records(week_start: date, evening_offer: Offer) -> None:
    """Last Wednesday's parents' evening with its attendance, and a few guidance talks.

    Invented: the parents are anonymous or pseudonymous demo people, and no talk
    names a child.
    """
    db.session.flush()
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    staff_id = admin.id if admin else None
    last_wednesday = week_start - timedelta(days=5)
    db.session.add(Evening(
        offer_id=evening_offer.id, day=last_wednesday, languages=["de", "tr", "ar"],
        parents=14, families=10, created_by_id=staff_id,
        by_language=[EveningLanguage(language="de", parents=3),
                     EveningLanguage(language="tr", parents=5),
                     EveningLanguage(language="ar", parents=6)]))
    parent = Person(nickname="Demo-Mutter", languages=["ar"], first_visit=last_wednesday)
    db.session.add(parent)
    talks = [
        (0, parent, "ar", "6_10", "grundschule",
         "Welche Schule nach Klasse 4? Die Empfehlung ist unklar.",
         "Gespräch mit der Klassenlehrerin vereinbaren; zum Elternabend einladen.",
         ["school"]),
        (0, None, "tr", "10_16", "oberschule",
         "Noten in Mathe schlecht, Versetzung gefährdet.",
         "Hausaufgabenhilfe montags ausprobieren; Nachhilfe über Bildungsträger klären.",
         ["homework_help", "tutoring"]),
        (1, None, "uk", "10_16", "sprachlernklasse",
         "Wann wechselt das Kind aus der Sprachlernklasse in eine normale Klasse?",
         "Schulsozialarbeit ansprechen.", ["school_social_work"]),
        (2, None, "fa", "16_plus", "bbs",
         "Ausbildung oder Abitur an der BBS?",
         "Termin bei der Jugendberufshilfe.", ["youth_vocational_help", "education_provider"]),
        (-3, None, "de", "under_6", "kita",
         "Ab wann ist die Kita kostenlos?", "Erklärblatt mitgegeben.", []),
    ]
    today = local_today()
    for offset, person, language, age_group, school_type, question, next_step, kinds in talks:
        db.session.add(Talk(
            day=min(week_start + timedelta(days=offset), today), staff_id=staff_id, person=person,
            language=language, age_group=age_group, school_type=school_type,
            question=question, next_step=next_step,
            referrals=[Referral(kind=kind) for kind in kinds]))
