"""Demo data of the women's courses: two weekly German mornings for women (one of them a
full course with a waiting list, one an open drop-in group) and a computer course.

All names are invented.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from intranet.plugin import Offer, Person, User, db

from .models import Attendance, Course, CourseOffer, Enrolment, EnrolmentStatus, Session

# The courses began three weeks before the demo week: there is attendance to show.
WEEKS_BEFORE = 3


def add_demo_data(week_start: date) -> None:
    """Add the weekly courses (Tuesday, Wednesday, Thursday), enrolments and attendance."""
    start = week_start - timedelta(weeks=WEEKS_BEFORE)
    common = {"service_area": "womens_courses", "weekly": True, "last_date": None,
              "start_time": time(9, 30), "end_time": time(11, 30), "audience": "women",
              "childcare": True}
    tuesday, thursday = (
        Offer(**common, first_date=start + timedelta(days=1), room="Kursraum 1",
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
        Offer(**common, first_date=start + timedelta(days=3), room="Kursraum 2",
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
    )
    wednesday = Offer(
        service_area="womens_courses", weekly=True, last_date=None,
        first_date=start + timedelta(days=2), start_time=time(14), end_time=time(16),
        audience="women", childcare=False, registration_needed=True, room="Computerraum",
        titles={"de": "Computerkurs für Frauen", "en": "Computer basics for women",
                "tr": "Kadınlar için bilgisayar kursu", "ru": "Компьютер для женщин",
                "ar": "أساسيات الحاسوب للنساء", "fa": "آموزش کامپیوتر برای زنان",
                "uk": "Комп’ютер для жінок"},
        descriptions={"de": "E-Mails, Termine online buchen, Formulare am Bildschirm.",
                      "en": "E-mail, booking appointments online, forms on screen."},
        languages=["de", "ar"])
    db.session.add_all([tuesday, wednesday, thursday])
    teacher = User(username="kursleitung.hanna", display_name="Hanna (Ehrenamt)",
                   role="volunteer", language="de")
    teacher.set_password(secrets.token_urlsafe(24))  # she is given a login by the admin
    db.session.add(teacher)

    german = Course(title="Deutsch A1 mit Kinderbetreuung", kind="german", level="A1",
                    teacher=teacher, places=8, childcare_places=4,
                    note="Kinderbetreuung im Spielzimmer nebenan.",
                    schedule=[CourseOffer(offer=tuesday)])
    open_group = Course(title="Offene Deutschgruppe", kind="german", level="alle",
                        places=15, childcare_places=5, drop_in=True,
                        schedule=[CourseOffer(offer=thursday)])
    computer = Course(title="Computerkurs für Frauen", kind="computer",
                      level="ohne Vorkenntnisse", places=6, childcare_places=0,
                      schedule=[CourseOffer(offer=wednesday)])
    db.session.add_all([german, open_group, computer])

    enrolled_at = datetime.combine(start - timedelta(days=7), time(10))
    names = iter(["Amina", "Leyla", "Olga", "Zahra", "Mariam", "Hatice", "Natalia", "Farida",
                  "Roya", "Songül", "Iryna", "Nour", "Samira", "Elif", "Tamara", "Shirin",
                  "Dilnoza"])
    languages = iter(["ar", "tr", "ru", "fa", "ar", "tr", "uk", "fa",
                      "fa", "tr", "uk", "ar", "ar", "tr", "ru", "fa", "ru"])

    def woman(course: Course, status: str, childcare: bool = False,
              **extra: object) -> Enrolment:
        language = next(languages)
        person = Person(nickname=next(names), gender="female", languages=[language],
                        first_visit=enrolled_at.date())
        enrolment = Enrolment(course=course, person=person, status=status,
                              needs_childcare=childcare, reading_language=language,
                              created_at=enrolled_at, **extra)
        if status == EnrolmentStatus.ENROLLED:
            enrolment.enrolled_at = enrolled_at
        db.session.add(enrolment)
        return enrolment

    # The German course is full: 8 women, 4 of them with a childcare place, 3 waiting.
    participants = [woman(german, EnrolmentStatus.ENROLLED, childcare=n < 4) for n in range(8)]
    woman(german, EnrolmentStatus.WAITING, childcare=True)
    woman(german, EnrolmentStatus.WAITING)
    woman(german, EnrolmentStatus.WAITING)
    # The computer course: one left last week and the first on the waiting list moved up.
    learners = [woman(computer, EnrolmentStatus.ENROLLED) for _ in range(4)]
    woman(computer, EnrolmentStatus.LEFT, enrolled_at=enrolled_at,
          left_at=datetime.combine(week_start - timedelta(days=3), time(12)))
    learners.append(woman(computer, EnrolmentStatus.ENROLLED, to_call=True,
                          moved_up_at=datetime.combine(week_start - timedelta(days=3),
                                                       time(12))))

    # Attendance of the weeks before the demo week; drop-ins at the open group.
    for week in range(WEEKS_BEFORE):
        monday = start + timedelta(weeks=week)
        _session(german, monday + timedelta(days=1), tuesday,
                 {e: (n + week) % 5 != 0 for n, e in enumerate(participants)})
        _session(computer, monday + timedelta(days=2), wednesday,
                 {e: (n + week) % 4 != 1 for n, e in enumerate(learners[:4])})
        db.session.add(Session(course=open_group, day=monday + timedelta(days=3),
                               offer=thursday, drop_ins=(7, 11, 9)[week % 3]))


def _session(course: Course, day: date, offer: Offer, present: dict[Enrolment, bool]) -> None:
    session = Session(course=course, day=day, offer=offer)
    session.attendance = [Attendance(enrolment=e, present=p,
                                     marked_at=datetime.combine(day, time(10)))
                          for e, p in present.items()]
    db.session.add(session)
