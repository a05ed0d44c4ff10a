"""Languages: what the index knows of each (its stemmer, its direction) and which language a text is in."""

from __future__ import annotations

import functools
import re

# The language whose analysis a document gets when none is declared or identified: the analysis every
# document got before languages were told apart.
DEFAULT_LANGUAGE = "en"
# Snowball stemmers (PyStemmer, in C) by ISO 639-1 code. English keeps its own stemmer (words.py).
SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian",
    "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
# Written right to left: shown with dir="rtl".
RIGHT_TO_LEFT = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})
# Codes the identifier gives for varieties the index treats as one language: members of an ISO 639-3
# macrolanguage as the macrolanguage (Egyptian and Moroccan Arabic as Arabic, Wu and Cantonese as
# Chinese), and old codes as their new ones. "zxx" is the identifier's "no linguistic content".
LANGUAGE_ALIASES = {
    "wuu": "zh", "yue": "zh", "zh-tw": "zh", "ary": "ar", "arz": "ar", "uzs": "uz", "sdh": "ku", "fuv": "ff",
    "gug": "gn", "gom": "kok", "iw": "he", "in": "id", "ji": "yi", "zxx": "",
}
# Languages analysed as another one is: a creole as the language its words come from. Nigerian
# Pidgin's words are English's, and the identifier gives it to short English texts (price tables,
# headlines), which then kept their English stems from English queries.
ANALYSED_AS = {"pcm": "en"}
# The identifier's answer counts only at this probability or more; below it the text is of no known
# language (and gets the default analysis). Chosen leave-one-set-out over the English collections and
# the language sets' paragraphs and questions (bench/language_id.py): 0.3 on every set left out, the
# texts given another language's analysis down from 1.2% to 0.5% of a set on average (short
# questions in Russian, German or Spanish are no longer left unidentified).
MIN_CONFIDENCE = 0.3
# Text read to identify a language: enough for the identifier, a fraction of its time on a long page.
IDENTIFY_CHARS = 600
_CODE = re.compile(r"[a-z]{2,3}")


def normalize_language(value: str | None) -> str:
    """A language tag (en-US, pt_BR, zh-Hant) as the index names the language (en, pt, zh); "" when none."""
    code = (value or "").strip().lower().replace("_", "-")
    code = LANGUAGE_ALIASES.get(code, code).split("-")[0]
    code = LANGUAGE_ALIASES.get(code, code)
    return code if _CODE.fullmatch(code) else ""


def analysed_language(lang: str | None) -> str:
    """The language whose analysis a language's text gets: itself, or the one ANALYSED_AS names."""
    code = normalize_language(lang)
    return ANALYSED_AS.get(code, code)


@functools.cache
def _identifier():
    # Loaded once a process, on first use: reading the model takes two thirds of a second and 130 MB.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_identifier() -> None:
    """Read the identifier's model now: processes forked afterwards share this copy instead of each reading one."""
    _identifier()


def classify_language(text: str) -> tuple[str, float]:
    """The identifier's best language for a text's start (py3langid's model, 142 languages) and its
    probability ("" and 0.0 when the text has no letter)."""
    sample = text[:IDENTIFY_CHARS]
    if not any(c.isalpha() for c in sample):
        return "", 0.0
    lang, probability = _identifier().classify(sample)
    return normalize_language(lang), float(probability)


def accept_language(lang: str, probability: float, min_confidence: float = MIN_CONFIDENCE) -> str:
    """The identifier's answer where it is sure enough, else ""."""
    return lang if probability >= min_confidence else ""


def identify_language(text: str) -> str:
    """The language a text is written in, or "" when the identifier is unsure."""
    return accept_language(*classify_language(text))


def text_direction(lang: str | None) -> str:
    """The direction a language is written in, as HTML's dir names it: "rtl", "ltr", or "auto" when unknown."""
    code = normalize_language(lang)
    return "auto" if not code else "rtl" if code in RIGHT_TO_LEFT else "ltr"
