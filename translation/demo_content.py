"""Demo content for translation at De Schakel: the school's glossary. The engine stays off (the demo runs
no translation server); with `TRANSLATION_LIBRETRANSLATE_URL` set the director can switch it on."""

from translation.models import GlossaryTerm

GLOSSARY = {
    "studiedag": {
        "en": "teacher training day (no school)",
        "ar": "يوم دراسي للمعلمين (لا مدرسة)",
        "tr": "öğretmen çalışma günü (okul yok)",
        "pl": "dzień szkoleniowy (brak lekcji)",
        "uk": "методичний день (без уроків)",
    },
    "ouderbijdrage": {
        "en": "voluntary parent contribution",
        "ar": "مساهمة الوالدين الطوعية",
        "tr": "gönüllü veli katkısı",
        "pl": "dobrowolna składka rodziców",
        "uk": "добровільний батьківський внесок",
    },
    "luizencontrole": {
        "en": "head lice check",
        "ar": "فحص القمل",
        "tr": "bit kontrolü",
        "pl": "kontrola wszawicy",
        "uk": "перевірка на воші",
    },
    "groep 8": {
        "en": "year 8 (final year)",
        "ar": "الصف الثامن (السنة الأخيرة)",
        "tr": "8. sınıf (son yıl)",
        "pl": "klasa 8 (ostatni rok)",
        "uk": "8-й клас (останній рік)",
    },
    "Cito": {
        "en": "Cito (national pupil test)",
        "ar": "اختبار Cito الوطني",
        "tr": "Cito (ulusal öğrenci testi)",
        "pl": "Cito (krajowy test uczniów)",
        "uk": "Cito (національний тест учнів)",
    },
}


def seed(*, school, today) -> None:
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(school=school, term=term, language=language, translation=translation)
        for term, translations in GLOSSARY.items()
        for language, translation in translations.items()
    )
