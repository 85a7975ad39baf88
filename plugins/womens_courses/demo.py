"""Demo data of the women's courses: two weekly German mornings for women, with childcare."""

from __future__ import annotations

from datetime import date, time, timedelta

from intranet.plugin import Offer, db


def add_demo_data(week_start: date) -> None:
    """Add Tuesday's and Thursday's course of the demo week (weekly, without end)."""
    common = {"service_area": "womens_courses", "weekly": True, "last_date": None,
              "start_time": time(9, 30), "end_time": time(11, 30), "audience": "women",
              "childcare": True}
    db.session.add_all([
        Offer(**common, first_date=week_start + timedelta(days=1), room="Kursraum 1",
              titles={"de": "Deutsch für Frauen mit Kinderbetreuung",
                      "en": "German for women with childcare",
                      "tr": "Kadınlar için Almanca – çocuk bakımı var",
                      "ru": "Немецкий для женщин – дети под присмотром",
                      "ar": "اللغة الألمانية للنساء – مع رعاية الأطفال",
                      "fa": "زبان آلمانی برای زنان – با نگهداری از کودکان",
                      "uk": "Німецька для жінок – з доглядом за дітьми"},
              descriptions={
                  "de": "Für Anfängerinnen. Die Kinder werden nebenan betreut. Bitte anmelden.",
                  "en": "For beginners. Children are looked after next door. Please sign up.",
                  "tr": "Yeni başlayanlar için. Çocuklara yan odada bakılır. Lütfen kayıt olun.",
                  "ru": "Для начинающих. За детьми присмотрят в соседней комнате. "
                        "Нужна запись.",
                  "ar": "للمبتدئات. يتم الاعتناء بالأطفال في الغرفة المجاورة. "
                        "التسجيل ضروري.",
                  "fa": "برای مبتدی‌ها. از کودکان در اتاق کناری نگهداری می‌شود. "
                        "لطفاً ثبت‌نام کنید.",
                  "uk": "Для початківців. За дітьми доглядають у сусідній кімнаті. "
                        "Потрібна реєстрація.",
              },
              languages=["de", "ar", "fa"], registration_needed=True),
        Offer(**common, first_date=week_start + timedelta(days=3), room="Kursraum 2",
              titles={"de": "Deutsch für Frauen", "en": "German for women",
                      "tr": "Kadınlar için Almanca", "ru": "Немецкий для женщин",
                      "ar": "اللغة الألمانية للنساء", "fa": "زبان آلمانی برای زنان",
                      "uk": "Німецька для жінок"},
              descriptions={
                  "de": "Offene Gruppe zum Üben: Sprechen im Alltag, beim Arzt, in der Schule. "
                        "Mit Kinderbetreuung.",
                  "en": "Open group for practice: speaking in daily life, at the doctor's, "
                        "at school. With childcare.",
                  "tr": "Pratik için açık grup: günlük hayatta, doktorda, okulda konuşmak. "
                        "Çocuk bakımı var.",
                  "ru": "Открытая группа: говорим в жизни, у врача, в школе. "
                        "Дети под присмотром.",
                  "ar": "مجموعة مفتوحة للتدريب: الكلام في الحياة اليومية، عند الطبيب، "
                        "في المدرسة. مع رعاية الأطفال.",
                  "fa": "گروه باز برای تمرین: صحبت در زندگی روزمره، پیش دکتر، در مدرسه. "
                        "با نگهداری از کودکان.",
                  "uk": "Відкрита група: говоримо в побуті, у лікаря, у школі. "
                        "З доглядом за дітьми.",
              },
              languages=["de", "tr", "ru", "uk"]),
    ])
