"""Demo data of school guidance: homework help and a school-system evening for parents."""

from __future__ import annotations

from datetime import date, time, timedelta

from intranet.plugin import Offer, db


def add_demo_data(week_start: date) -> None:
    """Add Monday's homework help and Wednesday's parents' evening (weekly, without end)."""
    db.session.add_all([
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
              first_date=week_start + timedelta(days=2), start_time=time(16),
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
    ])
