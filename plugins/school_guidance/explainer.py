"""The explainer "The school system in Lower Saxony", for parents, in seven languages.

Written in simple language from public facts (Lower Saxony's school law and the
state's information for parents); facts we were not sure about are left out.
The texts live here rather than in the catalogs: each language is one whole
page, proof-read as a whole, and printed on one A4 sheet.

``[[Word]]`` marks a German term that parents meet at school and should
recognise; the page shows it in German, isolated for right-to-left text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

EXPLAINER_LANGUAGES = ("de", "ar", "tr", "ru", "fa", "uk", "en")
RTL = frozenset({"ar", "fa"})

# One pictogram per section, the same in every language.
ICONS = ("baby-carriage", "backpack", "school", "arrows-split", "building", "heart-handshake",
         "abc", "certificate", "tools", "route", "help")

class ExplainerText(TypedDict):
    title: str
    intro: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)
    note: str


TEXTS: dict[str, ExplainerText] = {
    "de": {
        "title": "Das Schulsystem in Niedersachsen",
        "intro": "Kurze Infos für Eltern. Öffentliche Schulen kosten kein Schulgeld. "
                 "Fragen Sie, wenn etwas unklar ist.",
        "sections": [
            ("Kita", [
                "Ab 1 Jahr können Kinder in die [[Krippe]], ab 3 Jahren in den "
                "[[Kindergarten]]. Beides heißt [[Kita]]. Jedes Kind hat ab 1 Jahr ein Recht "
                "auf einen Platz.",
                "In Niedersachsen ist die Kita ab 3 Jahren bis zur Schule kostenlos "
                "(bis 8 Stunden am Tag). In der Kita lernen Kinder beim Spielen Deutsch.",
            ]),
            ("Der Schulanfang", [
                "In Deutschland gilt die [[Schulpflicht]]: Jedes Kind muss zur Schule gehen.",
                "Kinder, die bis zum 30. September 6 Jahre alt werden, kommen im Sommer in die "
                "Schule. Kinder, die zwischen 1. Juli und 30. September 6 werden, dürfen ein "
                "Jahr später anfangen, wenn die Eltern das der Schule rechtzeitig sagen.",
                "Vorher melden die Eltern das Kind an der Schule an. Das Gesundheitsamt macht "
                "eine Untersuchung ([[Schuleingangsuntersuchung]]).",
            ]),
            ("Die Grundschule: Klasse 1 bis 4", [
                "Alle Kinder gehen 4 Jahre zusammen in die [[Grundschule]]. In Klasse 4 "
                "sprechen die Lehrkräfte mit den Eltern: Welche Schule passt danach?",
            ]),
            ("Nach Klasse 4 wählen die Eltern", [
                "Die Eltern entscheiden, auf welche Schule das Kind ab Klasse 5 geht. "
                "Der Rat der Grundschule ist wichtig, aber er ist keine Pflicht.",
            ]),
            ("Die Schulen ab Klasse 5", [
                "[[Hauptschule]]: Klasse 5 bis 9 oder 10, viel Praxis.",
                "[[Realschule]]: Klasse 5 bis 10.",
                "[[Oberschule]]: Hauptschule und Realschule in einer Schule. Manche führen "
                "auch zum Abitur.",
                "[[Gymnasium]]: Klasse 5 bis 13, am Ende das [[Abitur]].",
                "[[Gesamtschule]]: Alle Kinder lernen zusammen ([[IGS]]) oder in Zweigen unter "
                "einem Dach ([[KGS]]). Dort sind alle Abschlüsse möglich.",
            ]),
            ("Kinder mit Behinderung oder Förderbedarf", [
                "Sie können mit den anderen Kindern an einer normalen Schule lernen "
                "(Inklusion). Es gibt auch die [[Förderschule]]. Sprechen Sie mit der Schule, "
                "was für Ihr Kind gut ist.",
            ]),
            ("Neu in Deutschland", [
                "Kinder und Jugendliche, die wenig Deutsch sprechen, kommen oft zuerst in eine "
                "[[Sprachlernklasse]], meist für etwa ein Jahr. Danach lernen sie in einer "
                "normalen Klasse. Viele bekommen zusätzlich Deutschunterricht.",
            ]),
            ("Die Schulabschlüsse", [
                "[[Hauptschulabschluss]]: nach Klasse 9.",
                "[[Realschulabschluss]] ([[Sekundarabschluss I]]): nach Klasse 10.",
                "[[Abitur]]: nach Klasse 13. Damit kann man studieren.",
            ]),
            ("Berufsschule und Ausbildung", [
                "Die [[Berufsbildende Schule]] ([[BBS]]) hat viele Wege nach Klasse 9 oder 10: "
                "Berufe kennenlernen, Abschlüsse nachholen, auch die [[Fachhochschulreife]] "
                "oder das Abitur.",
                "Eine [[Ausbildung]] dauert meist 2 bis 3½ Jahre. Man arbeitet in einem Betrieb "
                "und geht in die [[Berufsschule]] ([[duales System]]). Man verdient schon Geld.",
            ]),
            ("Später ist noch viel möglich", [
                "Ein Kind kann später die Schulform wechseln. Abschlüsse kann man auch später "
                "machen, zum Beispiel an der BBS oder in der [[Abendschule]]. "
                "Eine Wahl schließt nicht alle Türen.",
            ]),
            ("Wer hilft?", [
                "Die Klassenlehrerin oder der Klassenlehrer und das Sekretariat der Schule. "
                "Bitten Sie um ein Gespräch. Sie dürfen jemanden zum Übersetzen mitbringen.",
                "Die [[Schulsozialarbeit]] an vielen Schulen.",
                "Der Mittelpunkt: bei der Hausaufgabenhilfe, beim Elternabend und in der "
                "Beratung. Wir helfen in mehreren Sprachen.",
            ]),
        ],
        "note": "Regeln können sich ändern. Fragen Sie im Zweifel die Schule.",
    },
    "en": {
        "title": "The school system in Lower Saxony",
        "intro": "Short information for parents. State schools charge no school fees. "
                 "Ask if something is not clear.",
        "sections": [
            ("Day care (Kita)", [
                "From age 1 children can go to a [[Krippe]] (nursery), from age 3 to a "
                "[[Kindergarten]]. Both are called [[Kita]]. Every child has a right to a "
                "place from age 1.",
                "In Lower Saxony the Kita is free of charge from age 3 until school starts "
                "(up to 8 hours a day). In the Kita children learn German through play.",
            ]),
            ("Starting school", [
                "School is compulsory in Germany ([[Schulpflicht]]): every child must go to "
                "school.",
                "Children who turn 6 by 30 September start school in the summer of that year. "
                "Children who turn 6 between 1 July and 30 September may start one year later "
                "if the parents tell the school in good time.",
                "Before that, the parents register the child at the school. The health office "
                "examines the child ([[Schuleingangsuntersuchung]]).",
            ]),
            ("Primary school: years 1 to 4", [
                "All children go to the [[Grundschule]] together for 4 years. In year 4 the "
                "teachers talk with the parents: which school fits next?",
            ]),
            ("After year 4 the parents choose", [
                "The parents decide which school the child attends from year 5. The primary "
                "school's advice is important, but it is not binding.",
            ]),
            ("Schools from year 5", [
                "[[Hauptschule]]: years 5 to 9 or 10, much practical learning.",
                "[[Realschule]]: years 5 to 10.",
                "[[Oberschule]]: Hauptschule and Realschule in one school. Some also lead to "
                "the Abitur.",
                "[[Gymnasium]]: years 5 to 13, ending with the [[Abitur]].",
                "[[Gesamtschule]]: all children learn together ([[IGS]]) or in branches under "
                "one roof ([[KGS]]). Every leaving certificate is possible there.",
            ]),
            ("Children with a disability or special needs", [
                "They can learn at an ordinary school together with the other children "
                "(inclusion). There is also the [[Förderschule]] (special school). Talk with "
                "the school about what is good for your child.",
            ]),
            ("New in Germany", [
                "Children and young people who speak little German often first join a "
                "language learning class ([[Sprachlernklasse]]), usually for about one year. "
                "Then they learn in an ordinary class. Many get extra German lessons.",
            ]),
            ("Leaving certificates", [
                "[[Hauptschulabschluss]]: after year 9.",
                "[[Realschulabschluss]] ([[Sekundarabschluss I]]): after year 10.",
                "[[Abitur]]: after year 13. It opens the way to university.",
            ]),
            ("Vocational school and apprenticeship", [
                "The vocational school ([[Berufsbildende Schule]], [[BBS]]) offers many paths "
                "after year 9 or 10: getting to know jobs, catching up on certificates, also "
                "the [[Fachhochschulreife]] or the Abitur.",
                "An apprenticeship ([[Ausbildung]]) usually takes 2 to 3½ years. You work in a "
                "company and go to the [[Berufsschule]] ([[duales System]]). You already earn "
                "money.",
            ]),
            ("Later, much is still possible", [
                "A child can change to another type of school later. Certificates can also be "
                "gained later, for example at the BBS or at evening school "
                "([[Abendschule]]). One choice does not close every door.",
            ]),
            ("Who helps?", [
                "The class teacher and the school office. Ask for a meeting. You may bring "
                "someone to interpret.",
                "School social work ([[Schulsozialarbeit]]) at many schools.",
                "The Mittelpunkt: at homework help, at the parents' evening and in our "
                "consultation hours. We help in several languages.",
            ]),
        ],
        "note": "Rules can change. If in doubt, ask the school.",
    },
    "tr": {
        "title": "Aşağı Saksonya'da okul sistemi",
        "intro": "Veliler için kısa bilgi. Devlet okulları okul ücreti almaz. "
                 "Anlamadığınız bir şey olursa sorun.",
        "sections": [
            ("Kreş ve anaokulu (Kita)", [
                "Çocuklar 1 yaşından itibaren [[Krippe]]'ye (kreş), 3 yaşından itibaren "
                "[[Kindergarten]]'e (anaokulu) gidebilir. İkisine birden [[Kita]] denir. "
                "Her çocuğun 1 yaşından itibaren yer hakkı vardır.",
                "Aşağı Saksonya'da Kita, 3 yaşından okula başlayana kadar ücretsizdir "
                "(günde 8 saate kadar). Çocuklar Kita'da oynayarak Almanca öğrenir.",
            ]),
            ("Okula başlama", [
                "Almanya'da okul zorunludur ([[Schulpflicht]]): her çocuk okula gitmelidir.",
                "30 Eylül'e kadar 6 yaşını dolduran çocuklar o yılın yazında okula başlar. "
                "1 Temmuz ile 30 Eylül arasında 6 yaşına giren çocuklar, veliler okula zamanında "
                "bildirirse bir yıl sonra başlayabilir.",
                "Önce veliler çocuğu okula kaydettirir. Sağlık dairesi çocuğu muayene eder "
                "([[Schuleingangsuntersuchung]]).",
            ]),
            ("İlkokul: 1. ile 4. sınıf", [
                "Bütün çocuklar 4 yıl birlikte [[Grundschule]]'ye gider. 4. sınıfta "
                "öğretmenler velilerle konuşur: sonra hangi okul uygun?",
            ]),
            ("4. sınıftan sonra veliler seçer", [
                "Çocuğun 5. sınıftan itibaren hangi okula gideceğine veliler karar verir. "
                "İlkokulun tavsiyesi önemlidir ama zorunlu değildir.",
            ]),
            ("5. sınıftan itibaren okullar", [
                "[[Hauptschule]]: 5. sınıftan 9. veya 10. sınıfa kadar, çok uygulama.",
                "[[Realschule]]: 5. sınıftan 10. sınıfa kadar.",
                "[[Oberschule]]: Hauptschule ve Realschule tek okulda. Bazıları Abitur'a da "
                "götürür.",
                "[[Gymnasium]]: 5. sınıftan 13. sınıfa kadar, sonunda [[Abitur]].",
                "[[Gesamtschule]]: bütün çocuklar birlikte ([[IGS]]) ya da aynı çatı altında "
                "farklı kollarda ([[KGS]]) öğrenir. Burada her diploma mümkündür.",
            ]),
            ("Engelli veya özel desteğe ihtiyacı olan çocuklar", [
                "Diğer çocuklarla birlikte normal bir okulda öğrenebilirler (kapsayıcı eğitim). "
                "Ayrıca [[Förderschule]] (özel eğitim okulu) da vardır. Çocuğunuz için neyin "
                "iyi olduğunu okulla konuşun.",
            ]),
            ("Almanya'da yeni olanlar", [
                "Az Almanca konuşan çocuklar ve gençler çoğu zaman önce bir dil öğrenme "
                "sınıfına ([[Sprachlernklasse]]) gider, genellikle yaklaşık bir yıl. Sonra "
                "normal bir sınıfta öğrenirler. Birçoğu ek Almanca dersi alır.",
            ]),
            ("Okul diplomaları", [
                "[[Hauptschulabschluss]]: 9. sınıftan sonra.",
                "[[Realschulabschluss]] ([[Sekundarabschluss I]]): 10. sınıftan sonra.",
                "[[Abitur]]: 13. sınıftan sonra. Üniversitede okumanın yolunu açar.",
            ]),
            ("Meslek okulu ve meslek eğitimi", [
                "Meslek okulu ([[Berufsbildende Schule]], [[BBS]]) 9. veya 10. sınıftan sonra "
                "birçok yol sunar: meslekleri tanımak, diploma tamamlamak, "
                "[[Fachhochschulreife]] veya Abitur da.",
                "Meslek eğitimi ([[Ausbildung]]) genellikle 2 ile 3,5 yıl sürer. Bir işyerinde "
                "çalışılır ve [[Berufsschule]]'ye gidilir ([[duales System]]). Bu sırada para "
                "da kazanılır.",
            ]),
            ("Sonra da birçok yol açık", [
                "Çocuk daha sonra başka bir okul türüne geçebilir. Diplomalar sonradan da "
                "alınabilir, örneğin BBS'de veya akşam okulunda ([[Abendschule]]). Bir seçim "
                "bütün kapıları kapatmaz.",
            ]),
            ("Kim yardım eder?", [
                "Sınıf öğretmeni ve okulun sekreterliği. Görüşme isteyin. Tercüme için "
                "yanınızda birini getirebilirsiniz.",
                "Birçok okulda okul sosyal hizmeti ([[Schulsozialarbeit]]).",
                "Mittelpunkt: ödev yardımında, veli akşamında ve danışma saatlerinde. "
                "Birçok dilde yardım ediyoruz.",
            ]),
        ],
        "note": "Kurallar değişebilir. Emin değilseniz okula sorun.",
    },
    "ru": {
        "title": "Школьная система в Нижней Саксонии",
        "intro": "Коротко для родителей. Государственные школы бесплатные. "
                 "Спрашивайте, если что-то непонятно.",
        "sections": [
            ("Детский сад (Kita)", [
                "С 1 года дети могут ходить в ясли ([[Krippe]]), с 3 лет — в детский сад "
                "([[Kindergarten]]). И то и другое называют [[Kita]]. С 1 года у каждого "
                "ребёнка есть право на место.",
                "В Нижней Саксонии Kita бесплатна с 3 лет до начала школы (до 8 часов в день). "
                "В Kita дети учат немецкий язык в игре.",
            ]),
            ("Начало школы", [
                "В Германии школа обязательна ([[Schulpflicht]]): каждый ребёнок должен "
                "ходить в школу.",
                "Дети, которым исполняется 6 лет до 30 сентября, идут в школу летом этого года. "
                "Дети, которым исполняется 6 лет с 1 июля по 30 сентября, могут начать на год "
                "позже, если родители вовремя сообщат об этом школе.",
                "Перед этим родители записывают ребёнка в школу. Ведомство здравоохранения "
                "проводит осмотр ([[Schuleingangsuntersuchung]]).",
            ]),
            ("Начальная школа: 1–4 класс", [
                "Все дети 4 года учатся вместе в [[Grundschule]]. В 4 классе учителя "
                "говорят с родителями: какая школа подходит дальше?",
            ]),
            ("После 4 класса выбирают родители", [
                "Родители решают, в какую школу ребёнок пойдёт с 5 класса. Совет начальной "
                "школы важен, но он не обязателен.",
            ]),
            ("Школы с 5 класса", [
                "[[Hauptschule]]: с 5 по 9 или 10 класс, много практики.",
                "[[Realschule]]: с 5 по 10 класс.",
                "[[Oberschule]]: Hauptschule и Realschule в одной школе. Некоторые ведут "
                "и к абитуру.",
                "[[Gymnasium]]: с 5 по 13 класс, в конце — [[Abitur]].",
                "[[Gesamtschule]]: все дети учатся вместе ([[IGS]]) или в разных ветвях под "
                "одной крышей ([[KGS]]). Там можно получить любой аттестат.",
            ]),
            ("Дети с инвалидностью или особыми потребностями", [
                "Они могут учиться в обычной школе вместе с другими детьми (инклюзия). "
                "Есть и специальные школы ([[Förderschule]]). Поговорите со школой о том, "
                "что лучше для вашего ребёнка.",
            ]),
            ("Недавно в Германии", [
                "Дети и подростки, которые мало говорят по-немецки, часто сначала учатся в "
                "языковом классе ([[Sprachlernklasse]]), обычно около года. Потом они учатся "
                "в обычном классе. Многие получают дополнительные уроки немецкого.",
            ]),
            ("Школьные аттестаты", [
                "[[Hauptschulabschluss]]: после 9 класса.",
                "[[Realschulabschluss]] ([[Sekundarabschluss I]]): после 10 класса.",
                "[[Abitur]]: после 13 класса. С ним можно учиться в университете.",
            ]),
            ("Профессиональная школа и обучение профессии", [
                "Профессиональная школа ([[Berufsbildende Schule]], [[BBS]]) даёт много путей "
                "после 9 или 10 класса: узнать профессии, получить аттестат позже, также "
                "[[Fachhochschulreife]] или абитур.",
                "Обучение профессии ([[Ausbildung]]) обычно длится от 2 до 3,5 лет. Человек "
                "работает на предприятии и ходит в [[Berufsschule]] ([[duales System]]). "
                "Уже во время обучения он получает деньги.",
            ]),
            ("Позже многое ещё возможно", [
                "Ребёнок может позже перейти в школу другого типа. Аттестат можно получить и "
                "позже, например в BBS или в вечерней школе ([[Abendschule]]). Один выбор не "
                "закрывает все двери.",
            ]),
            ("Кто поможет?", [
                "Классный руководитель и секретариат школы. Попросите о встрече. Можно "
                "привести с собой человека для перевода.",
                "Школьные социальные работники ([[Schulsozialarbeit]]) во многих школах.",
                "Mittelpunkt: на помощи с домашними заданиями, на вечере для родителей и на "
                "консультации. Мы помогаем на нескольких языках.",
            ]),
        ],
        "note": "Правила могут меняться. Если сомневаетесь, спросите в школе.",
    },
    "uk": {
        "title": "Шкільна система в Нижній Саксонії",
        "intro": "Коротко для батьків. Державні школи безкоштовні. "
                 "Запитуйте, якщо щось незрозуміло.",
        "sections": [
            ("Дитячий садок (Kita)", [
                "З 1 року діти можуть ходити до ясел ([[Krippe]]), з 3 років — до дитячого "
                "садка ([[Kindergarten]]). Обидва називають [[Kita]]. З 1 року кожна дитина "
                "має право на місце.",
                "У Нижній Саксонії Kita безкоштовна з 3 років до початку школи (до 8 годин на "
                "день). У Kita діти вчать німецьку мову під час гри.",
            ]),
            ("Початок школи", [
                "У Німеччині навчання в школі обов'язкове ([[Schulpflicht]]): кожна дитина "
                "мусить ходити до школи.",
                "Діти, яким до 30 вересня виповнюється 6 років, ідуть до школи влітку цього "
                "року. Діти, яким 6 років виповнюється з 1 липня по 30 вересня, можуть почати "
                "на рік пізніше, якщо батьки вчасно повідомлять школу.",
                "Перед цим батьки записують дитину до школи. Відомство охорони здоров'я "
                "проводить огляд ([[Schuleingangsuntersuchung]]).",
            ]),
            ("Початкова школа: 1–4 клас", [
                "Усі діти 4 роки навчаються разом у [[Grundschule]]. У 4 класі вчителі "
                "говорять із батьками: яка школа підходить далі?",
            ]),
            ("Після 4 класу обирають батьки", [
                "Батьки вирішують, до якої школи дитина піде з 5 класу. Порада початкової "
                "школи важлива, але вона не обов'язкова.",
            ]),
            ("Школи з 5 класу", [
                "[[Hauptschule]]: з 5 по 9 або 10 клас, багато практики.",
                "[[Realschule]]: з 5 по 10 клас.",
                "[[Oberschule]]: Hauptschule і Realschule в одній школі. Деякі ведуть і до "
                "абітуру.",
                "[[Gymnasium]]: з 5 по 13 клас, наприкінці — [[Abitur]].",
                "[[Gesamtschule]]: усі діти навчаються разом ([[IGS]]) або в різних гілках під "
                "одним дахом ([[KGS]]). Там можна отримати будь-який атестат.",
            ]),
            ("Діти з інвалідністю або особливими потребами", [
                "Вони можуть навчатися у звичайній школі разом з іншими дітьми (інклюзія). "
                "Є також спеціальні школи ([[Förderschule]]). Поговоріть зі школою про те, що "
                "найкраще для вашої дитини.",
            ]),
            ("Нещодавно в Німеччині", [
                "Діти й підлітки, які мало говорять німецькою, часто спочатку навчаються в "
                "мовному класі ([[Sprachlernklasse]]), зазвичай близько року. Потім вони "
                "навчаються у звичайному класі. Багато хто має додаткові уроки німецької.",
            ]),
            ("Шкільні атестати", [
                "[[Hauptschulabschluss]]: після 9 класу.",
                "[[Realschulabschluss]] ([[Sekundarabschluss I]]): після 10 класу.",
                "[[Abitur]]: після 13 класу. З ним можна навчатися в університеті.",
            ]),
            ("Професійна школа і навчання професії", [
                "Професійна школа ([[Berufsbildende Schule]], [[BBS]]) відкриває багато шляхів "
                "після 9 або 10 класу: пізнати професії, здобути атестат пізніше, також "
                "[[Fachhochschulreife]] або абітур.",
                "Навчання професії ([[Ausbildung]]) зазвичай триває від 2 до 3,5 року. Людина "
                "працює на підприємстві й ходить до [[Berufsschule]] ([[duales System]]). "
                "Уже під час навчання вона отримує гроші.",
            ]),
            ("Пізніше ще багато можливо", [
                "Дитина може пізніше перейти до школи іншого типу. Атестат можна здобути й "
                "пізніше, наприклад у BBS або у вечірній школі ([[Abendschule]]). Один вибір "
                "не зачиняє всіх дверей.",
            ]),
            ("Хто допоможе?", [
                "Класний керівник і секретаріат школи. Попросіть про зустріч. Можна привести "
                "з собою когось для перекладу.",
                "Шкільні соціальні працівники ([[Schulsozialarbeit]]) у багатьох школах.",
                "Mittelpunkt: на допомозі з домашніми завданнями, на вечорі для батьків і на "
                "консультації. Ми допомагаємо кількома мовами.",
            ]),
        ],
        "note": "Правила можуть змінюватися. Якщо сумніваєтеся, запитайте в школі.",
    },
    "ar": {
        "title": "النظام المدرسي في ولاية ساكسونيا السفلى",
        "intro": "معلومات قصيرة للأهالي. المدارس الحكومية لا تأخذ رسومًا دراسية. "
                 "اسألوا إذا كان شيء غير واضح.",
        "sections": [
            ("الحضانة وروضة الأطفال (Kita)", [
                "من عمر سنة يمكن للأطفال الذهاب إلى الحضانة [[Krippe]]، ومن عمر 3 سنوات إلى "
                "روضة الأطفال [[Kindergarten]]. الاثنان يُسمّيان [[Kita]]. لكل طفل حق في "
                "مكان من عمر سنة.",
                "في ساكسونيا السفلى الـ Kita مجانية من عمر 3 سنوات حتى بداية المدرسة "
                "(حتى 8 ساعات في اليوم). في الـ Kita يتعلم الأطفال الألمانية باللعب.",
            ]),
            ("بداية المدرسة", [
                "المدرسة إلزامية في ألمانيا [[Schulpflicht]]: كل طفل يجب أن يذهب إلى المدرسة.",
                "الأطفال الذين يبلغون 6 سنوات حتى 30 سبتمبر يبدؤون المدرسة في صيف تلك السنة. "
                "الأطفال الذين يبلغون 6 سنوات بين 1 يوليو و30 سبتمبر يمكنهم البدء بعد سنة، "
                "إذا أخبر الأهل المدرسة في الوقت المناسب.",
                "قبل ذلك يسجّل الأهل الطفل في المدرسة. ويفحص مكتب الصحة الطفل "
                "[[Schuleingangsuntersuchung]].",
            ]),
            ("المدرسة الابتدائية: الصف 1 إلى 4", [
                "كل الأطفال يذهبون معًا 4 سنوات إلى [[Grundschule]]. في الصف الرابع يتحدث "
                "المعلمون مع الأهل: أي مدرسة تناسب الطفل بعدها؟",
            ]),
            ("بعد الصف الرابع يختار الأهل", [
                "الأهل يقررون إلى أي مدرسة يذهب الطفل من الصف الخامس. نصيحة المدرسة الابتدائية "
                "مهمة، لكنها ليست إلزامية.",
            ]),
            ("المدارس من الصف الخامس", [
                "[[Hauptschule]]: من الصف 5 إلى 9 أو 10، تعلّم عملي كثير.",
                "[[Realschule]]: من الصف 5 إلى 10.",
                "[[Oberschule]]: الـ Hauptschule والـ Realschule في مدرسة واحدة. بعضها يؤدي "
                "أيضًا إلى الأبيتور.",
                "[[Gymnasium]]: من الصف 5 إلى 13، وفي النهاية شهادة [[Abitur]].",
                "[[Gesamtschule]]: كل الأطفال يتعلمون معًا [[IGS]] أو في فروع تحت سقف واحد "
                "[[KGS]]. كل الشهادات ممكنة هناك.",
            ]),
            ("الأطفال ذوو الإعاقة أو الاحتياجات الخاصة", [
                "يمكنهم التعلّم في مدرسة عادية مع الأطفال الآخرين (الدمج). وتوجد أيضًا "
                "مدرسة خاصة [[Förderschule]]. تحدثوا مع المدرسة عمّا هو جيد لطفلكم.",
            ]),
            ("جديد في ألمانيا", [
                "الأطفال والشباب الذين يتكلمون قليلًا من الألمانية يدخلون غالبًا أولًا صفًا "
                "لتعلّم اللغة [[Sprachlernklasse]]، عادةً لمدة سنة تقريبًا. بعدها يتعلمون في "
                "صف عادي. كثيرون يحصلون على دروس ألمانية إضافية.",
            ]),
            ("الشهادات المدرسية", [
                "[[Hauptschulabschluss]]: بعد الصف 9.",
                "[[Realschulabschluss]] [[Sekundarabschluss I]]: بعد الصف 10.",
                "[[Abitur]]: بعد الصف 13. يفتح الطريق إلى الجامعة.",
            ]),
            ("المدرسة المهنية والتدريب المهني", [
                "المدرسة المهنية [[Berufsbildende Schule]] [[BBS]] تقدم طرقًا كثيرة بعد الصف "
                "9 أو 10: التعرّف على المهن، إكمال الشهادات لاحقًا، وأيضًا "
                "[[Fachhochschulreife]] أو الأبيتور.",
                "التدريب المهني [[Ausbildung]] يستمر عادةً من سنتين إلى 3 سنوات ونصف. يعمل "
                "المتدرب في شركة ويذهب إلى [[Berufsschule]] [[duales System]]. ويحصل على "
                "راتب أثناء التدريب.",
            ]),
            ("لاحقًا ما زال الكثير ممكنًا", [
                "يمكن للطفل لاحقًا أن ينتقل إلى نوع آخر من المدارس. ويمكن الحصول على الشهادات "
                "لاحقًا أيضًا، مثلًا في الـ BBS أو في المدرسة المسائية [[Abendschule]]. "
                "اختيار واحد لا يغلق كل الأبواب.",
            ]),
            ("من يساعد؟", [
                "معلّم الصف وسكرتارية المدرسة. اطلبوا موعدًا للحديث. يمكنكم إحضار شخص "
                "للترجمة.",
                "العمل الاجتماعي المدرسي [[Schulsozialarbeit]] في مدارس كثيرة.",
                "الـ Mittelpunkt: في المساعدة في الواجبات، وفي لقاء الأهالي، وفي ساعات "
                "الاستشارة. نساعد بعدة لغات.",
            ]),
        ],
        "note": "القواعد يمكن أن تتغير. عند الشك اسألوا المدرسة.",
    },
    "fa": {
        "title": "نظام مدرسه در ایالت نیدرزاکسن",
        "intro": "اطلاعات کوتاه برای والدین. مدرسه‌های دولتی شهریه ندارند. "
                 "اگر چیزی روشن نیست، بپرسید.",
        "sections": [
            ("مهدکودک (Kita)", [
                "کودکان از ۱ سالگی می‌توانند به شیرخوارگاه [[Krippe]] و از ۳ سالگی به "
                "کودکستان [[Kindergarten]] بروند. به هر دو [[Kita]] می‌گویند. هر کودک از ۱ "
                "سالگی حق داشتن جا دارد.",
                "در نیدرزاکسن، Kita از ۳ سالگی تا شروع مدرسه رایگان است (تا ۸ ساعت در روز). "
                "کودکان در Kita با بازی آلمانی یاد می‌گیرند.",
            ]),
            ("شروع مدرسه", [
                "در آلمان رفتن به مدرسه اجباری است [[Schulpflicht]]: هر کودک باید به مدرسه "
                "برود.",
                "کودکانی که تا ۳۰ سپتامبر ۶ ساله می‌شوند، در تابستان همان سال مدرسه را شروع "
                "می‌کنند. کودکانی که بین ۱ ژوئیه و ۳۰ سپتامبر ۶ ساله می‌شوند، می‌توانند یک "
                "سال بعد شروع کنند، اگر والدین به‌موقع به مدرسه خبر بدهند.",
                "پیش از آن، والدین کودک را در مدرسه ثبت‌نام می‌کنند. اداره بهداشت کودک را "
                "معاینه می‌کند [[Schuleingangsuntersuchung]].",
            ]),
            ("دبستان: کلاس ۱ تا ۴", [
                "همه کودکان ۴ سال با هم به [[Grundschule]] می‌روند. در کلاس چهارم معلم‌ها با "
                "والدین صحبت می‌کنند: بعد از آن کدام مدرسه مناسب است؟",
            ]),
            ("بعد از کلاس چهارم والدین انتخاب می‌کنند", [
                "والدین تصمیم می‌گیرند که کودک از کلاس پنجم به کدام مدرسه برود. نظر دبستان "
                "مهم است، اما اجباری نیست.",
            ]),
            ("مدرسه‌ها از کلاس پنجم", [
                "[[Hauptschule]]: کلاس ۵ تا ۹ یا ۱۰، با کار عملی زیاد.",
                "[[Realschule]]: کلاس ۵ تا ۱۰.",
                "[[Oberschule]]: Hauptschule و Realschule در یک مدرسه. بعضی از آن‌ها به "
                "آبیتور هم می‌رسند.",
                "[[Gymnasium]]: کلاس ۵ تا ۱۳، در پایان مدرک [[Abitur]].",
                "[[Gesamtschule]]: همه کودکان با هم درس می‌خوانند [[IGS]] یا در شاخه‌های "
                "مختلف زیر یک سقف [[KGS]]. در آن‌جا همه مدرک‌ها ممکن است.",
            ]),
            ("کودکان دارای معلولیت یا نیاز ویژه", [
                "آن‌ها می‌توانند با کودکان دیگر در مدرسه عادی درس بخوانند (آموزش فراگیر). "
                "مدرسه ویژه [[Förderschule]] هم وجود دارد. با مدرسه صحبت کنید که چه چیزی "
                "برای فرزندتان خوب است.",
            ]),
            ("تازه در آلمان", [
                "کودکان و نوجوانانی که کم آلمانی حرف می‌زنند، اغلب اول به کلاس یادگیری زبان "
                "[[Sprachlernklasse]] می‌روند، معمولاً حدود یک سال. بعد در کلاس عادی درس "
                "می‌خوانند. بسیاری از آن‌ها درس آلمانی اضافه هم دارند.",
            ]),
            ("مدرک‌های مدرسه", [
                "[[Hauptschulabschluss]]: بعد از کلاس ۹.",
                "[[Realschulabschluss]] [[Sekundarabschluss I]]: بعد از کلاس ۱۰.",
                "[[Abitur]]: بعد از کلاس ۱۳. راه دانشگاه را باز می‌کند.",
            ]),
            ("هنرستان و آموزش حرفه‌ای", [
                "مدرسه حرفه‌ای [[Berufsbildende Schule]] [[BBS]] بعد از کلاس ۹ یا ۱۰ راه‌های "
                "زیادی دارد: آشنایی با شغل‌ها، گرفتن مدرک در زمان بعد، و همچنین "
                "[[Fachhochschulreife]] یا آبیتور.",
                "آموزش حرفه‌ای [[Ausbildung]] معمولاً ۲ تا ۳ و نیم سال طول می‌کشد. فرد در یک "
                "شرکت کار می‌کند و به [[Berufsschule]] می‌رود [[duales System]]. در همین "
                "مدت حقوق هم می‌گیرد.",
            ]),
            ("بعدها هم راه‌های زیادی باز است", [
                "کودک می‌تواند بعدها به نوع دیگری از مدرسه برود. مدرک‌ها را می‌شود بعداً هم "
                "گرفت، مثلاً در BBS یا در مدرسه شبانه [[Abendschule]]. یک انتخاب همه درها را "
                "نمی‌بندد.",
            ]),
            ("چه کسی کمک می‌کند؟", [
                "معلم کلاس و دفتر مدرسه. وقت گفتگو بخواهید. می‌توانید کسی را برای ترجمه با "
                "خود بیاورید.",
                "مددکار اجتماعی مدرسه [[Schulsozialarbeit]] در بسیاری از مدرسه‌ها.",
                "Mittelpunkt: در کمک به تکالیف، در جلسه والدین و در ساعت‌های مشاوره. ما به "
                "چند زبان کمک می‌کنیم.",
            ]),
        ],
        "note": "قوانین ممکن است تغییر کنند. اگر مطمئن نیستید، از مدرسه بپرسید.",
    },
}

TERM = re.compile(r"\[\[(.+?)\]\]")


@dataclass(frozen=True)
class Piece:
    """A piece of a paragraph: plain text, or a German term (shown isolated, lang="de")."""

    text: str
    term: bool = False


@dataclass(frozen=True)
class Section:
    icon: str
    heading: str
    paragraphs: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class Explainer:
    language: str
    direction: str
    title: str
    intro: str
    sections: tuple[Section, ...]
    note: str


def pieces(text: str) -> tuple[Piece, ...]:
    """Split ``text`` at its ``[[terms]]``."""
    found: list[Piece] = []
    position = 0
    for match in TERM.finditer(text):
        if match.start() > position:
            found.append(Piece(text[position:match.start()]))
        found.append(Piece(match.group(1), term=True))
        position = match.end()
    if position < len(text):
        found.append(Piece(text[position:]))
    return tuple(found)


def explainer_text(language: str) -> Explainer:
    """The explainer in ``language`` (one of :data:`EXPLAINER_LANGUAGES`)."""
    text = TEXTS[language]
    sections = tuple(
        Section(icon=icon, heading=heading, paragraphs=tuple(pieces(p) for p in paragraphs))
        for icon, (heading, paragraphs) in zip(ICONS, text["sections"], strict=True))
    return Explainer(language=language, direction="rtl" if language in RTL else "ltr",
                     title=str(text["title"]), intro=str(text["intro"]), sections=sections,
                     note=str(text["note"]))
