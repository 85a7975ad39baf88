"""Demo data of job orientation: application help, the job centre on site, an employers' evening."""

from __future__ import annotations

from datetime import date, time, timedelta

from intranet.plugin import Offer, db


def add_demo_data(week_start: date) -> None:
    """Add two weekly offers and the one-off employers' evening on the demo week's Thursday."""
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
        Offer(service_area="job_orientation", weekly=False, first_date=thursday,
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
              languages=["de"], registration_needed=True),
    ])
