"""Demo data of job orientation: application help, the job centre on site, an employers' evening."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from intranet.plugin import Offer, Person, User, db, local_today

from .models import Appointment, Consent, Contact, Employer, Event, Outcome, Place


def add_demo_data(week_start: date) -> None:
    """Two weekly offers, the employers' evening on the demo week's Thursday, a contact
    meeting later in the month, the register of employers and some appointments."""
    thursday = week_start + timedelta(days=3)
    db.session.add_all([
        Offer(service_area="job_orientation", weekly=True, last_date=None,
              first_date=week_start + timedelta(days=1), start_time=time(14),
              end_time=time(16), room="Kursraum 2",
              titles={"de": "Bewerbungshilfe (Lebenslauf, Anschreiben)",
                      "en": "Application help (CV, cover letter)",
                      "tr": "Başvuru yardımı (özgeçmiş, ön yazı)",
                      "ru": "Помощь с резюме и сопроводительным письмом",
                      "ar": "مساعدة في طلب العمل (السيرة الذاتية، رسالة التقديم)",
                      "fa": "کمک برای درخواست کار (رزومه، نامه درخواست)",
                      "uk": "Допомога з резюме та супровідним листом"},
              descriptions={
                  "de": "Wir schreiben zusammen Lebenslauf und Anschreiben am Computer. "
                        "Bitte Zeugnisse mitbringen.",
                  "en": "Together we write your CV and cover letter on the computer. "
                        "Please bring your certificates.",
                  "tr": "Özgeçmişinizi ve ön yazınızı birlikte bilgisayarda yazıyoruz. "
                        "Lütfen belgelerinizi getirin.",
                  "ru": "Вместе пишем резюме и письмо на компьютере. "
                        "Возьмите с собой дипломы и справки.",
                  "ar": "نكتب معًا السيرة الذاتية ورسالة التقديم على الكمبيوتر. "
                        "أحضر شهاداتك من فضلك.",
                  "fa": "با هم رزومه و نامه درخواست را با کامپیوتر می‌نویسیم. "
                        "لطفاً مدارک خود را بیاورید.",
                  "uk": "Разом пишемо резюме та лист на комп'ютері. "
                        "Візьміть, будь ласка, свої документи про освіту.",
              },
              languages=["de", "en", "ar"]),
        Offer(service_area="job_orientation", weekly=True, last_date=None,
              first_date=thursday, start_time=time(13), end_time=time(15), room="Büro",
              # the kiosk offers "Job centre consultation hour" only while it runs
              kiosk_purpose="job_orientation:job_centre",
              titles={"de": "Sprechstunde des Jobcenters vor Ort",
                      "en": "Job centre consultation hour on site",
                      "tr": "Jobcenter danışma saati – burada",
                      "ru": "Приём джобцентра – здесь, на месте",
                      "ar": "ساعة استشارة الجوب سنتر – هنا عندنا",
                      "fa": "ساعت مشاوره جاب‌سنتر – همین‌جا",
                      "uk": "Прийом джобцентру – тут, на місці"},
              descriptions={
                  "de": "Eine Mitarbeiterin des Jobcenters beantwortet Fragen zu Briefen und "
                        "Anträgen. Bitte Kundennummer mitbringen.",
                  "en": "A job centre adviser answers questions about letters and "
                        "applications. Please bring your customer number.",
                  "tr": "Jobcenter'dan bir danışman mektuplar ve başvurular hakkındaki "
                        "soruları yanıtlar. Lütfen müşteri numaranızı getirin.",
                  "ru": "Сотрудница джобцентра отвечает на вопросы о письмах и заявлениях. "
                        "Возьмите с собой номер клиента.",
                  "ar": "موظفة من الجوب سنتر تجيب عن الأسئلة حول الرسائل والطلبات. "
                        "أحضر رقم العميل من فضلك.",
                  "fa": "یک کارمند جاب‌سنتر به سؤال‌ها درباره نامه‌ها و درخواست‌ها جواب "
                        "می‌دهد. لطفاً شماره مشتری خود را بیاورید.",
                  "uk": "Працівниця джобцентру відповідає на питання про листи та заяви. "
                        "Візьміть, будь ласка, свій номер клієнта.",
              },
              languages=["de"]),
    ])
    evening = Offer(service_area="job_orientation", weekly=False, first_date=thursday,
              start_time=time(17), end_time=time(19), room="Café",
              titles={"de": "Infoabend für Arbeitgeber", "en": "Information evening for employers",
                      "tr": "İşverenler için bilgi akşamı",
                      "ru": "Информационный вечер для работодателей",
                      "ar": "أمسية معلومات لأصحاب العمل",
                      "fa": "شب اطلاع‌رسانی برای کارفرمایان",
                      "uk": "Інформаційний вечір для роботодавців"},
              descriptions={
                  "de": "Betriebe aus dem Stadtteil lernen Menschen kennen, die Arbeit oder "
                        "ein Praktikum suchen; mit der Agentur für Arbeit.",
                  "en": "Local businesses meet people looking for work or an internship; "
                        "with the employment agency.",
                  "tr": "Mahalledeki işletmeler iş veya staj arayan insanlarla tanışır; "
                        "iş ajansı ile birlikte.",
                  "ru": "Предприятия района знакомятся с людьми, которые ищут работу или "
                        "практику; вместе с агентством по труду.",
                  "ar": "شركات الحي تتعرف على أشخاص يبحثون عن عمل أو تدريب عملي، "
                        "بالتعاون مع وكالة العمل.",
                  "fa": "کسب‌وکارهای محله با کسانی که دنبال کار یا کارآموزی هستند آشنا "
                        "می‌شوند؛ همراه با اداره کار.",
                  "uk": "Підприємства району знайомляться з людьми, які шукають роботу "
                        "або практику; разом з агентством праці.",
              },
              languages=["de"], registration_needed=True)
    db.session.add(evening)
    add_demo_register(week_start, evening)


def add_demo_register(week_start: date, evening: Offer) -> None:
    """Employers with places and contacts, events, appointments with outcomes (all invented)."""
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    today = local_today()
    meeting = Offer(service_area="job_orientation", weekly=False,
                    first_date=week_start + timedelta(days=25), start_time=time(10),
                    end_time=time(12), room="Café",
                    titles={"de": "Kontaktbörse im Quartier: Betriebe stellen sich vor",
                            "en": "Contact meeting in the quarter: local firms introduce "
                                  "themselves",
                            "tr": "Mahallede tanışma buluşması: işletmeler kendini tanıtıyor",
                            "ru": "Встреча в квартале: предприятия представляют себя",
                            "ar": "لقاء تعارف في الحي: الشركات تعرّف بنفسها",
                            "fa": "دیدار در محله: کسب‌وکارها خود را معرفی می‌کنند",
                            "uk": "Зустріч у кварталі: підприємства представляються"},
                    descriptions={"de": "Ohne Anmeldung. Lebenslauf mitbringen, wenn vorhanden.",
                                  "en": "No registration needed. Bring your CV if you have one."},
                    languages=["de", "tr", "ar"])
    db.session.add(meeting)
    db.session.add_all([
        Event(offer=evening, kind="employer_information", created_by=admin),
        Event(offer=meeting, kind="contact_meeting", created_by=admin),
    ])

    def employer(name: str, kind: str, contact: str, phone: str, email: str,
                 places: list[Place], contacts: list[tuple[int, str, str]]) -> Employer:
        found = Employer(name=name, kind=kind, contact_person=contact, phone=phone, email=email,
                         places=places,
                         contacts=[Contact(day=week_start - timedelta(days=ago), staff=admin,
                                           channel=channel, note=note)
                                   for ago, channel, note in contacts])
        db.session.add(found)
        return found

    month = date(week_start.year, week_start.month, 1)
    employer("Jobcenter Musterstadt (Demo)", "job_centre", "Frau Beispiel", "05121 0000-10",
             "team-nord@jobcenter.example", [],
             [(3, "meeting", "Sprechstunde vor Ort abgestimmt, donnerstags 13–15 Uhr.")])
    employer("Agentur für Arbeit, Berufsberatung (Demo)", "employment_agency", "Herr Muster",
             "05121 0000-20", "berufsberatung@agentur.example", [],
             [(10, "email", "Termine für Berufsberatung im Mittelpunkt angefragt.")])
    employer("Jugendberufshilfe Nordstadt (Demo)", "youth_vocational_help", "Frau Lehrbach",
             "05121 0000-30", "jbh@nordstadt.example", [],
             [(6, "phone", "Zwei Jugendliche für Ausbildungscoaching vermittelt.")])
    bakery = employer(
        "Bäckerei Sonnenkorn (Demo)", "company", "Herr Korn", "05121 0000-40",
        "info@sonnenkorn.example",
        [Place(kind="internship", field="Verkauf", count=2, available_from=month,
               available_until=month + timedelta(days=180)),
         Place(kind="apprenticeship", field="Bäckerhandwerk", count=1,
               available_from=date(week_start.year, 8, 1))],
        [(2, "visit", "Im Laden vorgestellt; Praktikum im Verkauf ab sofort möglich."),
         (30, "phone", "Erstkontakt über die Kontaktbörse.")])
    logistics = employer(
        "Nordlager Logistik GmbH (Demo)", "company", "Frau Stapel", "05121 0000-50",
        "personal@nordlager.example",
        [Place(kind="internship", field="Lager und Versand", count=3),
         Place(kind="apprenticeship", field="Fachkraft für Lagerlogistik", count=2,
               available_from=date(week_start.year, 8, 1))],
        [(1, "email", "Drei Praktikumsplätze bestätigt, Deutsch A2 reicht.")])
    employer("Handwerkskammer, Passgenaue Besetzung (Demo)", "chamber", "Herr Meister",
             "05121 0000-60", "", [], [])

    people = [Person(nickname=name, languages=languages,
                     first_visit=week_start - timedelta(days=40))
              for name, languages in (("Demo-Samir", ["ar", "de"]), ("Demo-Olena", ["uk"]),
                                      ("Demo-Hamid", ["fa"]), ("Demo-Aylin", ["tr", "de"]))]
    db.session.add_all(people)
    samir, olena, hamid, aylin = people
    last_tuesday = datetime.combine(week_start - timedelta(days=6), time(14))
    tuesday = datetime.combine(week_start + timedelta(days=1), time(14))
    db.session.add_all([
        Appointment(starts_at=last_tuesday, staff=admin, person=samir, status="held",
                    topics=["cv", "cover_letter"], documents_brought=["school_certificates"],
                    documents_prepared=["cv", "cover_letter"],
                    note="Bewerbung Verkauf Bäckerei abgeschickt."),
        Appointment(starts_at=last_tuesday + timedelta(minutes=45), staff=admin, person=olena,
                    status="held", topics=["documents"],
                    documents_brought=["work_certificates", "translations"],
                    documents_description="Diplom Buchhaltung (Kyjiw), beglaubigte Übersetzung "
                                          "liegt vor; Anerkennung noch offen.",
                    note="Anerkennungsberatung empfohlen."),
        Appointment(starts_at=tuesday, staff=admin, person=hamid, status="planned",
                    topics=["cv", "job_search"]),
        Appointment(starts_at=tuesday + timedelta(minutes=45), staff=admin, person=aylin,
                    status="planned", topics=["online_application", "interview"]),
        Appointment(starts_at=datetime.combine(today, time(11)), staff=admin, person=samir,
                    status="planned", topics=["interview"],
                    note="Vorstellungsgespräch üben."),
        Consent(person=olena, given_on=last_tuesday.date(), recorded_by=admin),
        Outcome(person=samir, kind="internship", day=week_start - timedelta(days=2),
                employer=bakery, recorded_by=admin, note="Zwei Wochen Praktikum im Verkauf."),
        Outcome(person=olena, kind="none_yet", day=last_tuesday.date(), recorded_by=admin),
        Outcome(person=aylin, kind="course", day=week_start - timedelta(days=20),
                recorded_by=admin, note="Berufssprachkurs B1."),
        Outcome(person=hamid, kind="job", day=week_start - timedelta(days=1),
                employer=logistics, recorded_by=admin, note="Minijob im Lager."),
    ])
