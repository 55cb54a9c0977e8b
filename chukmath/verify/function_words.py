"""Frequent function words of the Latin-script languages, to tell English reasoning from French, Spanish, ...

The script check in :mod:`chukmath.verify.language` cannot separate languages that share the Latin alphabet. Short
words that carry no math (articles, pronouns, conjunctions, "then", "so", "result") can: reasoning in a language
uses dozens of its own and few of another's. Lists are chosen so that a word of one list is not a common word of
English math reasoning (no ``to``, ``do``, ``in``, ``on``, ``is``, ``we``, ``die``, ``van``, ``son``, ``per``)
and not notation (single letters, ``e``, ``i``, ``mod``, ``cm``); a word in several lists counts for each.
"""

from __future__ import annotations

_WORDS: dict[str, str] = {
    "en": "the and is are of to we that this then so with for from which it be by now first next gives get have has "
    "each find need let us step answer value sum result sides both add multiply subtract divide was were can will "
    "not if what our an at on in as or do also into there here equals times minus plus total number",
    "fr": "le la les des du est et nous une un pour que qui dans sur avec donc puis alors ce cette sont pas par au "
    "aux deux résultat valeur réponse calculons obtenons obtient ainsi à il ensuite chaque maintenant mais ou en de",
    "de": "der das und ist wir ein eine einen mit von zu den dem des nicht auf für dann ergibt sich es sind durch aus "
    "beide seiten zuerst dass wert ergebnis antwort gleich jetzt noch oder wird haben teilen addieren",
    "es": "el los las del que es en por para con una se lo como entonces luego tenemos resultado valor respuesta "
    "primero ambos lados está al más sumamos restamos obtenemos ahora cada pero de la un",
    "it": "il lo gli della del che di è con una sono poi quindi abbiamo risultato valore risposta prima entrambi "
    "lati otteniamo calcoliamo nel alla dei un ora ogni anche questo si la",
    "pt": "os da dos das que em para com uma não então temos resultado valor resposta primeiro ambos lados é são ao "
    "pelo pela mais agora cada obtemos somamos portanto de",
    "nl": "de het een en dat op te voor dus dan zijn wordt uitkomst antwoord waarde eerst beide niet ook om bij "
    "wij hebben krijgen",
    "sv": "och att det är som en på för med av den så sedan då värdet svaret först båda inte har blir eller",
    "da": "og det som en på med af den så derefter værdien svaret først begge ikke har bliver eller",
    "no": "og det som en på med av den så deretter verdien svaret først begge ikke har blir eller",
    "fi": "ja että se ei kun niin myös joten sitten tulos vastaus arvo ensin molemmat saadaan lasketaan ovat tämä "
    "kuin siis eli",
    "pl": "się że jest nie jak czyli więc następnie mamy wynik odpowiedź wartość najpierw obie przez dla oraz od po "
    "są na tak",
    "cs": "je se na že jako tedy pak máme výsledek odpověď hodnota nejprve obě není jsou když nebo tak také proto "
    "takže",
    "ro": "și în este că cu pe din pentru care sunt apoi deci avem rezultatul răspunsul valoarea mai ambele la de un",
    "tr": "ve bir bu için ile olarak sonra yani sonuç cevap değer önce olur buluruz elde eder eşittir toplam şimdi ise",
    "id": "dan yang di ini itu dengan untuk dari kita adalah maka jadi kemudian hasil jawaban nilai tidak akan pada "
    "kami sehingga",
    "vi": "và là của có cho với các một được này vậy không bằng ta sau đó",
}


def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for language, words in _WORDS.items():
        for word in words.split():
            index.setdefault(word, set()).add(language)
    return {word: frozenset(languages) for word, languages in index.items()}


# word -> the languages it is a function word of
FUNCTION_WORDS: dict[str, frozenset[str]] = _index()
LATIN_LANGUAGES: frozenset[str] = frozenset(_WORDS)
# every function word as written and capitalized ("The", "Nous"): a text is split without lower-casing it all
WORD_FORMS: frozenset[str] = frozenset(form for word in FUNCTION_WORDS for form in (word, word.capitalize()))
# language -> its function words, and the function words of the other languages that are not also its own
WORDS_OF: dict[str, frozenset[str]] = {language: frozenset(words.split()) for language, words in _WORDS.items()}
OTHERS_OF: dict[str, frozenset[str]] = {language: frozenset(FUNCTION_WORDS) - own for language, own in WORDS_OF.items()}
# language -> up to 24 of its most frequent function words that are no other language's, as " word " (the lists
# are written most frequent first): text holding enough of them is written in the language, found by substring
# search without splitting the text
MARKERS_OF: dict[str, tuple[str, ...]] = {
    language: tuple(f" {w} " for w in words.split() if FUNCTION_WORDS[w] == frozenset({language}))[:24]
    for language, words in _WORDS.items()
}
