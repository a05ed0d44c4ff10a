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
# Codes the identifier gives for varieties the index treats as one language.
LANGUAGE_ALIASES = {"wuu": "zh", "yue": "zh", "iw": "he", "in": "id", "ji": "yi", "zh-tw": "zh"}
# The identifier's answer counts only at this probability or more; below it the text is of no known
# language (and gets the default analysis). At 0.5 the identifier's first guess (Latin, German or
# Luxembourgish for a tenth of CACM's one-line titles) is mostly overruled, but not always: npl's
# 11,413 abstracts still get 5 pages of another language (Latin 4, Nigerian Pidgin 1), and with
# them every query a second analysis (scoring.WordForms keeps that from changing the ranking).
MIN_CONFIDENCE = 0.5
# Text read to identify a language: enough for the identifier, a fraction of its time on a long page.
IDENTIFY_CHARS = 600
_CODE = re.compile(r"[a-z]{2,3}")


def normalize_language(value: str | None) -> str:
    """A language tag (en-US, pt_BR, zh-Hant) as the index names the language (en, pt, zh); "" when none."""
    code = (value or "").strip().lower().replace("_", "-")
    code = LANGUAGE_ALIASES.get(code, code).split("-")[0]
    code = LANGUAGE_ALIASES.get(code, code)
    return code if _CODE.fullmatch(code) else ""


@functools.cache
def _identifier():
    # Loaded once a process, on first use: the model takes a tenth of a second to read.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> str:
    """The language a text is written in (py3langid's model, 142 languages), or "" when the identifier is unsure."""
    sample = text[:IDENTIFY_CHARS]
    if not any(c.isalpha() for c in sample):
        return ""
    lang, probability = _identifier().classify(sample)
    return normalize_language(lang) if probability >= MIN_CONFIDENCE else ""


def text_direction(lang: str | None) -> str:
    """The direction a language is written in, as HTML's dir names it: "rtl", "ltr", or "auto" when unknown."""
    code = normalize_language(lang)
    return "auto" if not code else "rtl" if code in RIGHT_TO_LEFT else "ltr"
