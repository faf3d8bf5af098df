"""Which embedding model a dump gets when none is named: the English model for English dumps.

``model: auto`` (the pipelines' default) picks, from the languages the normalize stage
detected, **all-MiniLM-L6-v2** when at least :data:`ENGLISH_SHARE` of the comments of
:data:`MIN_WORDS`+ words whose language was detected are English, else **multilingual-e5-small**. Any other name (``--model``,
``model=``, a folder) is used as given, and a saved theme model keeps the model it was fitted
with. The decision and its reason go into ``summary.json`` (``model_choice``).

Why: on English text MiniLM groups comments by their intent better than e5-small (leave-one-
dataset-out theme NMI on six English sets, bench/results/lodo.md) and its six layers embed about
twice as fast; but it does not read Arabic or Romanian: in an English dump with 0.5% of Arabic and
Romanian comments, none of them shared its English twin's theme under MiniLM (all of them with e5),
while the English majority's themes were better (NMI 0.845 vs 0.811; bench/results/english_model.md).
So the English model is chosen only when nearly every comment is English (98.5%, counting comments
of 4+ words, whose language detection is reliable, and not counting a comment read as another language
when the detector still finds English likely: :data:`MIN_ENGLISH_DOUBT`), and the reason names the
others. On public exports: support tickets, complaint logs and English surveys read 100% English;
Ethiopian bank-app reviews 87-94% (Amharic, Afaan Oromo) and keep the multilingual model.
Imports nothing from cxtext.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

AUTO = "auto"
ENGLISH_MODEL = "minilm"
MULTILINGUAL_MODEL = "default"
#: Least share of English among the comments of MIN_WORDS+ words with a detected language. Language
#: detection calls 0.04-1.2% of plain English comments something else (six English benchmark sets:
#: 0.988-0.9996 English; 0.9995-1 once MIN_ENGLISH_DOUBT leaves out the unsure calls); public exports with
#: real Amharic/Oromo comments read 0.931-0.979.
ENGLISH_SHARE = 0.985
#: Shorter comments are left out of the count: "wake me up at 5" reads as Latin or Swedish.
MIN_WORDS = 4
#: Read as English: Nigerian Pidgin is an English-based creole and the detector's usual mistake for English.
ENGLISH_LIKE = frozenset({"en", "pcm"})
#: Fewest comments with a detected language to decide on; fewer keep the multilingual model.
MIN_DETECTED = 20
#: A comment detected as another language counts as English-or-undetermined when the detector still gives
#: English at least this probability (py3langid, normalised). Short English queries read as Danish, Latin or
#: Afrikaans keep 2.4-54% for English on the six English benchmark sets; real Romanian comments (the en/ar/ro
#: parallel set) at most 0.05%: 0.35% is the geometric middle of that gap, chosen on those sets only. Out of
#: sample (bench/results/stranger_sets.md): three sets of real chatbot queries (HINT3) read 97.5-98.5%
#: English without it (the multilingual model, for dumps with no other language), 99.8-100% with it;
#: Romanian tweets and Afaan Oromo reviews of public exports stay other languages (English at most 0.2%).
MIN_ENGLISH_DOUBT = 0.0035
_UNDETERMINED = {"", "und", "unknown", None}


@dataclass(frozen=True)
class ModelChoice:
    """The model that embeds a dump and why (``reason`` is one sentence for summary.json and the CLI)."""

    model: str
    reason: str
    english_share: float | None = None

    def as_dict(self) -> dict:
        return {"model": self.model, "reason": self.reason, "english_share": self.english_share}


def choose_model(requested: str, languages: Sequence[str | None], texts: Sequence[str] | None = None) -> ModelChoice:
    """The model for comments in ``languages`` (ISO codes, "und" undetermined) when ``requested`` is "auto".

    ``texts`` (the same comments): when given, only comments of :data:`MIN_WORDS` or more words are
    counted. Any other ``requested`` name is returned as given, with the reason "named".
    """
    if requested != AUTO:
        return ModelChoice(requested, f"model {_shown(requested)} named in the settings or on the command line")
    counted, doubtful = "comments", 0
    if texts is not None:
        kept = [(lang, str(text)) for lang, text in zip(languages, texts) if len(str(text).split()) >= MIN_WORDS]
        languages = [lang if lang in _UNDETERMINED or lang in ENGLISH_LIKE or not _maybe_english(text) else "und"
                     for lang, text in kept]
        doubtful = sum(lang == "und" and old not in _UNDETERMINED for (old, _), lang in zip(kept, languages))
        counted = f"comments of {MIN_WORDS}+ words"
    detected = ["en" if lang in ENGLISH_LIKE else lang for lang in languages if lang not in _UNDETERMINED]
    if len(detected) < MIN_DETECTED:
        return ModelChoice(MULTILINGUAL_MODEL, f"multilingual-e5-small: only {len(detected)} {counted} with a "
                                               f"detected language (fewer than {MIN_DETECTED} to decide on)")
    share = sum(lang == "en" for lang in detected) / len(detected)
    unsure = (f"; {doubtful} more read as another language with English still likely (a short English query read "
              "as Danish) were not counted" if doubtful else "")
    if share >= ENGLISH_SHARE:
        others = [lang for lang in detected if lang != "en"]
        caveat = (f"; the {len(others)} comment(s) detected as {', '.join(sorted(set(others)))} are embedded by an "
                  "English model and may land in the wrong theme" if others else "")
        return ModelChoice(ENGLISH_MODEL, f"all-MiniLM-L6-v2 (English): {share:.1%} of the {len(detected)} "
                                          f"{counted} with a detected language are English (>= {ENGLISH_SHARE:.1%})"
                                          + caveat + unsure, round(share, 4))
    return ModelChoice(MULTILINGUAL_MODEL, f"multilingual-e5-small: {share:.1%} of the {len(detected)} {counted} "
                                           f"with a detected language are English (< {ENGLISH_SHARE:.1%})" + unsure,
                       round(share, 4))


def _maybe_english(text: str) -> bool:
    """True when the language detector still gives English at least :data:`MIN_ENGLISH_DOUBT`."""
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return dict(_IDENTIFIER.rank(text)).get("en", 0.0) >= MIN_ENGLISH_DOUBT


_IDENTIFIER = None


def model_for(requested: str, languages: Sequence[str | None], saved=None, embedder=None,
              texts: Sequence[str] | None = None) -> ModelChoice:
    """The analysis's model: a given embedder's, a saved theme model's, else :func:`choose_model`."""
    if embedder is not None:
        name = MULTILINGUAL_MODEL if requested == AUTO else requested
        return ModelChoice(name, f"an embedder object was passed to analyze() ({getattr(embedder, 'model_id', '?')})")
    if saved is not None:
        return ModelChoice(saved.embedding_model, f"the saved theme model was fitted with {_shown(saved.embedding_model)}")
    return choose_model(requested, list(languages), None if texts is None else list(texts))


def _shown(name: str) -> str:
    """A model name for a sentence: a local folder by its last part, so no absolute path reaches summary.json."""
    if "/" in name or "\\" in name:
        parts = [part for part in name.replace("\\", "/").split("/") if part]
        if name.startswith(("/", "~", ".")) or (len(name) > 1 and name[1] == ":"):
            return f"'{parts[-1] if parts else name}' (a local folder)"
    return repr(name)
